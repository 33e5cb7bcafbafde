// Overview and ranking query latency over a term of data: by default 100 million check-in
// rows (1M a day for 100 days, 1,200 schools, 30,000 sessions a day, 600,000 students),
// generated inside ClickHouse with numbers() so the benchmark does not measure ingest.
//
//   npm run bench:queries -w @edu/analytics -- [--engine server|chdb] [--rows 100000000] [--runs 30] [--keep]
//     [--changed 0,10,100,400,all]   schools named by a change signal before each timed read
//     [--timeline]                   after each row, one more read's queries in time (timeline.ts)
//
// Prints p50/p95/max per query. Needs deploy/services/up.sh for the server engine.
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  computeOverview,
  createMetricsReader,
  migrate,
  openChdbStore,
  openServerStore,
  rank,
  sql,
  trusted,
  type Scope,
  type Store,
} from '../src/index.ts';
import { timeline } from './timeline.ts';

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'server' },
    rows: { type: 'string', default: '100000000' },
    runs: { type: 'string', default: '30' },
    database: { type: 'string', default: 'edu_bench_test_scale' },
    keep: { type: 'boolean', default: false },
    changed: { type: 'string', default: '0,10,100,400,all' },
    timeline: { type: 'boolean', default: false },
  },
});
const ROWS = Number(args.rows);
const PER_DAY = 1_000_000;
const DAYS = Math.max(1, Math.ceil(ROWS / PER_DAY));
const SESSIONS_PER_DAY = 30_000;
const SCHOOLS = 1200;
const START = '2026-09-01';

async function open(): Promise<Store> {
  if (args.engine === 'chdb') {
    const path = join(tmpdir(), 'edu-bench-chdb');
    mkdirSync(path, { recursive: true });
    return openChdbStore({ path, database: args.database! });
  }
  return openServerStore({ url: 'http://127.0.0.1:8123', database: args.database!, requestTimeoutMs: 3_600_000 });
}

async function timed(label: string, f: () => Promise<unknown>): Promise<void> {
  const t = Date.now();
  await f();
  console.log(`  ${label}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

async function load(store: Store): Promise<void> {
  const existing = await store.query<{ n: string | number }>(sql`SELECT count() AS n FROM checkins`);
  if (Number(existing[0]?.n) >= ROWS) {
    console.log(`reusing ${Number(existing[0]?.n).toLocaleString()} check-ins in ${store.database}`);
    return;
  }
  console.log(`generating ${ROWS.toLocaleString()} check-ins over ${DAYS} days in ${store.database} (${args.engine})…`);
  const dayMs = 86_400_000;
  const start = Date.parse(`${START}T15:30:00+08:00`);
  await timed('registry', () =>
    store.exec(
      trusted(`INSERT INTO registry (id, ts_ms, ingested_ms, type, entity_id, name, school_id, zone_id, district_id, stage, students)
      SELECT concat('r', toString(number)), 0, 0, 'school', concat('s', toString(number)), concat('学校', toString(number)),
             concat('s', toString(number)), concat('z', toString(intDiv(number, 20))), concat('d', toString(intDiv(number, 100))), 'primary', 500
      FROM numbers(${SCHOOLS})`),
    ),
  );
  await timed('sessions', () =>
    store.exec(
      trusted(`INSERT INTO sessions (id, ts_ms, ingested_ms, type, school_id, session_id, offering_id, course_id, teacher_id, room, planned_start_ms, planned_end_ms, planned_day)
      SELECT concat('g', toString(number)), 0, 0, 'session_scheduled', concat('s', toString(number % ${SCHOOLS})),
             concat('se', toString(number)), concat('o', toString(number % ${SESSIONS_PER_DAY})), 'c', concat('t', toString(number % ${SESSIONS_PER_DAY})), '101',
             ${start} + intDiv(number, ${SESSIONS_PER_DAY}) * ${dayMs}, ${start} + intDiv(number, ${SESSIONS_PER_DAY}) * ${dayMs} + 5400000,
             toDate('${START}') + intDiv(number, ${SESSIONS_PER_DAY})
      FROM numbers(${DAYS * SESSIONS_PER_DAY})`),
    ),
  );
  // Nine sessions in ten prepared (教师备课) the day before, as in the simulator's city.
  await timed('lesson preparations', () =>
    store.exec(
      trusted(`INSERT INTO lesson_preparations (id, ts_ms, ingested_ms, day, school_id, session_id, teacher_id, title, plan_url)
      SELECT concat('lp', session_id), planned_start_ms - ${dayMs}, 0, planned_day - 1, school_id, session_id, teacher_id, '备课', ''
      FROM sessions WHERE cityHash64(session_id) % 10 < 9`),
    ),
  );
  await timed('enrollments', () =>
    store.exec(
      trusted(`INSERT INTO enrollments (id, ts_ms, ingested_ms, type, school_id, student_id, offering_id, fee)
      SELECT concat('e', toString(number)), 0, 0, 'enrolled', concat('s', toString(number % ${SESSIONS_PER_DAY} % ${SCHOOLS})),
             concat('st', toString(number)), concat('o', toString(number % ${SESSIONS_PER_DAY})), 20000
      FROM numbers(${SESSIONS_PER_DAY * 40})`),
    ),
  );
  await timed('offerings', () =>
    store.exec(
      trusted(`INSERT INTO offerings (id, ts_ms, ingested_ms, school_id, offering_id, term, course_id, teacher_ids, capacity, fee_per_student, weekly_sessions, description)
      SELECT concat('f', toString(number)), 0, 0, concat('s', toString(number % ${SCHOOLS})), concat('o', toString(number)), '2026-autumn', 'c', [], 40, 20000, 2, ''
      FROM numbers(${SESSIONS_PER_DAY})`),
    ),
  );
  // Check-ins in chunks of ten days, so one INSERT never needs more memory than the machine has.
  for (let d0 = 0; d0 < DAYS; d0 += 10) {
    const rows = Math.min(10, DAYS - d0) * PER_DAY;
    const offset = d0 * PER_DAY;
    await timed(`check-ins, days ${d0 + 1}–${d0 + rows / PER_DAY}`, () =>
      store.exec(
        trusted(`INSERT INTO checkins (id, ts_ms, ingested_ms, type, day, minute, school_id, session_id, person, person_id, method)
        SELECT concat('k', toString(n)), ${start} + intDiv(n, ${PER_DAY}) * ${dayMs}, 0, 'checkin',
               toDate('${START}') + intDiv(n, ${PER_DAY}), 930 + (n % 30),
               concat('s', toString((intDiv(n, ${PER_DAY}) * ${SESSIONS_PER_DAY} + n % ${SESSIONS_PER_DAY}) % ${SCHOOLS})),
               concat('se', toString(intDiv(n, ${PER_DAY}) * ${SESSIONS_PER_DAY} + n % ${SESSIONS_PER_DAY})),
               if(n % 34 = 0, 'teacher', 'student'), concat('st', toString(n % 600000)), 'face'
        FROM (SELECT number + ${offset} AS n FROM numbers(${rows}))`),
      ),
    );
  }
}

/** k distinct items of `list`, at random. */
function sample(list: readonly string[], k: number): string[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, k);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const traced = timeline(await open());
  const store = traced.store;
  await migrate(store);
  await load(store);
  const day = new Date(Date.parse(`${START}T00:00:00Z`) + Math.floor(DAYS / 2) * 86_400_000).toISOString().slice(0, 10);
  const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `s${from + i}`);
  const scopes: [string, Scope, string[]][] = [
    ['overview city', { kind: 'city' }, ids(0, SCHOOLS)],
    ['overview district', { kind: 'district', id: 'd3' }, ids(300, 100)],
    ['overview school', { kind: 'school', id: 's123' }, ['s123']],
  ];
  console.log(`\nqueries for ${day}, ${args.runs} runs each after one warm-up:`);
  // The streamer reads through a MetricsReader: the term's enrollment facts are cached until an
  // enrollment or offering lands; the day's session figures are cached per scope, and a change
  // signal naming k schools has the next read ask ClickHouse for those schools only
  // (figures-cache.ts). So each scope is timed with k schools named before every read: 0 (no
  // change), a few, many; "all" is a whole-scope read, which the live path takes once a minute
  // and after a schedule, enrollment or registry change.
  const cold = performance.now();
  await computeOverview(store, { kind: 'city' }, day);
  console.log(`(a city overview with no cache at all: ${(performance.now() - cold).toFixed(0)} ms)`);
  const changed = args.changed!.split(',').map((k) => (k === 'all' ? Infinity : Number(k)));
  console.log('| query | schools changed since the last read | p50 ms | p95 ms | max ms |');
  console.log('|---|---|---|---|---|');
  for (const [label, scope, schoolsOf] of scopes) {
    for (const k of changed) {
      const reader = createMetricsReader(store, { figures: { fullEveryMs: Infinity } });
      await reader.live(scope, day, Date.now());
      const times: number[] = [];
      let schools = 0;
      for (let i = 0; i < Number(args.runs); i++) {
        const named = k === Infinity ? [''] : sample(schoolsOf, k);
        reader.invalidate({ tables: k === Infinity ? ['sessions'] : ['checkins'], schools: named });
        const t = performance.now();
        const r = await reader.live(scope, day, Date.now());
        // The rankings come from the same per-school rows: ranking them is part of the answer.
        rank(r.schools, 'attendance_rate', 'top', 10);
        rank(r.schools, 'attendance_rate', 'bottom', 10);
        schools = r.schools.length;
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      console.log(
        `| ${label} + rankings (${schools} schools) | ${k === Infinity ? 'all' : Math.min(k, schoolsOf.length)} | ${percentile(times, 50).toFixed(0)} | ${percentile(times, 95).toFixed(0)} | ${times.at(-1)!.toFixed(0)} |`,
      );
      if (args.timeline) {
        reader.invalidate({
          tables: k === Infinity ? ['sessions'] : ['checkins'],
          schools: k === Infinity ? [''] : sample(schoolsOf, k),
        });
        console.log(await traced.trace(() => reader.live(scope, day, Date.now())));
      }
      if (k >= schoolsOf.length) break;
    }
  }
  if (!args.keep) await store.exec(sql`DROP DATABASE ${trusted(store.database)}`);
  await store.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
