// Sustained ingest throughput, Kafka → ClickHouse, against the raw ceiling measured in the
// same run: the same messages piped by kcat into clickhouse-client with no validation.
//
//   npm run bench:ingest -w @edu/ingest -- [--events 1000000] [--engine server|chdb] [--rounds 3]
//                                          [--workers 2] [--in-flight-mb 64] [--batch-rows 50000]
//                                          [--process [--cpu-prof <dir>]]
//
// Needs the services of deploy/services/up.sh (Kafka on 9092, ClickHouse on 8123).
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  dropDatabase,
  INBOUND_TOPICS,
  migrate,
  openChdbStore,
  openServerStore,
  toShanghaiRfc3339,
  type Store,
} from '@edu/analytics';
import type { Admin, Kafka } from 'kafkajs';
import { distinctIds, testDatabaseName } from '@edu/analytics/testing';
import { createIngest } from '../src/service.ts';
import { groupProgress, spawnIngest } from '../src/testing/child.ts';
import {
  createTestTopics,
  removeTestTopics,
  testIngestConfig,
  testIngestEnv,
  testKafka,
  testPrefix,
} from '../src/testing/kafka.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    engine: { type: 'string', default: 'server' },
    partitions: { type: 'string', default: '3' },
    workers: { type: 'string', default: '2' },
    'in-flight-mb': { type: 'string', default: '64' },
    'batch-rows': { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '3' },
    // The ingest binary in a process of its own (server engine): its peak RSS is the kernel's
    // high-water mark of that process alone, workers included, without this bench's own memory.
    process: { type: 'boolean', default: false },
    // With --process: a V8 CPU profile of each of the ingest process's threads in this folder
    // (open in Chrome's DevTools, or sum self time per function).
    'cpu-prof': { type: 'string' },
  },
});
const N = Number(args.events);
const ROUNDS = Number(args.rounds);
const engine = args.engine === 'chdb' ? 'chdb' : 'server';
if (args.process && engine !== 'server') throw new Error('--process runs the ingest binary: server engine only');
if (args['cpu-prof'] && !args.process) throw new Error('--cpu-prof profiles the ingest process: add --process');
const CH_URL = 'http://127.0.0.1:8123';

function event(i: number): string {
  const ts = toShanghaiRfc3339(Date.parse('2026-11-27T15:30:00+08:00') + (i % 9000) * 1000);
  const school = `b${String(i % 1200).padStart(4, '0')}`;
  return JSON.stringify({
    id: `bench-${i}`,
    type: 'checkin',
    ts,
    school_id: school,
    session_id: `${school}-se${i % 25}`,
    person: i % 20 === 0 ? 'teacher' : 'student',
    person_id: `st${i % 600000}`,
    method: i % 3 === 0 ? 'card' : 'face',
  });
}

async function main(): Promise<void> {
  const kafka = testKafka();
  const prefix = testPrefix('bench');
  const topic = prefix + INBOUND_TOPICS.checkin;
  await createTestTopics(kafka, prefix, Number(args.partitions));
  console.log(`producing ${N.toLocaleString()} check-ins to ${topic} (${args.partitions} partitions)…`);
  const t0 = Date.now();
  // kcat produces far faster than kafkajs; keys spread the messages over the partitions.
  await pipeInto(`kcat -P -b 127.0.0.1:9092 -t ${topic} -K '|' -z none -X queue.buffering.max.ms=50`, function* () {
    for (let i = 0; i < N; i++) yield `b${i % 1200}|${event(i)}\n`;
  });
  console.log(`  produced in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // The raw ceiling swings by 2x from one run to the next on this shared machine, so the two
  // paths are measured in alternation, round after round, and compared pair by pair.
  const admin = kafka.admin();
  await admin.connect();
  const rows: {
    raw: number;
    sustained: number;
    startToEnd: number;
    peakRss: number;
    atPeak: string;
    stored: number;
  }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const raw = rawOnce(topic);
    const ingest = await ingestOnce(kafka, admin, prefix, topic, round);
    rows.push({ raw, ...ingest });
    console.log(
      `  round ${round}: raw ${fmt(raw)} ev/s, ingest sustained ${fmt(ingest.sustained)} ev/s (ratio ${(ingest.sustained / raw).toFixed(2)}), ${ingest.stored} distinct ids stored`,
    );
  }
  await admin.disconnect();
  await removeTestTopics(kafka, prefix);

  console.log('');
  console.log(`| path (${N.toLocaleString()} events, ${ROUNDS} rounds, median [min–max]) | events/s |`);
  console.log(`|---|---|`);
  console.log(`| raw ceiling: kcat → clickhouse-client (server) | ${spread(rows.map((r) => r.raw))} |`);
  console.log(
    `| ingest (${engine}, ${args.workers} workers), start to end | ${spread(rows.map((r) => r.startToEnd))} |`,
  );
  console.log(`| ingest (${engine}, ${args.workers} workers), sustained | ${spread(rows.map((r) => r.sustained))} |`);
  console.log('');
  const ratios = rows.map((r) => r.sustained / r.raw);
  console.log(
    `sustained ingest / raw, pair by pair: median ${median(ratios).toFixed(2)} [${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}]; ` +
      `peak RSS ${mb(Math.max(...rows.map((r) => r.peakRss)))} ` +
      `(${rows.reduce((a, r) => (r.peakRss > a.peakRss ? r : a)).atPeak}); ` +
      `every round stored all ${N} ids: ${rows.every((r) => r.stored === N)}`,
  );
  process.exit(rows.every((r) => r.stored === N) ? 0 : 1);
}

/** The same messages, kcat → clickhouse-client, no validation, one table: events per second. */
function rawOnce(topic: string): number {
  const rawDb = testDatabaseName('bench_raw');
  execSync(`clickhouse-client --query "CREATE DATABASE ${rawDb}"`);
  execSync(
    `clickhouse-client --query "CREATE TABLE ${rawDb}.raw (id String, type String, ts String, school_id String, session_id String, person String, person_id String, method String) ENGINE = MergeTree ORDER BY (school_id, session_id, id)"`,
  );
  const r0 = Date.now();
  execSync(
    `kcat -C -b 127.0.0.1:9092 -t ${topic} -e -q -f '%s\\n' | clickhouse-client --max_insert_block_size=100000 --query "INSERT INTO ${rawDb}.raw FORMAT JSONEachRow"`,
    { stdio: 'inherit', shell: '/bin/bash', maxBuffer: 1 << 30 },
  );
  const seconds = (Date.now() - r0) / 1000;
  const count = Number(execSync(`clickhouse-client --query "SELECT count() FROM ${rawDb}.raw"`).toString());
  execSync(`clickhouse-client --query "DROP DATABASE ${rawDb}"`);
  if (count !== N) throw new Error(`raw path stored ${count} of ${N} rows`);
  return count / seconds;
}

/** The product's path: consumer group, validation, row mapping, batched inserts, commits. */
async function ingestOnce(kafka: Kafka, admin: Admin, prefix: string, topic: string, round: number) {
  const database = testDatabaseName('bench');
  const store: Store =
    engine === 'chdb'
      ? await openChdbStore({ path: mkdtempSync(join(tmpdir(), 'edu-bench-')), database })
      : await openServerStore({ url: CH_URL, database });
  await migrate(store);
  const groupId = `${prefix}ingest-${round}`;
  const env = testIngestEnv(prefix, database, {
    EDU_INGEST_GROUP_ID: groupId,
    EDU_INGEST_BATCH_MAX_ROWS: args['batch-rows'],
    EDU_INGEST_BATCH_MAX_WAIT_MS: '500',
    EDU_INGEST_WORKERS: args.workers,
    EDU_INGEST_MAX_IN_FLIGHT_BYTES: String(Number(args['in-flight-mb']) * 2 ** 20),
    EDU_INGEST_HTTP_PORT: '0',
    EDU_LOG_LEVEL: 'warn',
  });
  if (args.process) return ingestProcess(kafka, env, store, admin, groupId, topic);
  const ingest = await createIngest({
    config: testIngestConfig(prefix, database, env),
    store,
    kafka,
    log: (m) => console.error(m),
  });
  const i0 = Date.now();
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  let atPeak = '';
  await ingest.start();
  // Sustained: from the first commit (the group has joined, batches flow) to the last.
  let first: { at: number; committed: number } | undefined;
  for (;;) {
    const p = await groupProgress(kafka, groupId, [topic], admin);
    const m = process.memoryUsage();
    if (m.rss > peakRss) {
      // What the peak is made of: this thread's JS heap, Buffers, and the rest (workers' heaps, code).
      atPeak =
        `heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, buffers ${mb(m.arrayBuffers)}, ` +
        `other ${mb(m.rss - m.heapTotal - m.external)}; ${mb(baseRss)} before ingest started`;
      peakRss = m.rss;
    }
    if (!first && p.committed > 0) first = { at: Date.now(), committed: p.committed };
    if (p.committed >= N) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const done = Date.now();
  await ingest.stop();
  return { ...(await rates(store, i0, first, done)), peakRss, atPeak };
}

/** Events a second start to end and sustained (first commit to last); the ids stored; the database dropped. */
async function rates(store: Store, i0: number, first: { at: number; committed: number } | undefined, done: number) {
  const stored = await distinctIds(store, 'checkins');
  await dropDatabase(store);
  await store.close();
  return {
    startToEnd: N / ((done - i0) / 1000),
    sustained: first && done > first.at ? (N - first.committed) / ((done - first.at) / 1000) : N / ((done - i0) / 1000),
    stored,
  };
}

/** A process's resident memory now and at its highest (VmRSS, VmHWM), from the kernel. */
function procMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** The round with the ingest binary in a process of its own; SIGTERM once all is committed. */
async function ingestProcess(
  kafka: Kafka,
  env: Record<string, string>,
  store: Store,
  admin: Admin,
  groupId: string,
  topic: string,
) {
  const i0 = Date.now();
  const ingest = spawnIngest(env, args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] : []);
  const pid = ingest.child.pid as number;
  let before = 0;
  let first: { at: number; committed: number } | undefined;
  for (;;) {
    if (ingest.child.exitCode !== null) throw new Error(`ingest exited ${ingest.child.exitCode}:\n${ingest.output()}`);
    const p = await groupProgress(kafka, groupId, [topic], admin);
    if (!first && p.committed === 0) before = procMemory(pid).rss;
    if (!first && p.committed > 0) first = { at: Date.now(), committed: p.committed };
    if (p.committed >= N) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const done = Date.now();
  const { peak } = procMemory(pid);
  ingest.child.kill('SIGTERM');
  await ingest.exited;
  return {
    ...(await rates(store, i0, first, done)),
    peakRss: peak,
    atPeak: `the ingest process's own high-water mark (VmHWM); ${mb(before)} once started, before its first commit`,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const spread = (xs: number[]) => `${fmt(median(xs))} [${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}]`;

async function pipeInto(command: string, lines: () => Iterable<string>): Promise<void> {
  const child = spawn('/bin/bash', ['-c', command], { stdio: ['pipe', 'inherit', 'inherit'] });
  const exited = new Promise<void>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}`)))),
  );
  // Waits for the pipe to drain: otherwise the whole input sits in this process's write queue
  // (200 MB for 1M events) and its high-water mark would be counted as ingest's peak RSS.
  let buf = '';
  for (const line of lines()) {
    buf += line;
    if (buf.length > 1 << 20) {
      if (!child.stdin.write(buf)) await once(child.stdin, 'drain');
      buf = '';
    }
  }
  child.stdin.end(buf);
  await exited;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
