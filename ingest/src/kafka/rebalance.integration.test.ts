import { computeOverview, INBOUND_TOPICS, toShanghaiRfc3339, type InboundEvent, type Store } from '@edu/analytics';
import { disposeTestStore, openTestStore, TEST_ENGINES } from '@edu/analytics/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createIngest } from '../service.ts';
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

// Two ingest members in one consumer group, one leaving mid-stream: the group rebalances, the
// other member takes over its partitions from their last commit, and every number stays exact.

const DAY = '2026-11-27';
const ts = (min: number) => toShanghaiRfc3339(Date.parse(`${DAY}T15:00:00+08:00`) + min * 60_000);
const SESSIONS = 12;
const CHECKINS = 40_000;
// The 12 sessions share one offering, whose students are all enrolled: check-in i is student
// i / 12 in session i % 12, a distinct (session, enrolled student) pair each, so each one counts
// (contract v1.1), from 3,334 enrollments.
const STUDENTS = Math.ceil(CHECKINS / SESSIONS);

function enrollments(): InboundEvent[] {
  return Array.from({ length: STUDENTS }, (_, i) => ({
    id: `rbe-${i}`,
    type: 'enrolled',
    ts: ts(-120),
    school_id: `r${i % SESSIONS}`,
    student_id: `rst-${i}`,
    offering_id: 'ro',
    fee: 1000,
  }));
}

function stream(from: number, to: number): InboundEvent[] {
  const out: InboundEvent[] = [];
  for (let i = from; i < to; i++) {
    out.push({
      id: `rb-${i}`,
      type: 'checkin',
      ts: ts(30),
      school_id: `r${i % SESSIONS}`,
      session_id: `rse-${i % SESSIONS}`,
      person: 'student',
      person_id: `rst-${Math.floor(i / SESSIONS)}`,
      method: 'face',
    });
  }
  return out;
}

describe.each(TEST_ENGINES)('two ingest members on %s', (engine) => {
  const kafka = testKafka();
  const prefix = testPrefix(`rebalance-${engine}`);
  let store: Store | undefined;

  afterAll(async () => {
    if (store) await disposeTestStore(store);
    await removeTestTopics(kafka, prefix);
  });

  it('lose nothing when one leaves the group mid-stream', async () => {
    store = await openTestStore(engine, 'rebalance');
    await createTestTopics(kafka, prefix, 4);
    const sessions: InboundEvent[] = Array.from({ length: SESSIONS }, (_, s) => ({
      id: `rbs-${s}`,
      type: 'session_scheduled',
      ts: ts(-60),
      school_id: `r${s}`,
      session_id: `rse-${s}`,
      offering_id: 'ro',
      course_id: 'rc',
      teacher_id: 'rt',
      room: '1',
      planned_start: ts(30),
      planned_end: ts(90),
    }));
    await produceEvents(kafka, prefix, [...sessions, ...enrollments()]);
    const config = testIngestConfig(prefix, store.database);
    const a = await createIngest({ config, store, kafka, log: () => undefined });
    const b = await createIngest({ config, store, kafka, log: () => undefined });
    await Promise.all([a.start(), b.start()]);
    const topics = [
      prefix + INBOUND_TOPICS.checkin,
      prefix + INBOUND_TOPICS.schedule,
      prefix + INBOUND_TOPICS.enrollment,
    ];

    await produceEvents(kafka, prefix, stream(0, CHECKINS / 2));
    // Mid-stream: the sessions, the enrollments and 5,000 check-ins stored.
    const setup = SESSIONS + STUDENTS;
    await waitFor(async () => (await groupProgress(kafka, `${prefix}ingest`, topics)).committed >= setup + 5_000);
    await b.stop(); // leaves the group: a rebalance hands its partitions to `a`
    await produceEvents(kafka, prefix, stream(CHECKINS / 2, CHECKINS));
    await waitFor(async () => {
      const p = await groupProgress(kafka, `${prefix}ingest`, topics);
      return p.committed === p.end;
    }, 60_000);
    await a.stop();

    const { overview } = await computeOverview(store, { kind: 'city' }, DAY);
    expect(overview.metrics.sessions_scheduled).toBe(SESSIONS);
    // Every enrollment stored (one lost: 12 fewer expected), and every check-in a distinct
    // (session, enrolled student) pair: one lost is one fewer present.
    expect(overview.metrics.students_expected).toBe(SESSIONS * STUDENTS);
    expect(overview.metrics.students_present).toBe(CHECKINS);
  });
});
