import { NO_PENDING, type Store } from '@edu/analytics';
import { disposeTestStore, FIXTURE_DAY, fixtureCityEvents, openTestStore } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { redisChangePublisher, RedisChangeSubscriber } from '../shared/redis-changes.ts';
import { createRedisClient, RedisSharedState } from '../shared/redis-state.ts';
import {
  ApiClient,
  connectScreen,
  join,
  nextEvent,
  startTestStreamer,
  storeEvents,
  testRedisUrl,
  uniquePrefix,
  type TestStreamer,
} from '../testing/harness.ts';

// (contract v1.1) A decision moves the live figures: the streamer that records it feeds its own
// live path (analytics' decisionSignal), so an open screen gets an update without any ingest
// batch, with the term facts re-read; a class started after a 喊停 raises a critical alert.
// Fixture city, school s1: se1 (o1) and se2 (o2) on FIXTURE_DAY 15:30–16:30; enrolled
// st1 st2 (o1), st1 st4 (o2) → 3 students. 否定 o2: 1 session, 2 students.

const at = (hhmm: string) => Date.parse(`${FIXTURE_DAY}T${hhmm}:00+08:00`);

describe('decisions on the live path', () => {
  let store: Store;
  let t: TestStreamer;
  const clock = new ManualClock(at('15:00'));
  let leader: ApiClient;
  const decide = (subject_id: string, decision: 'voided' | 'halted') =>
    leader.post('/api/v1/decisions', {
      target_type: 'school',
      target_id: 's1',
      dimension: 'course',
      subject_id,
      decision,
      content: decision === 'voided' ? '虚报开课' : '停课整顿',
    });

  beforeAll(async () => {
    store = await openTestStore('server', 'decisions_live');
    await storeEvents(store, fixtureCityEvents());
    t = await startTestStreamer(store, {
      clock,
      config: { alerts: { evaluateEveryMs: 600_000, pendingMinutes: NO_PENDING } } as never,
    });
    await t.streamer.refreshGeography();
    leader = await new ApiClient(t.url).login('13800000001');
  });
  afterAll(async () => {
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  it('pushes the figures a 否定 changed to an open screen, term facts included', async () => {
    const socket = connectScreen(t.url, leader.token as string);
    try {
      const first = nextEvent(socket, 'snapshot');
      expect(await join(socket, 'school:s1', FIXTURE_DAY)).toEqual({ ok: true });
      expect((await first).overview.metrics).toMatchObject({ sessions_scheduled: 2, students_enrolled: 3 });
      const update = nextEvent(socket, 'update', 5000, (s) => s.overview.metrics.sessions_scheduled === 1);
      expect((await decide('o2', 'voided')).status).toBe(201);
      expect((await update).overview.metrics).toMatchObject({ sessions_scheduled: 1, students_enrolled: 2 });
    } finally {
      socket.disconnect();
    }
  });

  it('raises a critical alert for a class started after its offering was halted', async () => {
    expect((await decide('o1', 'halted')).status).toBe(201); // at 15:00: se1 (15:30) is halted
    clock.set(at('15:35'));
    await t.streamer.evaluator.evaluate();
    const alert = t.streamer.alerts.all().find((a) => a.rule === 'class_after_halt');
    expect(alert).toMatchObject({
      id: `class_after_halt:${FIXTURE_DAY}:se1`,
      severity: 'critical',
      school_id: 's1',
      title: '喊停后仍开课',
    });
  });
});

describe('a decision reaches the other instances', () => {
  // Two streamers on one Redis: the decision is made on A; B's screen follows through the
  // change channel (redisChangePublisher), with no ingest batch.
  const prefix = uniquePrefix('decisions');
  const channel = `${prefix}changes`;
  const redis = createRedisClient(testRedisUrl());
  const closers: (() => Promise<unknown> | unknown)[] = [];
  let store: Store;
  let a: TestStreamer;
  let b: TestStreamer;

  const instance = async () => {
    const shared = new RedisSharedState(redis, prefix);
    const changes = new RedisChangeSubscriber(redis, channel);
    await changes.ready();
    const t = await startTestStreamer(store, {
      clock: new ManualClock(at('18:00')),
      shared,
      changes,
      changePublisher: redisChangePublisher(redis, channel),
      config: { alerts: { evaluateEveryMs: 600_000, pendingMinutes: NO_PENDING } } as never,
    });
    closers.push(async () => {
      await t.close();
      changes.close();
      await shared.close();
    });
    await t.streamer.refreshGeography();
    return t;
  };

  beforeAll(async () => {
    store = await openTestStore('server', 'decisions_live2');
    await storeEvents(store, fixtureCityEvents());
    a = await instance();
    b = await instance();
  });
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    if (store) await disposeTestStore(store);
  });

  it("updates a screen on B with a 否定 made on A, B's term facts included", async () => {
    const onB = await new ApiClient(b.url).login('13800000001');
    const socket = connectScreen(b.url, onB.token as string);
    try {
      const first = nextEvent(socket, 'snapshot');
      expect(await join(socket, 'school:s1', FIXTURE_DAY)).toEqual({ ok: true });
      expect((await first).overview.metrics).toMatchObject({ sessions_scheduled: 2, students_enrolled: 3 });
      const update = nextEvent(socket, 'update', 5000, (s) => s.overview.metrics.sessions_scheduled === 1);
      const onA = await new ApiClient(a.url).login('13800000001');
      const r = await onA.post('/api/v1/decisions', {
        target_type: 'school',
        target_id: 's1',
        dimension: 'course',
        subject_id: 'o2',
        decision: 'voided',
        content: '虚报开课',
      });
      expect(r.status).toBe(201);
      expect((await update).overview.metrics).toMatchObject({ sessions_scheduled: 1, students_enrolled: 2 });
    } finally {
      socket.disconnect();
    }
  });
});
