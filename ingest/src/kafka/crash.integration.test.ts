import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  computeOverview,
  INBOUND_TOPICS,
  openChdbStore,
  toShanghaiRfc3339,
  type InboundEvent,
  type Store,
} from '@edu/analytics';
import { disposeTestStore, distinctIds, testDatabaseName, TEST_ENGINES } from '@edu/analytics/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { groupProgress, spawnIngest } from '../testing/child.ts';
import { createTestTopics, produceEvents, removeTestTopics, testKafka, testPrefix } from '../testing/kafka.ts';

// A SIGKILLed ingest, restarted, leaves every metric exact: nothing lost (offsets are
// committed only after the rows are stored) and nothing double-counted (the redelivered
// tail is absorbed by the id-based metrics).

const DAY = '2026-11-27';
const SESSIONS = 120;
// Sessions share offerings, as a course's weekly sessions do: every student who checks in is
// enrolled in the session's offering, so each check-in is attendance (contract v1.1), and the
// enrollments are a tenth of the check-ins.
const OFFERINGS = 12;
const STUDENTS = 400; // enrolled per offering, all checking in to each of its 10 sessions: 48,000 check-ins

function workload(): InboundEvent[] {
  const events: InboundEvent[] = [];
  const ts = (min: number) => toShanghaiRfc3339(Date.parse(`${DAY}T15:00:00+08:00`) + min * 60_000);
  for (let s = 0; s < SESSIONS; s++) {
    const o = s % OFFERINGS;
    const school = `k${o}`;
    // An offering's enrollments go just before its first session, so they are spread over the
    // first tenth of the stream, in the middle of check-ins, and go through the crash too.
    if (s < OFFERINGS) {
      for (let i = 0; i < STUDENTS; i++) {
        events.push({
          id: `ke-${o}-${i}`,
          type: 'enrolled',
          ts: ts(-600),
          school_id: school,
          student_id: `kst-${o}-${i}`,
          offering_id: `ko-${o}`,
          fee: 1000,
        });
      }
    }
    events.push({
      id: `ks-${s}`,
      type: 'session_scheduled',
      ts: ts(-300),
      school_id: school,
      session_id: `kse-${s}`,
      offering_id: `ko-${o}`,
      course_id: 'kc',
      teacher_id: `kt-${s}`,
      room: '1',
      planned_start: ts(30),
      planned_end: ts(90),
    });
    for (let i = 0; i < STUDENTS; i++) {
      events.push({
        id: `kc-${s}-${i}`,
        type: 'checkin',
        ts: ts(25 + (i % 10)),
        school_id: school,
        session_id: `kse-${s}`,
        person: 'student',
        person_id: `kst-${o}-${i}`,
        method: 'face',
      });
    }
  }
  return events;
}

describe.each(TEST_ENGINES)('ingest SIGKILLed mid-stream on %s', (engine) => {
  const kafka = testKafka();
  const prefix = testPrefix(`crash-${engine}`);
  const database = testDatabaseName('crash');
  const chdbPath = mkdtempSync(join(tmpdir(), 'edu-crash-'));
  let store: Store | undefined;

  afterAll(async () => {
    if (store) await disposeTestStore(store);
    await removeTestTopics(kafka, prefix);
    rmSync(chdbPath, { recursive: true, force: true });
  });

  it('restarts and leaves every metric exact', async () => {
    await createTestTopics(kafka, prefix);
    const events = workload();
    const chunks = 12;
    const chunkSize = Math.ceil(events.length / chunks);
    const groupId = `${prefix}ingest`;
    const topics = [
      prefix + INBOUND_TOPICS.checkin,
      prefix + INBOUND_TOPICS.schedule,
      prefix + INBOUND_TOPICS.enrollment,
    ];
    const env = {
      EDU_STORE_ENGINE: engine,
      EDU_CHDB_PATH: chdbPath,
      EDU_CLICKHOUSE_URL: process.env.EDU_TEST_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123',
      EDU_CLICKHOUSE_DATABASE: database,
      EDU_KAFKA_BROKERS: process.env.EDU_TEST_KAFKA_BROKERS ?? '127.0.0.1:9092',
      EDU_KAFKA_TOPIC_PREFIX: prefix,
      EDU_INGEST_GROUP_ID: groupId,
      EDU_INGEST_BATCH_MAX_ROWS: '5000',
      EDU_INGEST_BATCH_MAX_WAIT_MS: '50',
      EDU_INGEST_MAX_PAST_DAYS: '100000',
      EDU_INGEST_HTTP_PORT: '0',
      EDU_REDIS_URL: '',
    };

    // Events keep arriving while the first ingest runs; it is killed once it has committed
    // something, and the rest of the stream is produced while no ingest is running. A slow
    // start (a loaded CI machine) must not let the whole stream go by first: before the last
    // two chunks, production waits for the first commit.
    const first = spawnIngest(env);
    const alive = () => first.child.exitCode === null && first.child.signalCode === null;
    let progress = { committed: 0, end: 0 };
    for (let c = 0; c < chunks; c++) {
      await produceEvents(kafka, prefix, events.slice(c * chunkSize, (c + 1) * chunkSize));
      if (!alive()) continue;
      progress = await groupProgress(kafka, groupId, topics);
      const waitUntil = Date.now() + (c === chunks - 3 ? 60_000 : 0);
      while (progress.committed === 0 && Date.now() < waitUntil && alive()) {
        await new Promise((r) => setTimeout(r, 100));
        progress = await groupProgress(kafka, groupId, topics);
      }
      if (progress.committed > 0) {
        first.child.kill('SIGKILL');
        await first.exited;
      }
    }
    if (alive()) first.child.kill('SIGKILL');
    await first.exited;
    // The kill must have landed mid-stream, or this test would prove nothing.
    expect(progress.committed, first.output()).toBeGreaterThan(0);
    expect(progress.committed).toBeLessThan(events.length);

    const second = spawnIngest(env);
    // Generous: the killed member's partitions wait out its session (EDU_INGEST_SESSION_TIMEOUT_MS),
    // and CI runs two test files at a time on two cores.
    const until = Date.now() + 240_000;
    while (Date.now() < until) {
      progress = await groupProgress(kafka, groupId, topics);
      if (progress.committed >= progress.end) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(progress.committed, second.output()).toBe(progress.end);
    second.child.kill('SIGTERM');
    expect(await second.exited, second.output()).toBe(0);

    // chDB is in-process: read it only once the ingest process has let go of it.
    store = engine === 'server' ? await openTestStoreFor(database) : await openChdbStore({ path: chdbPath, database });
    expect(await distinctIds(store, 'checkins')).toBe(SESSIONS * STUDENTS);
    const { overview } = await computeOverview(store, { kind: 'city' }, DAY);
    expect(overview.metrics.sessions_scheduled).toBe(SESSIONS);
    // Every enrollment stored (one lost: 10 fewer expected), and every check-in a distinct
    // (session, enrolled student) pair: one lost is one fewer present.
    expect(overview.metrics.students_expected).toBe(SESSIONS * STUDENTS);
    expect(overview.metrics.students_present).toBe(SESSIONS * STUDENTS);
    // The killed member holds its partitions until its group session times out (30 s), and the
    // suite runs two files at a time on two cores: this test needs more than the default.
  }, 300_000);
});

async function openTestStoreFor(database: string): Promise<Store> {
  const { openServerStore } = await import('@edu/analytics');
  return openServerStore({ url: process.env.EDU_TEST_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123', database });
}
