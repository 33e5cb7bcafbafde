import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURE_DAY } from '@edu/analytics/testing';
import { InProcessChangeBus, NO_PENDING, SUPERVISION_TOPIC, type Store } from '@edu/analytics';
import { disposeTestStore, openTestStore } from '@edu/analytics/testing';
import { createIngest, type Ingest } from '@edu/ingest';
import {
  createTestTopics,
  removeTestTopics,
  testBrokers,
  testIngestConfig,
  testKafka,
  testPrefix,
} from '@edu/ingest/testing/kafka';
import {
  createKafkaSupervisionPublisher,
  createRedisClient,
  createStreamer,
  loadConfig,
  RedisSharedState,
  type Clock,
  type Streamer,
  type SupervisionPublisher,
} from '@edu/streamer';
import { testRedisUrl } from '@edu/streamer/testing';
import type { Kafka } from 'kafkajs';

// The real stack for the browser tests, in this process: Kafka (topics under a test prefix),
// ingest consuming them into a fresh ClickHouse server database, a streamer on Redis that
// publishes notices to the prefixed edu.supervision.v1 and serves the built screen.
// Time runs from 18:00 of the fixture day (or the moment asked for), so the timetable alerts of
// that day are live.

export const DIST = fileURLToPath(new URL('../dist', import.meta.url));

export interface E2EStack {
  url: string;
  kafka: Kafka;
  prefix: string;
  supervisionTopic: string;
  store: Store;
  streamer: Streamer;
  ingest: Ingest;
  /** Served at /files/ (EDU_FILES_DIR): material files a test puts there. */
  filesDir: string;
  close(): Promise<void>;
}

export interface StackOptions {
  /** HH:MM of the fixture day the stack's clock starts at (18:00: the day's alerts are live). */
  at?: string;
}

export async function startStack(opts: StackOptions = {}): Promise<E2EStack> {
  const kafka = testKafka();
  const prefix = testPrefix('e2e');
  await createTestTopics(kafka, prefix, 1);
  const store = await openTestStore('server', 'e2e');
  const filesDir = mkdtempSync(join(tmpdir(), 'edu-e2e-files-'));
  const bus = new InProcessChangeBus();
  const ingest = await createIngest({
    config: testIngestConfig(prefix, store.database),
    store,
    kafka,
    changes: bus,
    log: () => {},
  });
  await ingest.start();

  const offset = Date.parse(`${FIXTURE_DAY}T${opts.at ?? '18:00'}:00+08:00`) - Date.now();
  const clock: Clock = { now: () => Date.now() + offset };
  const redis = createRedisClient(testRedisUrl());
  const shared = new RedisSharedState(redis, `edu-test:e2e:${randomBytes(4).toString('hex')}:`);
  const supervisionTopic = prefix + SUPERVISION_TOPIC;
  const publisher: SupervisionPublisher = await createKafkaSupervisionPublisher({
    brokers: testBrokers(),
    clientId: 'e2e',
    topic: supervisionTopic,
  });
  const streamer = await createStreamer({
    // No pending periods: the fixture day's alerts are on the wall within an evaluation.
    config: loadConfig(
      {},
      {
        port: 0,
        clickhouse: { engine: 'server' },
        files: { dir: filesDir },
        alerts: { evaluateEveryMs: 2000, pendingMinutes: NO_PENDING },
      },
    ),
    store,
    shared,
    changes: bus,
    publisher,
    clock,
    staticDir: DIST,
    log: () => {},
  });
  const port = await streamer.listen(0);
  return {
    url: `http://127.0.0.1:${port}`,
    kafka,
    prefix,
    supervisionTopic,
    store,
    streamer,
    ingest,
    filesDir,
    async close() {
      await streamer.close();
      await publisher.close();
      await ingest.stop();
      await shared.close();
      redis.disconnect();
      await removeTestTopics(kafka, prefix);
      await disposeTestStore(store);
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
