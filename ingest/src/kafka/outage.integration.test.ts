import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  computeOverview,
  eventKey,
  INBOUND_TOPICS,
  migrate,
  openServerStore,
  toShanghaiRfc3339,
  type InboundEvent,
  type Store,
} from '@edu/analytics';
import { testDatabaseName } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricTotal } from '../metrics.ts';
import { createIngest, type Ingest } from '../service.ts';
import { groupProgress } from '../testing/child.ts';
import {
  createTestTopics,
  produceEvents,
  removeTestTopics,
  testIngestConfig,
  testKafka,
  testPrefix,
} from '../testing/kafka.ts';
import { waitFor } from '../testing/kafka.ts';

// ClickHouse goes away mid-stream: ingest holds the batch, retries with back-off, commits
// nothing it has not stored, and once the server is back every event is there exactly once.
// A ClickHouse server of its own (other ports, other data folder), so stopping it does not
// disturb the tests running beside this one.

const SCRIPT = fileURLToPath(new URL('../../../deploy/services/clickhouse.sh', import.meta.url));
const stateDir = mkdtempSync(join(tmpdir(), 'edu-outage-'));
const ports = { CLICKHOUSE_HTTP_PORT: '18123', CLICKHOUSE_TCP_PORT: '19000' };
const clickhouse = (cmd: 'start' | 'stop') =>
  execFileSync('bash', [SCRIPT, cmd], { env: { ...process.env, ...ports, EDU_STATE_DIR: stateDir }, stdio: 'pipe' });

const DAY = '2026-11-27';
// 15,000 check-ins into 10 sessions of one offering whose 1,500 students are all enrolled: each
// check-in a distinct (session, enrolled student) pair, so each one counts (contract v1.1).
const SESSIONS = 10;
const STUDENTS = 1500;
const CHECKINS = SESSIONS * STUDENTS;
const BEFORE = 5000; // check-ins stored before the outage
const DURING = 3000; // check-ins fetched during the outage, in one record batch: more bytes than the bound
const MAX_IN_FLIGHT_BYTES = 256 * 1024;

function sessions(): InboundEvent[] {
  return Array.from({ length: SESSIONS }, (_, s) => ({
    id: `os-${s}`,
    type: 'session_scheduled',
    ts: toShanghaiRfc3339(Date.parse(`${DAY}T08:00:00+08:00`)),
    school_id: 'o1',
    session_id: `ose-${s}`,
    offering_id: 'oo',
    course_id: 'oc',
    teacher_id: `ot-${s}`,
    room: String(s),
    planned_start: toShanghaiRfc3339(Date.parse(`${DAY}T15:30:00+08:00`)),
    planned_end: toShanghaiRfc3339(Date.parse(`${DAY}T17:00:00+08:00`)),
  }));
}

function enrollments(): InboundEvent[] {
  const ts = toShanghaiRfc3339(Date.parse(`${DAY}T08:00:00+08:00`));
  return Array.from({ length: STUDENTS }, (_, i) => ({
    id: `oe-${i}`,
    type: 'enrolled',
    ts,
    school_id: 'o1',
    student_id: `ost-${i}`,
    offering_id: 'oo',
    fee: 1000,
  }));
}

/** Check-in i: student i / SESSIONS into session i % SESSIONS, each pair once. */
function checkins(from: number, to: number): InboundEvent[] {
  const ts = toShanghaiRfc3339(Date.parse(`${DAY}T15:40:00+08:00`));
  const out: InboundEvent[] = [];
  for (let i = from; i < to; i++) {
    out.push({
      id: `oc-${i}`,
      type: 'checkin',
      ts,
      school_id: 'o1',
      session_id: `ose-${i % SESSIONS}`,
      person: 'student',
      person_id: `ost-${Math.floor(i / SESSIONS)}`,
      method: 'card',
    });
  }
  return out;
}

describe('ClickHouse server stopped mid-stream', () => {
  const kafka = testKafka();
  const prefix = testPrefix('outage');
  const database = testDatabaseName('outage');
  let store: Store;
  let ingest: Ingest;

  beforeAll(async () => {
    clickhouse('start');
    store = await openServerStore({ url: `http://127.0.0.1:${ports.CLICKHOUSE_HTTP_PORT}`, database });
    await migrate(store);
    await createTestTopics(kafka, prefix);
    const config = testIngestConfig(prefix, database, {
      EDU_CLICKHOUSE_URL: `http://127.0.0.1:${ports.CLICKHOUSE_HTTP_PORT}`,
      EDU_INGEST_MAX_IN_FLIGHT_BYTES: String(MAX_IN_FLIGHT_BYTES),
    });
    ingest = await createIngest({ config, store, kafka, log: () => undefined });
    await ingest.start();
  });
  afterAll(async () => {
    await ingest?.stop();
    await store?.close();
    clickhouse('stop');
    await removeTestTopics(kafka, prefix);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('loses nothing, counts nothing twice, and stops fetching once the bytes in flight are over the bound', async () => {
    // Sessions and enrollments are waited for as well: the overview below needs every one.
    const topics = [
      prefix + INBOUND_TOPICS.checkin,
      prefix + INBOUND_TOPICS.enrollment,
      prefix + INBOUND_TOPICS.schedule,
    ];
    const setup = SESSIONS + STUDENTS;
    await produceEvents(kafka, prefix, [...sessions(), ...enrollments(), ...checkins(0, BEFORE)]);
    await waitFor(async () => (await groupProgress(kafka, `${prefix}ingest`, topics)).committed === setup + BEFORE);

    const consumedBefore = await metricTotal(ingest.metrics.consumed);

    clickhouse('stop');
    const during = checkins(BEFORE, BEFORE + DURING);
    const duringBytes = during.reduce((a, e) => a + Buffer.byteLength(JSON.stringify(e)) + eventKey(e).length, 0);
    expect(duringBytes).toBeGreaterThan(MAX_IN_FLIGHT_BYTES);
    await produceEvents(kafka, prefix, during);
    await waitFor(async () => (await metricTotal(ingest.metrics.consumed)) === consumedBefore + DURING);
    // One school, one partition: its batch is over the bound, so nothing more is fetched.
    await produceEvents(kafka, prefix, checkins(BEFORE + DURING, CHECKINS));
    await new Promise((r) => setTimeout(r, 3000));
    expect(await metricTotal(ingest.metrics.consumed)).toBe(consumedBefore + DURING);
    expect(await metricTotal(ingest.metrics.inFlightBytes)).toBe(duringBytes);
    // Nothing of the new events can be committed while nothing can be stored.
    expect((await groupProgress(kafka, `${prefix}ingest`, topics)).committed).toBe(setup + BEFORE);
    expect(Number((await ingest.metrics.storeErrors.get()).values[0]?.value)).toBeGreaterThan(0);

    clickhouse('start');
    await waitFor(
      async () => (await groupProgress(kafka, `${prefix}ingest`, topics)).committed === setup + CHECKINS,
      60_000,
    );
    expect(await metricTotal(ingest.metrics.inFlightBytes)).toBe(0);
    const { overview } = await computeOverview(store, { kind: 'city' }, DAY);
    expect(overview.metrics.sessions_scheduled).toBe(SESSIONS);
    // Every enrollment stored (one lost: 10 fewer expected), and every check-in a distinct
    // (session, enrolled student) pair: one lost is one fewer present.
    expect(overview.metrics.students_expected).toBe(CHECKINS);
    expect(overview.metrics.students_present).toBe(CHECKINS);
  });
});
