import { insertAudit, type ChangePublisher, type InboundEvent, type Store } from '@edu/analytics';
import { asLogger, at, createLogger, type LogSink } from '@edu/analytics/log';
import type { Kafka, Producer } from 'kafkajs';
import type { IngestConfig } from './config.ts';
import { createIngestApp } from './http/app.ts';
import { kafkaAcceptedSink, writerAcceptedSink } from './http/intake.ts';
import { SourceKeyCache } from './http/source-keys.ts';
import { createIngestConsumer, type IngestConsumer } from './kafka/consumer.ts';
import { ensureTopics } from './kafka/client.ts';
import { PartitionSender } from './kafka/partition-sender.ts';
import { createIngestMetrics, type IngestMetrics } from './metrics.ts';
import { BatchWriter } from './pipeline/batch-writer.ts';
import { kafkaDeadLetterSink, storeDeadLetterSink, type DeadLetterSink } from './pipeline/dead-letters.ts';
import { createValidatorPool, type BatchValidator } from './pipeline/validate-pool.ts';
import { createValueStep } from './pipeline/validate-step.ts';
import type { Express } from 'express';

// Composition of one ingest process. With a Kafka client: the consumer group plus an HTTP
// intake that forwards to Kafka. Without one (the embedded default): the HTTP intake and
// in-process `submit` write straight to the store, and bad input goes to dead_letters.

export interface IngestDeps {
  config: IngestConfig;
  store: Store;
  kafka?: Kafka;
  changes?: ChangePublisher;
  /**
   * A logger (its children: `ingest`, `ingest.writer`, `ingest.validate`, `ingest.kafka`) or a
   * function given every message. Default: JSON lines on stderr at `info`.
   */
  log?: LogSink;
  clock?: () => number;
  metrics?: IngestMetrics;
  /** The HTTP intake's source keys: how often the key table is reloaded (default 2000 ms). */
  sourceKeys?: { refreshMs?: number };
}

export interface SubmitResult {
  accepted: number;
  rejected: number;
}

export interface Ingest {
  app: Express;
  metrics: IngestMetrics;
  writer: BatchWriter;
  consumer?: IngestConsumer;
  /** The HTTP intake's source keys, as this process last loaded them. */
  sourceKeys: SourceKeyCache;
  /** In-process intake (the embedded simulator): validated exactly like Kafka messages. */
  submit(events: readonly InboundEvent[]): Promise<SubmitResult>;
  start(): Promise<void>;
  /** Drains: stops intake, writes the batch in flight, commits, disconnects. */
  stop(): Promise<void>;
}

export async function createIngest(deps: IngestDeps): Promise<Ingest> {
  const { config, store } = deps;
  const logger = asLogger(deps.log ?? createLogger({ name: 'ingest' }));
  const log = at(logger.child({ component: 'ingest' }), 'info');
  const metrics = deps.metrics ?? createIngestMetrics();
  const clock = deps.clock ?? Date.now;
  const writer = new BatchWriter(
    {
      maxRows: config.batch.maxRows,
      maxWaitMs: config.batch.maxWaitMs,
      retryMinMs: config.retry.minMs,
      retryMaxMs: config.retry.maxMs,
    },
    { store, changes: deps.changes, metrics, log: at(logger.child({ component: 'ingest.writer' }), 'warn') },
  );
  const valueStep = createValueStep(config.limits, clock);

  let producer: Producer | undefined;
  let sender: PartitionSender | undefined;
  let deadLetters: DeadLetterSink;
  let consumer: IngestConsumer | undefined;
  let validator: BatchValidator | undefined;
  if (deps.kafka) {
    validator = createValidatorPool({
      size: config.workers,
      limits: config.limits,
      log: at(logger.child({ component: 'ingest.validate' }), 'warn'),
    });
    producer = deps.kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    sender = PartitionSender.of(deps.kafka, producer);
    deadLetters = kafkaDeadLetterSink(producer, config.kafka.topicPrefix, metrics);
    consumer = createIngestConsumer({
      kafka: deps.kafka,
      groupId: config.kafka.groupId,
      writer,
      deadLetters,
      validator,
      clock,
      maxInFlightBytes: config.maxInFlightBytes,
      sessionTimeoutMs: config.kafka.sessionTimeoutMs,
      topicPrefix: config.kafka.topicPrefix,
      metrics,
      log: at(logger.child({ component: 'ingest.kafka' }), 'warn'),
    });
  } else {
    deadLetters = storeDeadLetterSink(store, metrics);
  }

  const sourceKeys = new SourceKeyCache(store, {
    refreshMs: deps.sourceKeys?.refreshMs ?? config.http.sourceKeysRefreshMs,
    clock,
    log,
  });
  const app = createIngestApp({
    step: valueStep,
    accepted: sender ? kafkaAcceptedSink(sender, config.kafka.topicPrefix) : writerAcceptedSink(writer),
    deadLetters,
    maxBodyBytes: config.http.maxBodyBytes,
    maxEvents: config.http.maxEvents,
    log: logger.child({ component: 'ingest.http' }),
    metrics,
    store,
    keys: sourceKeys,
    audit: (entries) => insertAudit(store, entries),
    clock,
  });

  return {
    app,
    metrics,
    writer,
    consumer,
    sourceKeys,
    async submit(events) {
      const rows = [];
      const dead = [];
      for (const e of events) {
        const r = valueStep(e, { source: 'http' });
        if (r.kind === 'row') rows.push(r.row);
        else dead.push(r.letter);
      }
      await Promise.all([writer.add(rows), deadLetters.send(dead)]);
      return { accepted: rows.length, rejected: dead.length };
    },
    async start() {
      await sourceKeys.start();
      if (deps.kafka && producer && consumer) {
        const admin = deps.kafka.admin();
        await admin.connect();
        try {
          const created = await ensureTopics(admin, {
            partitions: config.kafka.partitions,
            prefix: config.kafka.topicPrefix,
            replicationFactor: config.kafka.replicationFactor,
          });
          if (created.length > 0) log(`created topics ${created.join(', ')}`);
        } finally {
          await admin.disconnect();
        }
        await producer.connect();
        await consumer.start();
      }
    },
    async stop() {
      await sourceKeys.stop();
      if (consumer) await consumer.stop();
      await writer.stop();
      await validator?.close();
      await sender?.close();
      if (producer) await producer.disconnect();
    },
  };
}
