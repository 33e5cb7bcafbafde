// The orphan report (analytics/src/quality/orphans.ts) over 10 million check-ins: 1M a day for
// 10 days, 30,000 sessions a day, 600,000 registered students; one check-in in a hundred is for
// a session never scheduled and one in two hundred by a student never registered. Generated
// inside ClickHouse with numbers(); the report reads today and the 7 days before (8M rows).
//
//   npx tsx analytics/bench/orphans-at-scale.ts [--engine server|chdb] [--rows 10000000] [--runs 5] [--keep]
//
// Prints each run's time and the report's check-in row. Needs deploy/services/up.sh for the server.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  dropDatabase,
  migrate,
  openChdbStore,
  openServerStore,
  orphanReport,
  trusted,
  type Store,
} from '../src/index.ts';

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'server' },
    rows: { type: 'string', default: '10000000' },
    runs: { type: 'string', default: '5' },
    database: { type: 'string', default: 'edu_bench_test_orphans' },
    keep: { type: 'boolean', default: false },
  },
});
const ROWS = Number(args.rows);
const PER_DAY = 1_000_000;
const DAYS = Math.max(1, Math.ceil(ROWS / PER_DAY));
const SESSIONS_PER_DAY = 30_000;
const STUDENTS = 600_000;
const SCHOOLS = 1200;
const START = '2026-11-01';
const DAY_MS = 86_400_000;

async function open(): Promise<Store> {
  if (args.engine === 'chdb') {
    const path = join(tmpdir(), 'edu-bench-chdb');
    mkdirSync(path, { recursive: true });
    return openChdbStore({ path, database: args.database! });
  }
  return openServerStore({ url: 'http://127.0.0.1:8123', database: args.database!, requestTimeoutMs: 3_600_000 });
}

async function load(store: Store): Promise<void> {
  const start = Date.parse(`${START}T15:30:00+08:00`);
  await store.exec(
    trusted(`INSERT INTO registry (id, ts_ms, ingested_ms, type, entity_id, name, school_id, zone_id, district_id, stage, students)
    SELECT concat('r', toString(number)), 0, 0, 'school', concat('s', toString(number)), '学校', concat('s', toString(number)),
           'z', 'd', 'primary', 500 FROM numbers(${SCHOOLS})`),
  );
  await store.exec(
    trusted(`INSERT INTO registry (id, ts_ms, ingested_ms, type, entity_id, name, school_id, grade, class_name)
    SELECT concat('rs', toString(number)), 0, 0, 'student', concat('st', toString(number)), '学生',
           concat('s', toString(number % ${SCHOOLS})), 3, '1' FROM numbers(${STUDENTS})`),
  );
  await store.exec(
    trusted(`INSERT INTO sessions (id, ts_ms, ingested_ms, type, school_id, session_id, offering_id, course_id, teacher_id, room, planned_start_ms, planned_end_ms, planned_day)
    SELECT concat('g', toString(number)), 0, 0, 'session_scheduled', concat('s', toString(number % ${SCHOOLS})),
           concat('se', toString(number)), 'o', 'c', 't', '101',
           ${start} + intDiv(number, ${SESSIONS_PER_DAY}) * ${DAY_MS}, ${start} + intDiv(number, ${SESSIONS_PER_DAY}) * ${DAY_MS} + 5400000,
           toDate('${START}') + intDiv(number, ${SESSIONS_PER_DAY})
    FROM numbers(${DAYS * SESSIONS_PER_DAY})`),
  );
  for (let d = 0; d < DAYS; d++) {
    const offset = d * PER_DAY;
    // n % 100 = 1: a session id never scheduled; n % 200 = 3: a student id never registered.
    await store.exec(
      trusted(`INSERT INTO checkins (id, ts_ms, ingested_ms, type, day, minute, school_id, session_id, person, person_id, method)
      SELECT concat('k', toString(n)), ${start} + ${d * DAY_MS}, ${start} + ${d * DAY_MS}, 'checkin',
             toDate('${START}') + ${d}, 930,
             concat('s', toString(n % ${SCHOOLS})),
             if(n % 100 = 1, concat('ghost', toString(n)), concat('se', toString(${d * SESSIONS_PER_DAY} + n % ${SESSIONS_PER_DAY}))),
             'student', if(n % 200 = 3, concat('nobody', toString(n)), concat('st', toString(n % ${STUDENTS}))), 'face'
      FROM (SELECT number + ${offset} AS n FROM numbers(${PER_DAY}))`),
    );
  }
}

async function main(): Promise<void> {
  const store = await open();
  await migrate(store);
  const [{ n } = { n: 0 }] = await store.query<{ n: string | number }>(trusted('SELECT count() AS n FROM checkins'));
  if (Number(n) >= ROWS) console.log(`reusing ${Number(n).toLocaleString()} check-ins in ${store.database}`);
  else {
    const t0 = performance.now();
    await load(store);
    console.log(`generated ${ROWS.toLocaleString()} check-ins in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const now = Date.parse(`${START}T18:00:00+08:00`) + (DAYS - 1) * DAY_MS;
  const times: number[] = [];
  let last = null;
  for (let i = 0; i < Number(args.runs); i++) {
    const t = performance.now();
    last = await orphanReport(store, now);
    times.push(performance.now() - t);
  }
  console.log(`orphan report (${args.engine}), ms per run: ${times.map((t) => t.toFixed(0)).join(', ')}`);
  console.log(JSON.stringify(last?.rows.find((r) => r.type === 'checkin')));
  if (!args.keep) await dropDatabase(store);
  await store.close();
}

await main();
