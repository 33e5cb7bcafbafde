import { randomBytes } from 'node:crypto';
import {
  INBOUND_TOPICS,
  migrate,
  openServerStore,
  shanghaiDay,
  toShanghaiRfc3339,
  type InboundEvent,
} from '@edu/analytics';
import { disposeTestStore, testDatabaseName } from '@edu/analytics/testing';
import { spawnIngest } from '@edu/ingest/testing/child';
import { createTestTopics, produceEvents, removeTestTopics, testKafka, testPrefix } from '@edu/ingest/testing/kafka';
import {
  createStreamer,
  createRedisClient,
  loadConfig,
  RedisChangeSubscriber,
  RedisSharedState,
  InProcessSupervisionPublisher,
} from '@edu/streamer';
import { ApiClient, connectScreen, join, testRedisUrl } from '@edu/streamer/testing';
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { groupProgress } from '@edu/ingest/testing/child';
import { Partitioners } from 'kafkajs';

// The load run: check-ins produced to the real Kafka at `rate` events/s with `ts` = the moment
// of producing, consumed by the real ingest (a child process) into the ClickHouse server,
// signalled over Redis to a streamer, pushed to one measuring screen joined to the city and to
// `screens` more in a process of their own. For every update the measuring screen receives,
// latency = arrival − `overview.as_of` (the newest event time the update includes). Every
// `sampleSeconds`: consumer lag, that latency, and CPU and RSS of ingest, the streamer (this
// process) and the screens. CLI: deploy/bench/latency.ts; reduced form: load.stress.test.ts.
// Needs deploy/services (Kafka, ClickHouse server, Redis).

const SCHOOLS = 400;
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

function registry(): InboundEvent[] {
  const ts = toShanghaiRfc3339(Date.now() - 86_400_000);
  const out: InboundEvent[] = [];
  for (let d = 0; d < 10; d++) out.push({ id: `lat-d${d}`, type: 'district', ts, entity_id: `ld${d}`, name: `区${d}` });
  for (let z = 0; z < 40; z++)
    out.push({ id: `lat-z${z}`, type: 'zone', ts, entity_id: `lz${z}`, name: `学区${z}`, district_id: `ld${z % 10}` });
  for (let s = 0; s < SCHOOLS; s++) {
    out.push({
      id: `lat-s${s}`,
      type: 'school',
      ts,
      school_id: `ls${s}`,
      entity_id: `ls${s}`,
      name: `学校${s}`,
      zone_id: `lz${s % 40}`,
      district_id: `ld${s % 10}`,
      stage: 'primary',
      students: 500,
    });
  }
  return out;
}

export interface LoadOptions {
  /** Check-ins produced per second. */
  rate: number;
  seconds: number;
  /** More screens joined to the city, in a process of their own. */
  screens: number;
  sampleSeconds: number;
  log: (line: string) => void;
}

export interface LoadSample {
  t: number;
  producedPerSecond: number;
  lag: number;
  p50: number;
  p99: number;
  ingest: string;
  streamer: string;
  screens: string;
}

export interface LoadResult {
  samples: LoadSample[];
  events: number;
  offeredPerSecond: number;
  /** Updates the measuring screen received, and their event-to-screen latency. */
  updates: number;
  p50: number;
  p99: number;
  /** Updates each of the other screens received (min over screens is not tracked: total). */
  screensUpdates: number;
  ingestP50: number;
  ingestP99: number;
  recomputeMeanMs: number;
  /** Consumer lag once production stopped and a few seconds passed. */
  finalLag: number;
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const { rate: RATE, seconds: SECONDS, screens: SCREENS, sampleSeconds: SAMPLE_SECONDS } = opts;
  const samples: LoadSample[] = [];
  const kafka = testKafka();
  const prefix = testPrefix('latency');
  await createTestTopics(kafka, prefix, 3);
  const database = testDatabaseName('latency');
  const chUrl = process.env.EDU_TEST_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
  const redisUrl = testRedisUrl();
  // Dropping the run's database at the end (ten million rows, still being merged) took over
  // the client's default 30 s once.
  const store = await openServerStore({ url: chUrl, database, requestTimeoutMs: 300_000 });
  await migrate(store);
  const ingest = spawnIngest({
    EDU_KAFKA_BROKERS: process.env.EDU_TEST_KAFKA_BROKERS ?? '127.0.0.1:9092',
    EDU_KAFKA_TOPIC_PREFIX: prefix,
    EDU_INGEST_GROUP_ID: `${prefix}ingest`,
    EDU_CLICKHOUSE_URL: chUrl,
    EDU_CLICKHOUSE_DATABASE: database,
    EDU_REDIS_URL: redisUrl,
    EDU_INGEST_HTTP_PORT: '0',
    EDU_INGEST_BATCH_MAX_WAIT_MS: '100',
  });
  await produceEvents(kafka, prefix, registry());

  const redis = createRedisClient(redisUrl, () => undefined);
  const changes = new RedisChangeSubscriber(redis);
  await changes.ready();
  // Where the time goes: ingest (newest event → its batch stored) and the streamer's recompute.
  const ingestLag: number[] = [];
  changes.subscribe((sig) => {
    if (sig.tables.includes('checkins')) ingestLag.push(sig.stored_ms - sig.max_ts_ms);
  });
  const shared = new RedisSharedState(redis, `edu:bench:${randomBytes(3).toString('hex')}:`);
  const streamer = await createStreamer({
    config: loadConfig({}, { port: 0, clickhouse: { engine: 'server' }, seedUsers: 'true' }),
    store,
    shared,
    changes,
    publisher: new InProcessSupervisionPublisher(),
    log: () => {},
  });
  const port = await streamer.listen(0);
  const url = `http://127.0.0.1:${port}`;
  // Wait until the registry is stored and the streamer knows the city.
  for (let i = 0; i < 100 && streamer.geo().schools.size < SCHOOLS; i++) {
    await new Promise((r) => setTimeout(r, 200));
    await streamer.refreshGeography();
  }
  const api = await new ApiClient(url).login('13800000001');
  const socket = connectScreen(url, api.token as string);
  const latencies: number[] = [];
  let measuring = false;
  socket.on('update', (s) => {
    if (measuring && s.overview.as_of) latencies.push(Date.now() - Date.parse(s.overview.as_of));
  });
  const joined = await join(socket, 'city', shanghaiDay(Date.now()));
  if (!joined.ok) throw new Error(`join: ${joined.error}`);

  // The other screens, in a process of their own (they would be on other machines).
  let screens: ChildProcess | undefined;
  if (SCREENS > 0) {
    const t0 = Date.now();
    screens = fork(
      new URL('../../../streamer/bench/fanout-clients.ts', import.meta.url),
      [url, api.token as string, 'city', shanghaiDay(Date.now()), String(SCREENS)],
      { execArgv: ['--import', 'tsx'] },
    );
    const ready = await new Promise<{ ready?: number; error?: string }>((r) =>
      screens?.once('message', (m) => r(m as never)),
    );
    if (ready.error) throw new Error(`screens: ${ready.error}`);
    opts.log(`${ready.ready} more screens joined the city in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const admin = kafka.admin();
  await admin.connect();
  const sampler = new Sampler({ ingest: ingest.child.pid, screens: screens?.pid });
  sampler.take();
  opts.log(
    '| t (s) | produced ev/s | consumer lag (events) | event-to-screen p50 / p99 ms | ingest CPU % / RSS MB | streamer CPU % / RSS MB | screens CPU % / RSS MB |',
  );
  opts.log('|---|---|---|---|---|---|---|');
  let sampledAt = Date.now();
  let sampledSeq = 0;
  let sampledLatencies = 0;
  const sample = async () => {
    const now = Date.now();
    const p = await groupProgress(kafka, `${prefix}ingest`, [topic], admin);
    const window = latencies.slice(sampledLatencies).sort((a, b) => a - b);
    sampledLatencies = latencies.length;
    const u = sampler.take();
    const s: LoadSample = {
      t: Math.round((now - started) / 1000),
      producedPerSecond: Math.round(((seq - sampledSeq) * 1000) / (now - sampledAt)),
      lag: p.end - p.committed,
      p50: pct(window, 50),
      p99: pct(window, 99),
      ingest: u.ingest,
      streamer: u.self,
      screens: u.screens,
    };
    samples.push(s);
    opts.log(
      `| ${s.t} | ${s.producedPerSecond} | ${s.lag} | ${s.p50} / ${s.p99} | ${s.ingest} | ${s.streamer} | ${s.screens} |`,
    );
    sampledAt = now;
    sampledSeq = seq;
  };

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const topic = prefix + INBOUND_TOPICS.checkin;
  opts.log(`producing ${RATE} check-ins/s for ${SECONDS} s…`);
  let seq = 0;
  let lagBehind = 0;
  const tickMs = 50;
  const perTick = Math.round((RATE * tickMs) / 1000);
  const started = Date.now();
  measuring = true;
  while (Date.now() - started < SECONDS * 1000) {
    const tick = Date.now();
    const ts = toShanghaiRfc3339(tick);
    const messages = Array.from({ length: perTick }, () => {
      const i = seq++;
      const school = `ls${i % SCHOOLS}`;
      return {
        key: school,
        value: JSON.stringify({
          id: `lat-${i}`,
          type: 'checkin',
          ts,
          school_id: school,
          session_id: `${school}-se${i % 7}`,
          person: 'student',
          person_id: `p${i % 200_000}`,
          method: 'face',
        }),
      };
    });
    await producer.send({ topic, messages, acks: 1 });
    if (Date.now() - sampledAt >= SAMPLE_SECONDS * 1000) await sample();
    const spent = Date.now() - tick;
    if (spent > tickMs) lagBehind++;
    else await new Promise((r) => setTimeout(r, tickMs - spent));
  }
  const producedSeconds = (Date.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 3000));
  measuring = false;
  latencies.sort((a, b) => a - b);
  opts.log(
    `event-to-socket: ${seq} events in ${producedSeconds.toFixed(1)} s (${Math.round(seq / producedSeconds)} ev/s offered; producer fell behind on ${lagBehind} ticks); ` +
      `${latencies.length} updates; latency p50 ${pct(latencies, 50)} ms, p99 ${pct(latencies, 99)} ms, max ${latencies.at(-1)} ms`,
  );
  ingestLag.sort((a, b) => a - b);
  const recompute = (await streamer.metrics.snapshotDuration.get()).values;
  const sum = recompute.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0;
  const count = recompute.find((v) => v.metricName?.endsWith('_count'))?.value ?? 1;
  opts.log(
    `  of which ingest (newest event → batch stored): p50 ${pct(ingestLag, 50)} ms, p99 ${pct(ingestLag, 99)} ms; ` +
      `snapshot recompute mean ${((sum / count) * 1000).toFixed(0)} ms over ${count}`,
  );
  let screensUpdates = 0;
  if (screens) {
    screens.send({ cmd: 'take' });
    const { latencies: fan } = await new Promise<{ latencies: number[] }>((r) =>
      screens?.once('message', (m) => r(m as never)),
    );
    fan.sort((a, b) => a - b);
    screensUpdates = fan.length;
    opts.log(
      `  the ${SCREENS} other screens: ${fan.length} updates, snapshot-to-screen p50 ${pct(fan, 50)} ms, p99 ${pct(fan, 99)} ms`,
    );
    screens.send({ cmd: 'exit' });
  }
  const final = await groupProgress(kafka, `${prefix}ingest`, [topic], admin);
  await admin.disconnect();
  socket.disconnect();
  await producer.disconnect();
  ingest.child.kill('SIGTERM');
  // SIGTERM drains; a drain that takes more than 15 s is reported, then cut short.
  const drained = await Promise.race([
    ingest.exited.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), 15_000)),
  ]);
  if (!drained) {
    opts.log('  (ingest did not finish draining within 15 s of SIGTERM; killed)');
    ingest.child.kill('SIGKILL');
  }
  await streamer.close();
  changes.close();
  await shared.close();
  redis.disconnect();
  await removeTestTopics(kafka, prefix);
  await disposeTestStore(store);
  return {
    samples,
    events: seq,
    offeredPerSecond: Math.round(seq / producedSeconds),
    updates: latencies.length,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    screensUpdates,
    ingestP50: pct(ingestLag, 50),
    ingestP99: pct(ingestLag, 99),
    recomputeMeanMs: Math.round((sum / count) * 1000),
    finalLag: final.end - final.committed,
  };
}

/** CPU (share of one core since the last take) and RSS of this process and two children, from /proc. */
class Sampler {
  private last = new Map<string, { cpu: number; at: number }>();
  constructor(private readonly pids: { ingest?: number; screens?: number }) {}

  take(): { ingest: string; self: string; screens: string } {
    return {
      ingest: this.of('ingest', this.pids.ingest),
      self: this.of('self', process.pid),
      screens: this.of('screens', this.pids.screens),
    };
  }

  private of(name: string, pid: number | undefined): string {
    if (!pid) return '—';
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      const ticks = Number(stat[11]) + Number(stat[12]); // utime + stime, in clock ticks (100/s)
      const rssMb = (Number(stat[21]) * 4096) / 2 ** 20;
      const now = Date.now();
      const prev = this.last.get(name);
      this.last.set(name, { cpu: ticks, at: now });
      const cpu = prev ? ((ticks - prev.cpu) * 10) / ((now - prev.at) / 100) : NaN;
      return `${Number.isNaN(cpu) ? '—' : Math.round(cpu)} / ${Math.round(rssMb)}`;
    } catch {
      return 'gone';
    }
  }
}
