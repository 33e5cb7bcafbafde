import { loadNotices, recentAudit, type InboundEvent, type Notice, type Store } from '@edu/analytics';
import {
  disposeTestStore,
  FIXTURE_DAY,
  fixtureCityEvents,
  fixtureDimensionEvents,
  openTestStore,
  TEST_ENGINES,
} from '@edu/analytics/testing';
import { publishedCount } from '@edu/ingest/testing/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { createKafkaSupervisionPublisher } from '../publish/kafka-publisher.ts';
import type { SupervisionPublisher } from '../publish/publisher.ts';
import { createRedisClient, RedisSharedState } from '../shared/redis-state.ts';
import {
  ApiClient,
  startTestStreamer,
  storeEvents,
  testRedisUrl,
  uniquePrefix,
  type TestStreamer,
} from '../testing/harness.ts';

// Issue 16, the writes: every decision and notice is checked against where its subject lives
// (decisions/subjects.ts), on both engines, with decisions and notices published to a real
// Kafka topic and shared state in a real Redis. A refused write publishes nothing, stores
// nothing, and is audited. Part of the security suite's reduced form (deploy/bench/security.ts).
//
//   district d1: s1, s2, s5        district d2: s3, s4
//   materials m1–m4 (s1), m5–m6 (s2), m7–m10 (s3); offerings o1–o2 (s1), o3 (s2), o4–o5 (s3)
//   operator op2 (s3, feedback at s3); provider p2 (teacher t4 at s3; feedback added at s1 below)

const brokers = (process.env.EDU_TEST_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const SIX_PM = Date.parse(`${FIXTURE_DAY}T18:00:00+08:00`);

/** Events of this test: a school of d1 re-using a d2 material id, and feedback on p2 at s1. */
const extraEvents = (): InboundEvent[] => [
  {
    id: 'sec-copy-m7',
    type: 'material_published',
    ts: `2026-09-03T09:00:00+08:00`,
    school_id: 's2',
    material_id: 'm7',
    term: '2026-autumn',
    kind: 'implementation_plan',
    title: '实施方案（同号）',
    file_url: 'https://files.example/copy.pdf',
  },
  {
    id: 'sec-fb-p2',
    type: 'feedback',
    ts: `2026-11-16T18:00:00+08:00`,
    school_id: 's1',
    from: 'school',
    target: 'provider',
    target_id: 'p2',
    score: 2,
    comment: '师资不稳定',
  },
];

describe.each(TEST_ENGINES)('writes checked against where their subject lives (%s)', (engine) => {
  const prefix = uniquePrefix(`scope-${engine}`);
  const topic = `${prefix.replace(/:/g, '.')}supervision`;
  const kafka = new Kafka({ clientId: 'streamer-test', brokers, logLevel: logLevel.NOTHING });
  const redis = createRedisClient(testRedisUrl());
  let store: Store;
  let publisher: SupervisionPublisher;
  let shared: RedisSharedState;
  let t: TestStreamer;
  let leader: ApiClient;
  let staff1: ApiClient; // district d1
  let staff2: ApiClient; // district d2
  const clock = new ManualClock(SIX_PM);

  const published = async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return await publishedCount(admin, topic);
    } finally {
      await admin.disconnect();
    }
  };
  const stored = async () => (await loadNotices(store, 0)).length;
  /** Tries a write that must be refused: the status, and nothing published or stored. */
  const refused = async (c: ApiClient, path: string, body: unknown) => {
    const [p0, s0] = [await published(), await stored()];
    const r = await c.post<{ code: string; error: string }>(path, body);
    expect([r.status, await published(), await stored()]).toEqual([r.status, p0, s0]);
    return r;
  };

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    await admin.disconnect();
    publisher = await createKafkaSupervisionPublisher({ brokers, clientId: 'streamer-test', topic });
    store = await openTestStore(engine, 'scope');
    await storeEvents(store, [...fixtureCityEvents(), ...fixtureDimensionEvents(), ...extraEvents()]);
    shared = new RedisSharedState(redis, prefix);
    t = await startTestStreamer(store, {
      clock,
      shared,
      publisher,
      config: { alerts: { evaluateEveryMs: 600_000 } } as never,
    });
    // The alert rules raise a condition once it has held its pending period.
    for (let i = 0; i < 4 && !t.streamer.alerts.all().some((a) => a.district_id === 'd2'); i++) {
      await t.streamer.evaluator.evaluate();
      clock.advance(10 * 60_000);
    }
    clock.set(SIX_PM);
    leader = await new ApiClient(t.url).login('13800000001');
    staff1 = await new ApiClient(t.url).login('13900000001');
    staff2 = await new ApiClient(t.url).login('13900000002');
  });
  afterAll(async () => {
    await t?.close();
    await shared?.close();
    await publisher?.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    if (store) await disposeTestStore(store);
  });

  const decision = (o: { subject_id: string } & Record<string, string>) => ({
    target_type: 'school',
    dimension: 'material',
    decision: 'rejected',
    content: '材料不全',
    ...o,
  });

  it("refuses a decision on another district's material or offering named under one's own school", async () => {
    // district 2's material m7 (s3) and offering o4 (s3), target_id = the staff member's own s1
    for (const body of [
      decision({ target_id: 's1', subject_id: 'm10' }),
      decision({ target_id: 's1', dimension: 'course', subject_id: 'o4' }),
      decision({ target_id: 's1', dimension: 'course', subject_id: 'o5', decision: 'approved' }),
      decision({ target_id: 's1', dimension: 'budget', subject_id: 'b2' }),
    ])
      expect([body.subject_id, (await refused(staff1, '/api/v1/decisions', body)).status]).toEqual([
        body.subject_id,
        404,
      ]);
    // Named under its own school, it is out of scope: 403.
    expect((await refused(staff1, '/api/v1/decisions', decision({ target_id: 's3', subject_id: 'm10' }))).status).toBe(
      403,
    );
    const audit = await recentAudit(store, 200, 'decision_rejected');
    expect(audit.filter((a) => a.actor_id === 'seed-staff-d1' && !a.ok).length).toBeGreaterThanOrEqual(4);
    // Its own district's material, under its own school: decided and published.
    const before = await published();
    const ok = await staff1.post('/api/v1/decisions', decision({ target_id: 's1', subject_id: 'm3' }));
    expect(ok.status).toBe(201);
    expect(await published()).toBe(before + 1);
  });

  it('refuses a decision on a subject id that also lives in another district', async () => {
    // s2 (d1) published a material under d2's id m7: a decision on "m7" would show at s3 too.
    const body = decision({ target_id: 's2', subject_id: 'm7' });
    expect((await refused(staff1, '/api/v1/decisions', body)).status).toBe(403);
    expect((await leader.post('/api/v1/decisions', body)).status).toBe(201);
  });

  it('answers 404 for unknown targets and subjects, to leaders too, and stores nothing', async () => {
    for (const [c, body] of [
      [leader, decision({ target_id: 's1', subject_id: 'no-such-material' })],
      [leader, decision({ target_id: 'no-such-school', subject_id: 'm1' })],
      [leader, decision({ target_type: 'provider', target_id: 'no-such-provider', subject_id: 'm1' })],
      [staff1, decision({ target_id: 's1', subject_id: 'no-such-material' })],
    ] as const)
      expect((await refused(c, '/api/v1/decisions', body)).status).toBe(404);
    const notice = {
      target_type: 'school',
      target_id: 's1',
      dimension: 'safety',
      subject_id: 'no-such-alert',
      content: '请核实',
    };
    expect((await refused(leader, '/api/v1/notices', notice)).status).toBe(404);
  });

  it("refuses 一键监管 to another district's operator or provider", async () => {
    // op2 is an operator of s3 (d2); its feedback is s3's.
    const toOperator = {
      target_type: 'operator',
      target_id: 'op2',
      dimension: 'feedback',
      subject_id: 'operator:op2',
      content: '请整改',
    };
    expect((await refused(staff1, '/api/v1/notices', toOperator)).status).toBe(403);
    // Naming the staff member's own school as the one concerned does not help.
    expect((await refused(staff1, '/api/v1/notices', { ...toOperator, school_id: 's1' })).status).toBe(404);
    // Provider p2's teacher t4 is at s3: a notice to p2 about t4 is d2's business.
    const toProvider = { ...toOperator, target_type: 'provider', target_id: 'p2', subject_id: 'teacher:t4' };
    expect((await refused(staff1, '/api/v1/notices', toProvider)).status).toBe(403);
    // A provider the subject does not concern: 404.
    expect((await refused(leader, '/api/v1/notices', { ...toProvider, target_id: 'p1' })).status).toBe(404);
  });

  it("does not move another district's alert by citing it as the subject of a notice", async () => {
    const alert = t.streamer.alerts.all().find((a) => a.district_id === 'd2' && a.state === 'open');
    expect(alert).toBeDefined();
    const body = {
      target_type: 'school',
      target_id: 's1',
      dimension: alert?.dimension,
      subject_id: alert?.id,
      content: '请核实',
    };
    expect((await refused(staff1, '/api/v1/notices', body)).status).toBe(404);
    // Under another dimension, the id is no alert at all: still nothing.
    const other = alert?.dimension === 'safety' ? 'process' : 'safety';
    expect((await refused(staff1, '/api/v1/notices', { ...body, dimension: other })).status).toBe(404);
    expect(t.streamer.alerts.get(alert?.id ?? '')?.state).toBe('open');
    // Under its own school, by someone whose district it is, the notice moves it.
    const own = await staff2.post('/api/v1/notices', { ...body, target_id: alert?.school_id });
    expect(own.status).toBe(201);
    expect(t.streamer.alerts.get(alert?.id ?? '')?.state).toBe('notice_issued');
  });

  it("keeps notices per district: the listing and the 409 never show another district's", async () => {
    // d2's staff member notifies provider p2 about its teacher t4 (s3).
    const d2notice = await staff2.post<Notice>('/api/v1/notices', {
      target_type: 'provider',
      target_id: 'p2',
      dimension: 'feedback',
      subject_id: 'teacher:t4',
      content: '教师资质问题，请整改',
    });
    expect(d2notice.status).toBe(201);
    const list = async (c: ApiClient, scope = '') =>
      (await c.get<{ notices: Notice[] }>(`/api/v1/notices${scope}`)).body.notices.map((n) => n.notice_id);
    expect(await list(staff1, '?scope=district:d1')).not.toContain(d2notice.body.notice_id);
    expect(await list(staff2, '?scope=district:d2')).toContain(d2notice.body.notice_id);
    expect(await list(leader)).toContain(d2notice.body.notice_id);
    // d1's staff member notifies the same provider about s1's feedback: not handed d2's notice.
    const mine = await staff1.post<{ code?: string; notice?: Notice } & Notice>('/api/v1/notices', {
      target_type: 'provider',
      target_id: 'p2',
      dimension: 'feedback',
      subject_id: 'provider:p2',
      school_id: 's1',
      content: '请改进',
    });
    expect(mine.status).toBe(201);
    expect(JSON.stringify(mine.body)).not.toContain(d2notice.body.notice_id);
    expect(await list(staff1, '?scope=district:d1')).toContain(mine.body.notice_id);
    expect(await list(staff2, '?scope=district:d2')).not.toContain(mine.body.notice_id);
    // The leader issuing to p2 again is shown an open one (the leader may see both).
    const again = await leader.post<{ code: string }>('/api/v1/notices', {
      target_type: 'provider',
      target_id: 'p2',
      dimension: 'feedback',
      subject_id: 'provider:p2',
      school_id: 's1',
      content: '再次提醒',
    });
    expect([again.status, again.body.code]).toEqual([409, 'notice_exists']);
  });

  it('refuses a reused Idempotency-Key with another body (422), replays the same body', async () => {
    const body = {
      target_type: 'school',
      target_id: 's2',
      dimension: 'material',
      subject_id: 'm5',
      content: '请补充实施方案',
    };
    const key = { 'Idempotency-Key': `k-${prefix.slice(-9, -1)}` };
    const first = await leader.post<Notice>('/api/v1/notices', body, key);
    expect(first.status).toBe(201);
    const replay = await leader.post<Notice>('/api/v1/notices', body, key);
    expect([replay.status, replay.body.notice_id]).toEqual([200, first.body.notice_id]);
    // The same key, another notice: refused, not answered with the first one.
    const p0 = await published();
    const other = await leader.post<{ code: string }>(
      '/api/v1/notices',
      { ...body, target_id: 's1', subject_id: 'm1', content: '另一份通知' },
      key,
    );
    expect([other.status, other.body.code]).toEqual([422, 'idempotency_key_reused']);
    expect(JSON.stringify(other.body)).not.toContain(first.body.notice_id);
    expect(await published()).toBe(p0);
  });
});
