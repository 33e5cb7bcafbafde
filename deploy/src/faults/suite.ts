import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { migrate, openServerStore, shanghaiDay } from '@edu/analytics';
import { disposeTestStore, distinctIds, rowCount, testDatabaseName } from '@edu/analytics/testing';
import { spawnIngest, type IngestChild } from '@edu/ingest/testing/child';
import { createTestTopics, produceEvents, removeTestTopics, testKafka, testPrefix } from '@edu/ingest/testing/kafka';
import {
  createRedisClient,
  createStreamer,
  InProcessSupervisionPublisher,
  loadConfig,
  RedisChangeSubscriber,
  RedisSharedState,
  redisAdapter,
  type Streamer,
} from '@edu/streamer';
import { ApiClient, tcpBalancer } from '@edu/streamer/testing';
import { checkinsCountedByApi, runFaults, type Fault, type FaultFigures } from './measure.ts';
import { OwnRedis } from './own-redis.ts';
import { Screens } from './screens.ts';
import { fixture, SteadyLoad } from './traffic.ts';

// The fault suite: steady check-in traffic into the real Kafka, the real ingest (a child
// process) storing into the ClickHouse server, a streamer counting through the read API, and
// one fault after another: ingest SIGKILLed, ClickHouse stopped, the Kafka broker restarted,
// one of two streamer instances killed under connected screens, Redis stopped and restarted. For each: events produced until the pipeline caught up, how long after it
// ended the pipeline had caught up, and how many were lost; at the end, every event produced must be
// stored once and counted once by the API (read through the load balancer; the count is the
// city's attendance curve, distinct check-in ids per minute, see the end of runFaultSuite).
//
// It stops and starts the services of deploy/services: run it alone, never beside tests.

export type { FaultFigures } from './measure.ts';

export interface FaultOptions {
  /** Check-ins produced per second throughout. */
  rate: number;
  /** How long ClickHouse stays down, and how long the other faults last, in seconds. */
  clickhouseDownSeconds: number;
  faultSeconds: number;
  /** Steady traffic before each fault, in seconds. */
  steadySeconds: number;
  /** Screens connected through the load balancer to two streamer instances. */
  screens: number;
  /** Give up waiting for a recovery after this long. */
  recoveryTimeoutSeconds: number;
  log: (msg: string) => void;
}

export interface SuiteResult {
  faults: FaultFigures[];
  produced: number;
  storedDistinct: number;
  /** Rows stored more than once (redeliveries after a crash), absorbed by every metric. */
  redelivered: number;
  /** Check-ins counted by the read API: the city's attendance curve summed (distinct event ids). */
  countedByApi: number;
  /** Screens connected through the balancer, and how many resynced on the surviving instance. */
  screens: number;
  screensResynced: number;
  lost: number;
  doubleCounted: number;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export async function runFaultSuite(opts: FaultOptions): Promise<SuiteResult> {
  const log = opts.log;
  const kafka = testKafka();
  const prefix = testPrefix('faults');
  const brokers = process.env.EDU_TEST_KAFKA_BROKERS ?? '127.0.0.1:9092';
  const chUrl = process.env.EDU_TEST_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
  const database = testDatabaseName('faults');
  await createTestTopics(kafka, prefix, 3);
  // A Redis of the suite's own, so stopping it touches nothing else on the machine.
  const redis = new OwnRedis(Number(process.env.EDU_FAULTS_REDIS_PORT ?? 26_391));
  await redis.start();
  const store = await openServerStore({ url: chUrl, database });
  await migrate(store);

  const ingestEnv = {
    EDU_KAFKA_BROKERS: brokers,
    EDU_KAFKA_TOPIC_PREFIX: prefix,
    EDU_INGEST_GROUP_ID: `${prefix}ingest`,
    EDU_CLICKHOUSE_URL: chUrl,
    EDU_CLICKHOUSE_DATABASE: database,
    EDU_REDIS_URL: redis.url,
    EDU_INGEST_HTTP_PORT: '0',
    EDU_INGEST_BATCH_MAX_WAIT_MS: '100',
    EDU_INGEST_RETRY_MIN_MS: '100',
    EDU_INGEST_RETRY_MAX_MS: '1000',
  };
  let ingest: IngestChild = spawnIngest(ingestEnv);
  const day = shanghaiDay(Date.now());
  await produceEvents(kafka, prefix, fixture(day));

  // Two streamer instances on the suite's Redis behind a load balancer, as deploy/cluster runs
  // them, with screens connected through it.
  const redisClient = createRedisClient(redis.url, () => undefined);
  const keyPrefix = `edu:faults:${randomBytes(3).toString('hex')}:`;
  const startStreamer = async () => {
    const changes = new RedisChangeSubscriber(redisClient);
    await changes.ready();
    const shared = new RedisSharedState(redisClient, keyPrefix);
    const adapter = redisAdapter(redisClient, `${keyPrefix}socket.io`);
    const streamer: Streamer = await createStreamer({
      config: loadConfig({}, { port: 0, clickhouse: { engine: 'server' }, seedUsers: 'true' }),
      store,
      shared,
      changes,
      publisher: new InProcessSupervisionPublisher(),
      adapter: adapter.attach,
      log: () => undefined,
    });
    const port = await streamer.listen(0);
    return {
      port,
      close: async () => {
        await streamer.close();
        changes.close();
        adapter.close();
      },
    };
  };
  const instanceA = await startStreamer();
  const instanceB = await startStreamer();
  const lb = await tcpBalancer();
  lb.target(instanceA.port);
  const url = `http://127.0.0.1:${lb.port}`;
  const api = await new ApiClient(url).login('13800000001');
  const screens = new Screens(url, api.token as string, day, opts.screens);
  await screens.connect();

  const load = new SteadyLoad(kafka, prefix, opts.rate, day);
  await load.start();
  const stored = () => distinctIds(store, 'checkins');
  const service = (name: string, action: 'stop' | 'start') =>
    // Asynchronous: the load and the streamer keep running while a service stops and starts.
    // EDU_RESET=0: a restart must keep the data, whatever the caller's environment says.
    new Promise<void>((resolve, reject) => {
      const child = spawn('bash', [`deploy/services/${name}.sh`, action], {
        cwd: ROOT,
        env: { ...process.env, EDU_RESET: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name}.sh ${action}: ${out}`))));
    });

  const faults: Fault[] = [
    {
      name: 'ingest SIGKILLed, restarted 2 s later',
      inject: async () => {
        ingest.child.kill('SIGKILL');
        await ingest.exited;
        await sleep(2_000);
      },
      heal: async () => {
        ingest = spawnIngest(ingestEnv);
      },
    },
    {
      name: `ClickHouse server stopped for ${opts.clickhouseDownSeconds} s`,
      inject: async () => {
        await service('clickhouse', 'stop');
        await sleep(opts.clickhouseDownSeconds * 1000);
      },
      heal: async () => service('clickhouse', 'start'),
    },
    {
      name: `Kafka broker stopped for ${opts.faultSeconds} s and restarted`,
      inject: async () => {
        await service('kafka', 'stop');
        await sleep(opts.faultSeconds * 1000);
      },
      heal: async () => service('kafka', 'start'),
    },
    {
      name: `one of two streamer instances killed under ${opts.screens} screens`,
      inject: async () => {
        const before = screens.snapshots();
        lb.target(instanceB.port);
        const killed = Date.now();
        await instanceA.close();
        // Every screen reconnects through the balancer to the other instance and resyncs.
        for (const until = killed + opts.recoveryTimeoutSeconds * 1000; Date.now() < until; await sleep(100)) {
          if (screens.resynced(before) === opts.screens) break;
        }
        log(
          `  ${screens.resynced(before)}/${opts.screens} screens resynced on the other instance ${((Date.now() - killed) / 1000).toFixed(1)} s after the kill`,
        );
        screensResynced = screens.resynced(before);
      },
      heal: async () => undefined,
    },
    {
      name: `Redis stopped for ${opts.faultSeconds} s and restarted`,
      inject: async () => {
        await redis.stop();
        await sleep(opts.faultSeconds * 1000);
      },
      heal: async () => redis.start(),
    },
  ];

  let screensResynced = 0;
  let figures: FaultFigures[];
  try {
    figures = await runFaults(faults, {
      load,
      stored,
      steadySeconds: opts.steadySeconds,
      recoveryTimeoutSeconds: opts.recoveryTimeoutSeconds,
      log,
    });
  } finally {
    await load.stop();
  }

  // Everything produced is stored once and counted once.
  const produced = load.acked;
  let storedDistinct = 0;
  for (const until = Date.now() + opts.recoveryTimeoutSeconds * 1000; Date.now() < until; await sleep(250)) {
    storedDistinct = await stored();
    if (storedDistinct >= produced) break;
  }
  const rows = await rowCount(store, 'checkins');
  const countedByApi = await checkinsCountedByApi(api, day, produced, log);

  ingest.child.kill('SIGTERM');
  await ingest.exited;
  screens.close();
  lb.close();
  await instanceB.close();
  const keys = await redisClient.keys(`${keyPrefix}*`).catch(() => []);
  if (keys.length) await redisClient.del(...keys).catch(() => undefined);
  redisClient.disconnect();
  await redis.stop();
  await removeTestTopics(kafka, prefix);
  await disposeTestStore(store);
  return {
    faults: figures,
    produced,
    storedDistinct,
    redelivered: rows - storedDistinct,
    countedByApi,
    screens: opts.screens,
    screensResynced,
    lost: Math.max(0, produced - storedDistinct),
    doubleCounted: Math.max(0, countedByApi - produced),
  };
}
