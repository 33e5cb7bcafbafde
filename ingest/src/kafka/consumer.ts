import { INBOUND_TOPICS } from '@edu/analytics';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { IngestMetrics } from '../metrics.ts';
import type { BatchWriter } from '../pipeline/batch-writer.ts';
import type { DeadLetterSink, IngestDeadLetter } from '../pipeline/dead-letters.ts';
import { packMessages, type BatchOutput } from '../pipeline/validate-batch.ts';
import type { BatchValidator } from '../pipeline/validate-pool.ts';
import {
  isUndecodableMarker,
  skipUndecodableBatches,
  undecodableBatchOf,
  undecodableDeadLetter,
} from './undecodable.ts';

// The Kafka intake: a consumer group over every inbound topic. Each partition's batch is
// validated and encoded (on a worker thread), its good rows handed to the shared BatchWriter
// (which batches across partitions) and its bad messages to the dead-letter sink; only when
// both are durable are the batch's offsets committed, in order, while the next batches are
// already being fetched. A crash before the commit means a redelivery, which every metric
// absorbs (duplicates by id count once); it never means a loss.

export interface ConsumerDeps {
  kafka: Kafka;
  groupId: string;
  writer: BatchWriter;
  deadLetters: DeadLetterSink;
  validator: BatchValidator;
  clock?: () => number;
  metrics?: IngestMetrics;
  log?: (msg: string) => void;
  /** Prepended to every contract topic name (see config). */
  topicPrefix?: string;
  /** Partitions processed at once; their rows still meet in one batch. */
  concurrency?: number;
  /** Bytes of messages fetched but not yet stored, above which fetching pauses (EDU_INGEST_MAX_IN_FLIGHT_BYTES). */
  maxInFlightBytes: number;
  /** EDU_INGEST_SESSION_TIMEOUT_MS. */
  sessionTimeoutMs: number;
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
    sessionTimeout: deps.sessionTimeoutMs,
    heartbeatInterval: Math.floor(deps.sessionTimeoutMs / 3),
    // A fetch response stays in memory while any message sliced from it waits to be stored:
    // 8 MiB fetches instead of 32 cut bench:ingest's peak RSS from ~1,170 to ~940 MiB at the
    // same throughput (README, "Ingest throughput").
    maxBytesPerPartition: 2 * 1024 * 1024,
    maxBytes: 8 * 1024 * 1024,
    maxWaitTimeInMs: 250,
  });
  const prefix = deps.topicPrefix ?? '';
  const topics = Object.values(INBOUND_TOPICS).map((t) => prefix + t);

  /**
   * Per partition, the promise of its last commit: commits of one partition happen in order,
   * one after the other, each only once its batch's rows and dead letters are durable.
   */
  const commitChains = new Map<string, Promise<boolean>>();
  /**
   * Bytes of messages fetched but not yet stored (or dead-lettered). Bytes, not messages: one
   * school system's 100 kB events weigh what 400 check-ins do, and memory is what is bounded.
   */
  let inFlight = 0;

  async function eachBatch(p: EachBatchPayload): Promise<void> {
    const { batch } = p;
    if (batch.messages.length === 0) return;
    // Validated as the contract's own topic name; the dead letters keep it too.
    const topic = batch.topic.slice(prefix.length);
    // A record batch that could not be decoded arrives as markers (undecodable.ts): they are
    // not validated; the batch becomes one dead letter and is committed past with the rest.
    const messages = batch.messages.filter((m) => !isUndecodableMarker(m));
    const skipped =
      messages.length === batch.messages.length ? [] : batch.messages.flatMap((m) => undecodableBatchOf(m) ?? []);
    const input = packMessages(
      topic,
      (deps.clock ?? Date.now)(),
      messages.map((m) => m.value),
    );
    const skippedLetters = skipped.map((b) => {
      const letter = undecodableDeadLetter(topic, batch.partition, b, new Date(input.now).toISOString());
      deps.log?.(`skipped an undecodable record batch of ${batch.topic}:${batch.partition}: ${letter.reason}`);
      return letter;
    });
    const deadLetters = (out: BatchOutput): IngestDeadLetter[] =>
      out.rejected.map(({ index, code, reason }) => {
        const m = messages[index];
        return {
          source: 'kafka',
          topic,
          partition: batch.partition,
          offset: m?.offset,
          key: m?.key,
          code,
          reason,
          original: m?.value ?? Buffer.alloc(0),
          receivedAt: new Date(input.now).toISOString(),
        };
      });
    deps.metrics?.consumed.inc({ topic: batch.topic }, messages.length);
    const last = batch.lastOffset();
    const next = (BigInt(last) + 1n).toString();
    const key = `${batch.topic}:${batch.partition}`;
    let bytes = 0;
    for (const m of messages) bytes += (m.value?.length ?? 0) + (m.key?.length ?? 0);
    const validated = messages.length > 0 ? deps.validator.validate(input) : Promise.resolve(undefined);
    const stored = validated.then(async (out) => {
      await Promise.all([
        out && deps.writer.addEncoded(out.encoded),
        deps.deadLetters.send(out ? [...deadLetters(out), ...skippedLetters] : skippedLetters),
      ]);
      if (skipped.length > 0)
        deps.metrics?.batchesSkipped.inc({ topic: batch.topic, partition: String(batch.partition) }, skipped.length);
    });
    inFlight += bytes;
    deps.metrics?.inFlightBytes.set(inFlight);
    // Fetching goes on while the batch is written (resolveOffset moves the fetch position, not
    // the committed offset); the commit follows the write, in order within the partition. A
    // batch that could not be stored stops its partition's commits: after a restart, the group
    // resumes from the last batch that was.
    const previous = commitChains.get(key) ?? Promise.resolve(true);
    const chain = previous.then(async (ok) => {
      try {
        await stored;
      } catch (err) {
        deps.log?.(`batch ${key}@${last} not stored, not committed: ${(err as Error).message}`);
        return false;
      } finally {
        inFlight -= bytes;
        deps.metrics?.inFlightBytes.set(inFlight);
      }
      if (!ok) return false;
      try {
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
      } catch (err) {
        // After a rebalance another member owns the partition and re-reads from the last
        // commit: a duplicate, which every metric absorbs, never a loss.
        deps.log?.(`commit ${key}@${next} refused: ${(err as Error).message}`);
      }
      deps.metrics?.lag.set(
        { topic: batch.topic, partition: String(batch.partition) },
        Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(next))),
      );
      return true;
    });
    commitChains.set(key, chain);
    p.resolveOffset(last);
    // Back-pressure: while ClickHouse is slow or down, stop fetching once enough bytes wait, and
    // keep the group membership alive meanwhile.
    if (inFlight > deps.maxInFlightBytes) {
      const beat = setInterval(() => void p.heartbeat().catch(() => undefined), 2_000);
      try {
        await chain;
      } finally {
        clearInterval(beat);
      }
    }
  }

  /** Resolves when every batch handed to the writer so far has been committed (or refused). */
  const settled = () => Promise.all([...commitChains.values()]);

  return {
    consumer,
    async start() {
      skipUndecodableBatches();
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
      // Batches already fetched are written and committed before the member leaves.
      await deps.writer.flush();
      await settled();
      await consumer.disconnect();
    },
  };
}
