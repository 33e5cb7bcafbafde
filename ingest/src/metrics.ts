import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Table } from '@edu/analytics';

// Prometheus metrics of one ingest process. A registry per instance (not the global one), so
// tests and the embedded mode can run several side by side.

export interface IngestMetrics {
  registry: Registry;
  consumed: Counter<'topic'>;
  inserted: Counter<'table'>;
  deadLettered: Counter<'code' | 'source'>;
  storeErrors: Counter;
  /** Record batches that could not be decoded, skipped and dead-lettered whole. */
  batchesSkipped: Counter<'topic' | 'partition'>;
  lag: Gauge<'topic' | 'partition'>;
  /** Bytes fetched from Kafka and not yet stored: held at EDU_INGEST_MAX_IN_FLIGHT_BYTES. */
  inFlightBytes: Gauge;
  batchSeconds: Histogram;
  /** One stored batch: rows per table, and how long storing it took. */
  observeBatch(counts: readonly (readonly [Table, number])[], seconds: number): void;
}

/** The sum over every label set of a counter or gauge (what a test or a bench reads). */
export async function metricTotal(metric: Counter<string> | Gauge<string>): Promise<number> {
  return (await metric.get()).values.reduce((sum, v) => sum + v.value, 0);
}

export function createIngestMetrics(defaults = true): IngestMetrics {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry, prefix: 'edu_ingest_' });
  const consumed = new Counter({
    name: 'edu_ingest_consumed_total',
    help: 'Messages read from Kafka or received over HTTP, valid or not',
    labelNames: ['topic'] as const,
    registers: [registry],
  });
  const inserted = new Counter({
    name: 'edu_ingest_inserted_rows_total',
    help: 'Rows written to ClickHouse',
    labelNames: ['table'] as const,
    registers: [registry],
  });
  const deadLettered = new Counter({
    name: 'edu_ingest_deadlettered_total',
    help: 'Messages sent to the dead-letter topic, by reason code',
    labelNames: ['code', 'source'] as const,
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: 'edu_ingest_store_errors_total',
    help: 'Failed ClickHouse writes (each is retried)',
    registers: [registry],
  });
  const batchesSkipped = new Counter({
    name: 'edu_ingest_batches_skipped_total',
    help: 'Kafka record batches that could not be decoded, skipped and dead-lettered (undecodable_batch)',
    labelNames: ['topic', 'partition'] as const,
    registers: [registry],
  });
  const lag = new Gauge({
    name: 'edu_ingest_consumer_lag',
    help: 'Messages between the committed offset and the end of the partition',
    labelNames: ['topic', 'partition'] as const,
    registers: [registry],
  });
  const inFlightBytes = new Gauge({
    name: 'edu_ingest_in_flight_bytes',
    help: 'Bytes of Kafka messages fetched and not yet stored; fetching pauses above EDU_INGEST_MAX_IN_FLIGHT_BYTES',
    registers: [registry],
  });
  const batchSeconds = new Histogram({
    name: 'edu_ingest_batch_seconds',
    help: 'Time to write one batch to ClickHouse, retries included',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  return {
    registry,
    consumed,
    inserted,
    deadLettered,
    storeErrors,
    batchesSkipped,
    lag,
    inFlightBytes,
    batchSeconds,
    observeBatch(counts, seconds) {
      batchSeconds.observe(seconds);
      for (const [table, n] of counts) inserted.inc({ table }, n);
    },
  };
}
