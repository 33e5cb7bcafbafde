import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURE_DAY, fixtureCityEvents, fixtureLaterSession } from '@edu/analytics/testing';
import {
  InProcessChangeBus,
  NO_PENDING,
  SUPERVISION_TOPIC,
  type InboundEvent,
  type Overview,
  type Store,
} from '@edu/analytics';
import { disposeTestStore, openTestStore } from '@edu/analytics/testing';
import { createIngest, type Ingest } from '@edu/ingest';
import {
  createTestTopics,
  produceEvents,
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
import { ApiClient, testRedisUrl } from '@edu/streamer/testing';
import type { Kafka } from 'kafkajs';

// The real stack for the browser tests, in this process: Kafka (topics under a test prefix),
// ingest consuming them into a fresh ClickHouse server database, a streamer on Redis that
// publishes notices to the prefixed edu.supervision.v1 and serves the built screen.
// Time runs from 18:00 of the fixture day (or the moment asked for), so the timetable alerts of
// that day are live.

export const DIST = fileURLToPath(new URL('../dist', import.meta.url));

/** A class after every other of the fixture day, 17:00–18:00: for a wall that needs one running. */
export const LATER_SESSION: InboundEvent = fixtureLaterSession('17:00', '18:00');

export interface E2EStack {
  url: string;
  kafka: Kafka;
  prefix: string;
  supervisionTopic: string;
  store: Store;
  /** The current streamer (another one after restartStreamer). */
  streamer: Streamer;
  ingest: Ingest;
  /** The stack's clock (the fixture day's time). */
  clock: Clock;
  /**
   * Stops the streamer and starts another on the same port, store and Redis (with a Redis
   * connection of its own, as a restarted process has): the soak's restart (issue 12).
   */
  restartStreamer(): Promise<void>;
  /** Served at /files/ (EDU_FILES_DIR): material files a test puts there. */
  filesDir: string;
  close(): Promise<void>;
}

export interface StackOptions {
  /** HH:MM of the fixture day the stack's clock starts at (18:00: the day's alerts are live). */
  at?: string;
  /** The Redis to use (default: the tests' one, testRedisUrl()). */
  redisUrl?: string;
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
  const redisUrl = opts.redisUrl ?? testRedisUrl();
  const keyPrefix = `edu-test:e2e:${randomBytes(4).toString('hex')}:`;
  const supervisionTopic = prefix + SUPERVISION_TOPIC;
  const publisher: SupervisionPublisher = await createKafkaSupervisionPublisher({
    brokers: testBrokers(),
    clientId: 'e2e',
    topic: supervisionTopic,
  });
  const start = async (port: number) => {
    const redis = createRedisClient(redisUrl, () => {});
    const shared = new RedisSharedState(redis, keyPrefix);
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
    const bound = await streamer.listen(port);
    return {
      streamer,
      port: bound,
      async stop() {
        await streamer.close();
        await shared.close();
        redis.disconnect();
      },
    };
  };
  let current = await start(0);
  const port = current.port;
  const stack: E2EStack = {
    url: `http://127.0.0.1:${port}`,
    kafka,
    prefix,
    supervisionTopic,
    store,
    streamer: current.streamer,
    ingest,
    clock,
    filesDir,
    async restartStreamer() {
      await current.stop();
      current = await start(port);
      stack.streamer = current.streamer;
    },
    async close() {
      await current.stop();
      await publisher.close();
      await ingest.stop();
      await removeTestTopics(kafka, prefix);
      await disposeTestStore(store);
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
  return stack;
}

/**
 * A stack at `at` of the fixture day holding the fixture city and `extra`, its `sessions`
 * sessions stored and the geography read, with an API client signed in as the leader.
 */
export async function startFixtureStack(
  at: string,
  extra: readonly InboundEvent[],
  sessions: number,
): Promise<{ stack: E2EStack; api: ApiClient }> {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('screen/dist is missing: npm run build -w @edu/screen');
  const stack = await startStack({ at });
  await produceEvents(stack.kafka, stack.prefix, [...fixtureCityEvents(), ...extra]);
  const api = new ApiClient(stack.url);
  await api.login('13800000001');
  const scheduled = async () =>
    (await api.get<Overview>(`/api/v1/overview?scope=city&date=${FIXTURE_DAY}`)).body.metrics.sessions_scheduled;
  let seen = await scheduled();
  for (let i = 0; i < 100 && seen !== sessions; i++) {
    await new Promise((r) => setTimeout(r, 200));
    seen = await scheduled();
  }
  if (seen !== sessions) {
    await stack.close();
    throw new Error(`the fixture stack stored ${seen} sessions in 20 s, not ${sessions}`);
  }
  await stack.streamer.refreshGeography();
  return { stack, api };
}
