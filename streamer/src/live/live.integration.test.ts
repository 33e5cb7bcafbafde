import {
  checkinMinutes,
  NO_PENDING,
  type ChangeSignal,
  type CurveUpdate,
  type Notice,
  type PushedSnapshot,
  type PushedUpdate,
  type Store,
} from '@edu/analytics';
import { disposeTestStore, FIXTURE_DAY, fixtureCityEvents, openTestStore } from '@edu/analytics/testing';
import { publishedCount } from '@edu/ingest/testing/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { createKafkaSupervisionPublisher } from '../publish/kafka-publisher.ts';
import type { SupervisionPublisher } from '../publish/publisher.ts';
import { RedisChangeSubscriber } from '../shared/redis-changes.ts';
import { redisAdapter } from '../shared/redis-adapter.ts';
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
  type ScreenSocket,
  type TestStreamer,
} from '../testing/harness.ts';

// Two streamer instances on one real Redis (shared state, pub/sub, Socket.IO adapter), one
// ClickHouse server, notices published to a real Kafka topic.

const brokers = (process.env.EDU_TEST_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const redisUrl = testRedisUrl();
const SIX_PM = Date.parse(`${FIXTURE_DAY}T18:00:00+08:00`);

describe('two streamers on one Redis', () => {
  const prefix = uniquePrefix('live');
  const changeChannel = `${prefix}changes`;
  const topic = `${prefix.replace(/:/g, '.')}supervision`;
  const kafka = new Kafka({ clientId: 'streamer-test', brokers, logLevel: logLevel.NOTHING });
  const redis = createRedisClient(redisUrl);
  const closers: (() => Promise<unknown> | unknown)[] = [];
  let store: Store;
  let a: TestStreamer;
  let b: TestStreamer;
  let publisher: SupervisionPublisher;

  const instance = async () => {
    const shared = new RedisSharedState(redis, prefix);
    const changes = new RedisChangeSubscriber(redis, changeChannel);
    await changes.ready();
    const adapter = redisAdapter(redis, `${prefix}socket.io`);
    const t = await startTestStreamer(store, {
      clock: new ManualClock(SIX_PM),
      shared,
      changes,
      publisher,
      // No pending periods: this suite is about two instances, not the rules' timing
      // (streamer/src/alerts/alerts.integration.test.ts tests those).
      config: { alerts: { evaluateEveryMs: 600_000, pendingMinutes: NO_PENDING } } as never,
      adapter: adapter.attach,
    });
    closers.push(async () => {
      await t.close();
      changes.close();
      await shared.close();
      adapter.close();
    });
    return t;
  };

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    await admin.disconnect();
    publisher = await createKafkaSupervisionPublisher({ brokers, clientId: 'streamer-test', topic });
    store = await openTestStore('server', 'live');
    await storeEvents(store, fixtureCityEvents());
    a = await instance();
    b = await instance();
    await a.streamer.evaluator.evaluate();
  });
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    await publisher?.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit(); // after the replies of whatever the instances still had in flight
    if (store) await disposeTestStore(store);
  });

  const screen = async (
    t: TestStreamer,
    phone: string,
    scope: string,
  ): Promise<{ socket: ScreenSocket; api: ApiClient; first: PushedSnapshot }> => {
    const api = await new ApiClient(t.url).login(phone);
    const socket = connectScreen(t.url, api.token as string);
    closers.push(() => socket.disconnect());
    const snapshot = nextEvent(socket, 'snapshot');
    expect(await join(socket, scope, FIXTURE_DAY)).toEqual({ ok: true });
    return { socket, api, first: await snapshot };
  };

  it('raises the timetable alerts of the fixture day', () => {
    const rules = a.streamer.alerts
      .all()
      .map((x) => `${x.rule}:${x.subject_id}`)
      .sort();
    expect(rules).toEqual(
      expect.arrayContaining(['class_not_started:se6', 'student_not_checked_out:se1', 'teacher_not_checked_in:se2']),
    );
    const unaccounted = a.streamer.alerts.all().find((x) => x.rule === 'student_not_checked_out');
    expect(unaccounted?.severity).toBe('critical');
  });

  it('a screen on B sees an alert acknowledged through A', async () => {
    const { socket } = await screen(b, '13800000001', 'city');
    const leaderOnA = await new ApiClient(a.url).login('13800000001');
    const alert = a.streamer.alerts.all().find((x) => x.rule === 'class_not_started');
    expect(alert).toBeDefined();
    const seen = nextEvent(socket, 'alert', 5000, (x) => x.id === alert?.id && x.state === 'acknowledged');
    const r = await leaderOnA.post(`/api/v1/alerts/${encodeURIComponent(alert?.id ?? '')}/ack`, {
      comment: '已电话联系',
    });
    expect(r.status).toBe(200);
    const got = await seen;
    expect(got.ack).toMatchObject({ comment: '已电话联系' });
    expect(b.streamer.alerts.get(alert?.id ?? '')?.state).toBe('acknowledged');
  });

  it('a notice POSTed twice with one key is one Kafka message', async () => {
    const leader = await new ApiClient(a.url).login('13800000001');
    const onB = await new ApiClient(b.url).login('13800000001');
    const alert = a.streamer.alerts.all().find((x) => x.rule === 'student_not_checked_out');
    const body = {
      target_type: 'school',
      target_id: alert?.school_id,
      dimension: 'safety',
      subject_id: alert?.id,
      content: '请立即核实学生离校情况',
      deadline: new Date(SIX_PM + 86_400_000).toISOString(),
    };
    const key = 'click-7f3a9c21';
    // The double click: once on each instance, at the same time.
    const [r1, r2] = await Promise.all([
      leader.post<Notice>('/api/v1/notices', body, { 'Idempotency-Key': key }),
      onB.post<Notice>('/api/v1/notices', body, { 'Idempotency-Key': key }),
    ]);
    const statuses = [r1.status, r2.status].sort();
    // Keys are per user: both requests are the leader's, so one of them is the replay.
    expect(statuses).toEqual([200, 201]);
    expect(r1.body.notice_id).toBe(r2.body.notice_id);
    const admin = kafka.admin();
    await admin.connect();
    const published = await publishedCount(admin, topic).finally(() => admin.disconnect());
    expect(published).toBe(1);
    // The alert follows the notice, on both instances.
    expect(a.streamer.alerts.get(alert?.id ?? '')?.state).toBe('notice_issued');
    // A new click (new key) on the same school and dimension is shown the open notice.
    const again = await leader.post<{ code: string; notice: Notice }>('/api/v1/notices', body, {
      'Idempotency-Key': 'click-8e4b0d32',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('notice_exists');
    expect(again.body.notice.notice_id).toBe(r1.body.notice_id);
  });

  it('a permission change cuts an open socket at once', async () => {
    const { socket } = await screen(b, '13900000001', 'district:d1');
    const admin = await new ApiClient(a.url).login('13800000000');
    const staff = a.streamer.users.list().find((u) => u.phone === '13900000001');
    const access = nextEvent(socket, 'access');
    const cut = new Promise((resolve) => socket.once('disconnect', resolve));
    const r = await admin.call('PATCH', `/api/v1/admin/users/${staff?.user_id}`, { districts: ['d2'] });
    expect(r.status).toBe(200);
    // A scope change ends the user's sessions: the socket is told, then cut (issue 16).
    const got = await access;
    expect(got).toMatchObject({ scopes: [], reason: 'session ended' });
    await cut;
    // And the API refuses the old district at once, on the other instance too.
    const api = await new ApiClient(b.url).login('13900000001');
    expect((await api.get('/api/v1/overview?scope=district:d1')).status).toBe(403);
  });

  it('pushes an update within a second of a change signal, to screens on both instances', async () => {
    const onA = await screen(a, '13800000001', 'school:s1');
    const onB = await screen(b, '13800000001', 'school:s1');
    const late = {
      id: 'late-checkin-1',
      type: 'checkin' as const,
      ts: `${FIXTURE_DAY}T16:00:00+08:00`,
      school_id: 's1',
      session_id: 'se2',
      person: 'student' as const,
      person_id: 'st1',
      method: 'card' as const,
    };
    await storeEvents(store, [late]);
    const signal: ChangeSignal = {
      schools: ['s1'],
      tables: ['checkins'],
      days: [FIXTURE_DAY],
      max_ts_ms: Date.parse(late.ts),
      checkin_from: { [FIXTURE_DAY]: 16 * 60 },
      stored_ms: Date.now(),
      rows: 1,
    };
    // The curve, redrawn from 16:00 only, arrives alone (a `curve` push of the minutes from
    // 16:00 on) or, when it lands while the room waits for its update, in the update; applied as
    // the screen applies them (the newer curve_at wins, a push splices from its minute), the
    // screen's curve must equal the whole day read afresh.
    const curve = await checkinMinutes(store, { kind: 'school', id: 's1' }, FIXTURE_DAY);
    expect(curve.some((p) => p.minute === 16 * 60)).toBe(true);
    expect(onA.first.minutes).not.toEqual(curve);
    const frames = [onA, onB].map(({ socket }) => {
      const seen: ({ kind: 'update'; s: PushedUpdate } | { kind: 'curve'; c: CurveUpdate })[] = [];
      socket.on('update', (s) => seen.push({ kind: 'update', s }));
      socket.on('curve', (c) => seen.push({ kind: 'curve', c }));
      return seen;
    });
    const started = Date.now();
    const updates = [onA, onB].map(({ socket }) =>
      nextEvent(socket, 'update', 3000, (s) => s.overview.metrics.students_present === 4),
    );
    await redis.publish(changeChannel, JSON.stringify(signal));
    await Promise.all(updates);
    expect(Date.now() - started).toBeLessThan(1000);
    const shown = (i: number) => {
      let minutes = [onA, onB][i]!.first.minutes;
      let at = [onA, onB][i]!.first.curve_at;
      for (const f of frames[i]!) {
        if (f.kind === 'update' && f.s.curve_at >= at) [minutes, at] = [f.s.minutes, f.s.curve_at];
        if (f.kind === 'curve' && f.c.at >= at) {
          expect(f.c.minutes.every((p) => p.minute >= f.c.from)).toBe(true);
          [minutes, at] = [[...minutes.filter((p) => p.minute < f.c.from), ...f.c.minutes], f.c.at];
        }
      }
      return minutes;
    };
    await expect.poll(() => [shown(0), shown(1)], { timeout: 3000 }).toEqual([curve, curve]);
  });
});
