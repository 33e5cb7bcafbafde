import { INBOUND_TOPICS } from '@edu/analytics';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { IngestMetrics } from '../metrics.ts';
import type { BatchWriter } from '../pipeline/batch-writer.ts';
import type { DeadLetterSink } from '../pipeline/dead-letters.ts';
import type { StepResult, MessageSource } from '../pipeline/validate-step.ts';
import type { DeadLetter, RowFor } from '@edu/analytics';

// The Kafka intake: a consumer group over every inbound topic. Each partition's batch is
// validated, its good rows handed to the shared BatchWriter (which batches across partitions)
// and its bad messages to the dead-letter sink; only when both are durable are the batch's
// offsets committed, in order. A crash before the commit means a redelivery, which every
// metric absorbs (duplicates by id count once); it never means a loss.

export interface ConsumerDeps {
  kafka: Kafka;
  groupId: string;
  writer: BatchWriter;
  deadLetters: DeadLetterSink;
  step: (raw: Buffer, from: MessageSource) => StepResult;
  metrics?: IngestMetrics;
  log?: (msg: string) => void;
  /** Prepended to every contract topic name (see config). */
  topicPrefix?: string;
  /** Partitions processed at once; their rows still meet in one batch. */
  concurrency?: number;
}

export interface IngestConsumer {
  consumer: Consumer;
  start(): Promise<void>;
  /** Stops fetching, lets the batches in flight finish and commit, then disconnects. */
  stop(): Promise<void>;
}

export function createIngestConsumer(deps: ConsumerDeps): IngestConsumer {
  const consumer = deps.kafka.consumer({
    groupId: deps.groupId,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    maxBytesPerPartition: 8 * 1024 * 1024,
    maxBytes: 32 * 1024 * 1024,
    maxWaitTimeInMs: 250,
  });
  const prefix = deps.topicPrefix ?? '';
  const topics = Object.values(INBOUND_TOPICS).map((t) => prefix + t);

  async function eachBatch(p: EachBatchPayload): Promise<void> {
    const { batch } = p;
    if (batch.messages.length === 0) return;
    const rows: RowFor[] = [];
    const dead: DeadLetter[] = [];
    for (const m of batch.messages) {
      const result = deps.step(m.value ?? Buffer.alloc(0), {
        source: 'kafka',
        // Validated against the contract's own topic name; the dead letter keeps the real one.
        topic: batch.topic.slice(prefix.length),
        partition: batch.partition,
        offset: m.offset,
        key: m.key,
      });
      if (result.kind === 'row') rows.push(result.row);
      else dead.push(result.letter);
    }
    deps.metrics?.consumed.inc({ topic: batch.topic }, batch.messages.length);
    // While ClickHouse is down the writer retries; keep the group membership alive meanwhile.
    const beat = setInterval(() => void p.heartbeat().catch(() => undefined), 2_000);
    try {
      await Promise.all([deps.writer.add(rows), deps.deadLetters.send(dead)]);
    } finally {
      clearInterval(beat);
    }
    const last = batch.lastOffset();
    // If the group rebalanced meanwhile, another member owns the partition now and will
    // reprocess from the last commit: committing here would be wrong, skipping is safe.
    if (p.isStale()) return;
    await consumer.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
    ]);
    p.resolveOffset(last);
    deps.metrics?.lag.set(
      { topic: batch.topic, partition: String(batch.partition) },
      Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last) - 1n)),
    );
  }

  return {
    consumer,
    async start() {
      await consumer.connect();
      await consumer.subscribe({ topics: [...topics], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: deps.concurrency ?? 8,
        eachBatch,
      });
    },
    async stop() {
      await consumer.stop();
      await consumer.disconnect();
    },
  };
}
