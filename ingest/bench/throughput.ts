// Sustained ingest throughput, Kafka → ClickHouse, against the raw ceiling measured in the
// same run: the same messages piped by kcat into clickhouse-client with no validation.
//
//   npm run bench:ingest -w @edu/ingest -- [--events 1000000] [--engine server|chdb]
//
// Needs the services of deploy/services/up.sh (Kafka on 9092, ClickHouse on 8123).
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { INBOUND_TOPICS, migrate, openChdbStore, openServerStore, toShanghaiRfc3339, type Store } from '@edu/analytics';
import { testDatabaseName } from '@edu/analytics/testing';
import { createIngest } from '../src/service.ts';
import { groupProgress } from '../src/testing/child.ts';
import { createTestTopics, removeTestTopics, testIngestConfig, testKafka, testPrefix } from '../src/testing/kafka.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    engine: { type: 'string', default: 'server' },
    partitions: { type: 'string', default: '3' },
  },
});
const N = Number(args.events);
const engine = args.engine === 'chdb' ? 'chdb' : 'server';
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
  await pipeInto(`kcat -P -b 127.0.0.1:9092 -t ${topic} -K '|' -z none -X queue.buffering.max.ms=50`, (write) => {
    for (let i = 0; i < N; i++) write(`b${i % 1200}|${event(i)}\n`);
  });
  console.log(`  produced in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // Raw ceiling: the same messages, kcat → clickhouse-client, no validation, one table.
  console.log('measuring the raw ceiling…');
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
  const rawSeconds = (Date.now() - r0) / 1000;
  const rawCount = Number(execSync(`clickhouse-client --query "SELECT count() FROM ${rawDb}.raw"`).toString());
  execSync(`clickhouse-client --query "DROP DATABASE ${rawDb}"`);

  console.log(`  ${rawCount} rows in ${rawSeconds.toFixed(2)} s`);
  // The product's path: consumer group, validation, row mapping, batched inserts, commits.
  const database = testDatabaseName('bench');
  const store: Store =
    engine === 'chdb'
      ? await openChdbStore({ path: mkdtempSync(join(tmpdir(), 'edu-bench-')), database })
      : await openServerStore({ url: CH_URL, database });
  await migrate(store);
  const config = testIngestConfig(prefix, database, {
    INGEST_BATCH_MAX_ROWS: '50000',
    INGEST_BATCH_MAX_WAIT_MS: '500',
  });
  const ingest = await createIngest({ config, store, kafka, log: (m) => console.error(m) });
  const i0 = Date.now();
  const rss0 = process.memoryUsage().rss;
  let peakRss = rss0;
  await ingest.start();
  // Sustained: from the first commit (the group has joined, batches flow) to the last.
  let first: { at: number; committed: number } | undefined;
  for (;;) {
    const p = await groupProgress(kafka, `${prefix}ingest`, [topic]);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (!first && p.committed > 0) first = { at: Date.now(), committed: p.committed };
    if (p.committed >= N) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const done = Date.now();
  const ingestSeconds = (done - i0) / 1000;
  const sustained = first && done > first.at ? (N - first.committed) / ((done - first.at) / 1000) : N / ingestSeconds;
  await ingest.stop();
  const stored = await store.query<{ n: string | number }>({
    text: 'SELECT uniqExact(id) AS n FROM checkins',
  } as never);
  await store.exec({ text: `DROP DATABASE ${database}` } as never);
  await store.close();
  await removeTestTopics(kafka, prefix);

  const rawRate = rawCount / rawSeconds;
  const rate = N / ingestSeconds;
  console.log('');
  console.log(`| path | events | seconds | events/s |`);
  console.log(`|---|---|---|---|`);
  console.log(
    `| raw ceiling: kcat → clickhouse-client (server) | ${rawCount} | ${rawSeconds.toFixed(2)} | ${Math.round(rawRate).toLocaleString()} |`,
  );
  console.log(
    `| ingest: Kafka → validate → ClickHouse (${engine}), start to end | ${N} | ${ingestSeconds.toFixed(2)} | ${Math.round(rate).toLocaleString()} |`,
  );
  console.log(
    `| ingest, sustained (first commit to last) | ${N - (first?.committed ?? 0)} | ${(first ? (done - first.at) / 1000 : ingestSeconds).toFixed(2)} | ${Math.round(sustained).toLocaleString()} |`,
  );
  console.log('');
  console.log(
    `sustained ingest / raw = ${(sustained / rawRate).toFixed(2)}; distinct ids stored = ${Number(stored[0]?.n)}; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
  );
  process.exit(0);
}

function pipeInto(command: string, produce: (write: (s: string) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/bash', ['-c', command], { stdio: ['pipe', 'inherit', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}`))));
    let buf = '';
    produce((s) => {
      buf += s;
      if (buf.length > 1 << 20) {
        child.stdin.write(buf);
        buf = '';
      }
    });
    child.stdin.end(buf);
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
