import { randomBytes } from 'node:crypto';
import { ALL_TOPICS, type InboundEvent } from '@edu/analytics';
import type { Admin, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { createKafka, deleteTestTopics, ensureTopics, waitForLeaders } from '../kafka/client.ts';
import { contractMessages } from '../kafka/partition-sender.ts';
import { loadIngestConfig, type IngestConfig } from '../config.ts';

// Kafka for tests: the real broker deploy/services/kafka.sh runs, with a unique topic prefix
// per test so that tests never read each other's messages.

export const testBrokers = (): string[] => (process.env.EDU_TEST_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

export function testKafka(): Kafka {
  return createKafka({ brokers: testBrokers(), clientId: 'edu-test', log: () => undefined });
}

export function testPrefix(label: string): string {
  return `test.${label}.${randomBytes(3).toString('hex')}.`;
}

/** An ingest config for tests: the given prefix and database, quick batches, no age limit. */
export function testIngestConfig(prefix: string, database: string, env: Record<string, string> = {}): IngestConfig {
  return loadIngestConfig(testIngestEnv(prefix, database, env));
}

/** The settings of testIngestConfig as environment variables (for the ingest binary in a process of its own). */
export function testIngestEnv(
  prefix: string,
  database: string,
  env: Record<string, string> = {},
): Record<string, string> {
  return {
    EDU_KAFKA_BROKERS: testBrokers().join(','),
    EDU_KAFKA_TOPIC_PREFIX: prefix,
    EDU_INGEST_GROUP_ID: `${prefix}ingest`,
    EDU_INGEST_TOPIC_PARTITIONS: '3',
    EDU_CLICKHOUSE_DATABASE: database,
    EDU_CLICKHOUSE_URL: process.env.EDU_TEST_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123',
    EDU_INGEST_BATCH_MAX_WAIT_MS: '100',
    EDU_INGEST_RETRY_MIN_MS: '50',
    EDU_INGEST_RETRY_MAX_MS: '500',
    // The fixture city lives in 2026; a test run years later must still accept it.
    EDU_INGEST_MAX_PAST_DAYS: '100000',
    // No change signals: never a Redis the test did not start.
    EDU_REDIS_URL: 'none',
    ...env,
  };
}

export async function createTestTopics(kafka: Kafka, prefix: string, partitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    try {
      await ensureTopics(admin, { partitions, replicationFactor: 1, prefix });
    } catch (err) {
      // kafkajs's waitForLeaders retries only LEADER_NOT_AVAILABLE, but right after the create
      // the broker can still answer UNKNOWN_TOPIC_OR_PARTITION ("This server does not host this
      // topic-partition"; seen on a busy shared broker, tulios/kafkajs#815). Create whatever is
      // still missing and wait for the leaders here instead.
      if ((err as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw err;
      await ensureTopics(admin, { partitions, replicationFactor: 1, prefix }).catch(() => undefined);
    }
    await waitForLeaders(
      admin,
      ALL_TOPICS.map((t) => prefix + t),
      30_000,
    );
  } finally {
    await admin.disconnect();
  }
}

const KAFKA_ATTEMPTS = 5;

/**
 * Runs a request to Kafka, asking again (up to five times, backing off) after an answer the
 * protocol marks retriable. kafkajs' admin gives up on the first NOT_LEADER_FOR_PARTITION from
 * listOffsets, an answer a busy broker does give: CI failed once on it, mid-test, on a topic
 * produced to just before.
 */
export async function askKafka<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (err) {
      if (!(err as { retriable?: boolean }).retriable || attempt >= KAFKA_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/** How many messages were ever published to a topic: its partitions' end offsets, summed. */
export async function publishedCount(admin: Admin, topic: string): Promise<number> {
  const offsets = await askKafka(() => admin.fetchTopicOffsets(topic));
  return offsets.reduce((n, p) => n + Number(p.high), 0);
}

export async function removeTestTopics(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await deleteTestTopics(admin, prefix);
  } finally {
    await admin.disconnect();
  }
}

/** Produces events as a school system would: own topic, keyed by school or entity. */
export async function produceEvents(kafka: Kafka, prefix: string, events: readonly InboundEvent[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (const { topic, messages } of contractMessages(events, prefix)) {
      for (let i = 0; i < messages.length; i += 5000) {
        await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 5000) });
      }
    }
  } finally {
    await producer.disconnect();
  }
}

/** Produces raw bytes to one topic (bad input). */
export async function produceRaw(kafka: Kafka, topic: string, values: (Buffer | string)[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: values.map((value) => ({ key: 'bad', value })) });
  } finally {
    await producer.disconnect();
  }
}

export interface ReadMessage {
  value: Buffer | null;
  headers: Record<string, string>;
  key: string | null;
}

/** Reads `count` messages of a topic from the beginning, or fails after `timeoutMs`. */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 30_000,
): Promise<ReadMessage[]> {
  const consumer = kafka.consumer({ groupId: `${topic}.reader.${randomBytes(3).toString('hex')}` });
  const got: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${got.length} of ${count} messages from ${topic}`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          got.push(toRead(message));
          if (got.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

function toRead(m: KafkaMessage): ReadMessage {
  return { value: m.value, key: m.key ? m.key.toString() : null, headers: headersToStrings(m.headers) };
}

function headersToStrings(h: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k] = Array.isArray(v) ? String(v[0]) : String(v);
  return out;
}

/** Polls until `check` returns true, or fails with the last value after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await read();
  }
  return last;
}

/** Polls a condition every 200 ms until it holds, or fails after `timeoutMs`. */
export async function waitFor(cond: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
