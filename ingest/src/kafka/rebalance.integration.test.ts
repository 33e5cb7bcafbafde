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

function stream(from: number, to: number): InboundEvent[] {
  const out: InboundEvent[] = [];
  for (let i = from; i < to; i++) {
    out.push({
      id: `rb-${i}`,
      type: 'checkin',
      ts: ts(30),
      school_id: `r${i % 12}`,
      session_id: `rse-${i % 12}`,
      person: 'student',
      person_id: `rst-${i}`,
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
    const sessions: InboundEvent[] = Array.from({ length: 12 }, (_, s) => ({
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
    await produceEvents(kafka, prefix, sessions);
    const config = testIngestConfig(prefix, store.database);
    const a = await createIngest({ config, store, kafka, log: () => undefined });
    const b = await createIngest({ config, store, kafka, log: () => undefined });
    await Promise.all([a.start(), b.start()]);
    const topics = [prefix + INBOUND_TOPICS.checkin, prefix + INBOUND_TOPICS.schedule];

    await produceEvents(kafka, prefix, stream(0, 20_000));
    await waitFor(async () => (await groupProgress(kafka, `${prefix}ingest`, topics)).committed >= 5_000);
    await b.stop(); // leaves the group: a rebalance hands its partitions to `a`
    await produceEvents(kafka, prefix, stream(20_000, 40_000));
    await waitFor(async () => {
      const p = await groupProgress(kafka, `${prefix}ingest`, topics);
      return p.committed === p.end;
    }, 60_000);
    await a.stop();

    const { overview } = await computeOverview(store, { kind: 'city' }, DAY);
    expect(overview.metrics.sessions_scheduled).toBe(12);
    expect(overview.metrics.students_present).toBe(40_000);
  });
});
