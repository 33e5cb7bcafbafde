import { setTimeout as sleep } from 'node:timers/promises';
import { ALL_TOPICS, DEADLETTER_TOPIC, SUPERVISION_TOPIC } from '@edu/analytics';
import { asLogger, createLogger, kafkaLogCreator, kafkaLogLevel, type LogSink } from '@edu/analytics/log';
import { Kafka, type Admin, type SASLOptions } from 'kafkajs';
import './codecs.ts'; // every compression codec Kafka has, for reading school systems' batches

/** SASL/SCRAM login: a broker run with EDU_KAFKA_AUTH=scram (deploy/services/kafka.sh) refuses anonymous clients. */
export interface KafkaSasl {
  mechanism: 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
}

/** kafkajs types its SASL options as a union per mechanism: narrowed here, without a cast. */
export function saslOptions(s: KafkaSasl): SASLOptions {
  const { username, password } = s;
  return s.mechanism === 'scram-sha-256'
    ? { mechanism: 'scram-sha-256', username, password }
    : { mechanism: 'scram-sha-512', username, password };
}

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  /** kafkajs's own lines (a logger, e.g. the `ingest.kafka` child; a function gets warnings and errors only). */
  log?: LogSink;
  /** Absent: PLAINTEXT, as the test broker and the embedded default. Present: SASL_PLAINTEXT. */
  sasl?: KafkaSasl;
}

/** A kafkajs client whose lines go through our logger, at its level. */
export function createKafka(opts: KafkaOptions): Kafka {
  const log = asLogger(opts.log ?? createLogger({ name: 'ingest' }).child({ component: 'ingest.kafka' }), 'warn');
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    // kafkajs uses SASL over a plain connection when `ssl` is not set (SASL_PLAINTEXT).
    ...(opts.sasl ? { sasl: saslOptions(opts.sasl) } : {}),
    logLevel: kafkaLogLevel(log),
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
    logCreator: kafkaLogCreator(log),
  });
}

/**
 * Creates the contract's topics that do not exist yet. Topics are created explicitly, never
 * auto-created (kafkajs reports transient errors on auto-created topics, and partition
 * counts should be a decision). Existing topics are left as they are.
 */
export async function ensureTopics(
  admin: Admin,
  opts: { partitions: number; replicationFactor: number; prefix?: string; topics?: readonly string[] },
): Promise<string[]> {
  const prefix = opts.prefix ?? '';
  const wanted = (opts.topics ?? ALL_TOPICS).map((t) => prefix + t);
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((t) => !existing.has(t));
  if (missing.length === 0) return [];
  await admin.createTopics({
    // Waited for below: kafkajs' own wait gives up on the first "does not host this
    // topic-partition" from a broker of a quorum that has not yet heard of the new topic.
    waitForLeaders: false,
    topics: missing.map((topic) => ({
      topic,
      // The outbound and dead-letter topics are low-volume; one partition keeps them ordered.
      numPartitions: topic === prefix + SUPERVISION_TOPIC || topic === prefix + DEADLETTER_TOPIC ? 1 : opts.partitions,
      replicationFactor: opts.replicationFactor,
    })),
  });
  await waitForLeaders(admin, missing);
  return missing;
}

/** Until every partition of the topics has a leader, as every broker asked so far sees it. */
export async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 60_000): Promise<void> {
  let last: unknown = null;
  for (const until = Date.now() + timeoutMs; Date.now() < until; await sleep(200)) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      if (
        meta.length === topics.length &&
        meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
      )
        return;
    } catch (e) {
      if (!(e as { retriable?: boolean }).retriable) throw e;
      last = e;
    }
  }
  throw new Error(`topics ${topics.join(', ')} have no leader after ${timeoutMs / 1000} s: ${String(last)}`);
}

/** Deletes every topic with the prefix. Test prefixes only: a real cluster is never touched. */
export async function deleteTestTopics(admin: Admin, prefix: string): Promise<void> {
  if (!/test/i.test(prefix))
    throw new Error(`refusing to delete topics with prefix ${JSON.stringify(prefix)}: not a test prefix`);
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  if (topics.length > 0) await admin.deleteTopics({ topics });
}
