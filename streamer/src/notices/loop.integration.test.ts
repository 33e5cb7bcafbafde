import {
  InProcessChangeBus,
  NO_PENDING,
  supervisionSchema,
  type InboundEvent,
  type LoopStep,
  type Notice,
  type NoticeCounts,
  type Store,
  type SupervisionEvent,
  type UnmatchedRectification,
} from '@edu/analytics';
import { disposeTestStore, FIXTURE_DAY, fixtureCityEvents, openTestStore, TEST_ENGINES } from '@edu/analytics/testing';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { createKafkaSupervisionPublisher } from '../publish/kafka-publisher.ts';
import type { SupervisionPublisher } from '../publish/publisher.ts';
import {
  ApiClient,
  connectScreen,
  join,
  nextEvent,
  startTestStreamer,
  storeEvents,
  uniquePrefix,
  type TestStreamer,
} from '../testing/harness.ts';

// The 督办 loop (contract v1.1) on both engines: a notice issued through the API, the school's
// receipts and rectifications stored as ingest stores them (out of order, twice, for a notice
// nobody issued), the state derived from them, and 退回重改 / 销号 published on a real Kafka
// edu.supervision.v1 exactly as the contract says.

const brokers = (process.env.EDU_TEST_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const SIX_PM = Date.parse(`${FIXTURE_DAY}T18:00:00+08:00`);
const at = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

interface Detail {
  notice: Notice;
  steps: LoopStep[];
  allowed: string[];
}

describe.each(TEST_ENGINES)('the 督办 loop on %s', (engine) => {
  const prefix = uniquePrefix(`loop-${engine}`);
  const topic = `${prefix.replace(/:/g, '.')}supervision`;
  const kafka = new Kafka({ clientId: 'streamer-test', brokers, logLevel: logLevel.NOTHING });
  const received: SupervisionEvent[] = [];
  const changes = new InProcessChangeBus();
  const clock = new ManualClock(SIX_PM);
  let consumer: Consumer;
  let publisher: SupervisionPublisher;
  let store: Store;
  let t: TestStreamer;
  let leader: ApiClient;
  let notice: Notice;
  let second: Notice;

  /** Stores school events as ingest does, then signals them as ingest does. */
  const arrive = async (events: InboundEvent[]) => {
    await storeEvents(store, events);
    await changes.publish({
      schools: ['s1'],
      tables: ['rectifications'],
      days: [FIXTURE_DAY],
      max_ts_ms: SIX_PM,
      stored_ms: Date.now(),
      rows: events.length,
    });
    // The book re-derives asynchronously: wait for it to settle.
    await t.streamer.notices.refresh();
  };
  /** Moves the service clock; the leader signs in again (a session lasts hours, not a day). */
  const jump = async (ms: number) => {
    clock.set(ms);
    leader = await new ApiClient(t.url).login('13800000001');
  };
  const detail = async (api = leader, id = notice.notice_id) => api.get<Detail>(`/api/v1/notices/${id}`);
  const rect = (id: string, minutes: number, fields: Record<string, unknown>): InboundEvent =>
    ({
      id,
      ts: at(Date.parse(notice.ts) + minutes * 60_000),
      school_id: 's1',
      notice_id: notice.notice_id,
      ...fields,
    }) as InboundEvent;
  const submitted = (id: string, minutes: number, submission: string) =>
    rect(id, minutes, {
      type: 'rectification_submitted',
      submission_id: submission,
      content: `整改情况 ${submission}`,
      attachments: [{ name: `${submission}.jpg`, url: `https://files.example/${submission}.jpg` }],
    });
  const waitForKafka = async (n: number) => {
    for (let i = 0; i < 100 && received.length < n; i++) await new Promise((r) => setTimeout(r, 100));
    return received.slice(0, n);
  };

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    await admin.disconnect();
    publisher = await createKafkaSupervisionPublisher({ brokers, clientId: 'streamer-test', topic });
    consumer = kafka.consumer({ groupId: `${prefix}reader`.replace(/:/g, '.') });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(supervisionSchema.parse(JSON.parse(String(message.value))) as SupervisionEvent);
      },
    });
    store = await openTestStore(engine, 'loop');
    await storeEvents(store, fixtureCityEvents());
    t = await startTestStreamer(store, {
      clock,
      changes,
      publisher,
      config: { alerts: { evaluateEveryMs: 600_000, pendingMinutes: NO_PENDING } } as never,
    });
    await t.streamer.evaluator.evaluate();
    leader = await new ApiClient(t.url).login('13800000001');
    const alert = t.streamer.alerts.all().find((a) => a.school_id === 's1' && a.dimension === 'safety');
    const r = await leader.post<Notice>('/api/v1/notices', {
      target_type: 'school',
      target_id: 's1',
      dimension: 'safety',
      subject_id: alert?.id,
      content: '请立即核实学生离校情况并整改',
      deadline: new Date(SIX_PM + 3 * 3600_000).toISOString(),
    });
    expect(r.status).toBe(201);
    notice = r.body;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await consumer?.disconnect();
    await publisher?.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
    if (store) await disposeTestStore(store);
  });

  it('issues a notice in state issued, its school named', async () => {
    expect(notice).toMatchObject({ state: 'issued', overdue: false, submissions: 0 });
    expect(notice.school_name).not.toBe('');
    const d = await detail();
    expect(d.body.steps.map((s) => [s.kind, s.by_name])).toEqual([['issued', expect.stringMatching(/.+/)]]);
    expect(d.body.allowed).toEqual([]);
  });

  it('takes a submission before the receipt, a duplicate, and a receipt after: submitted once', async () => {
    const sub = submitted('r-sub-1', 30, 'sub-1');
    // The same event twice (a redelivery), and the same submission under a new event id.
    await arrive([sub, sub, { ...submitted('r-sub-1b', 31, 'sub-1') }]);
    await arrive([rect('r-recv-1', 40, { type: 'notice_received', receiver_id: 'head-s1' }), sub]);
    const d = await detail();
    expect(d.body.notice).toMatchObject({ state: 'submitted', submissions: 1, overdue: false });
    expect(d.body.steps.map((s) => [s.kind, s.event_id, s.notes])).toEqual([
      ['issued', notice.notice_id, []],
      ['submitted', 'r-sub-1', []],
      ['submitted', 'r-sub-1b', ['duplicate']],
      ['received', 'r-recv-1', ['no_effect']],
    ]);
    expect(d.body.steps[1]?.attachments).toEqual([{ name: 'sub-1.jpg', url: 'https://files.example/sub-1.jpg' }]);
    expect(d.body.allowed.sort()).toEqual(['closed', 'returned']);
  });

  it('publishes 退回重改 with its reason on edu.supervision.v1, and a resubmission moves it on', async () => {
    await jump(Date.parse(notice.ts) + 45 * 60_000);
    const empty = await leader.post<{ code: string }>(`/api/v1/notices/${notice.notice_id}/return`, { content: ' ' });
    expect(empty.status).toBe(400);
    const r = await leader.post<{ notice: Notice; event: SupervisionEvent }>(
      `/api/v1/notices/${notice.notice_id}/return`,
      { content: '照片不清晰，请补充整改前后对比' },
    );
    expect([r.status, r.body.notice.state]).toEqual([201, 'returned']);
    const [returned] = await waitForKafka(2).then((m) => m.filter((e) => e.decision === 'returned'));
    expect(returned).toMatchObject({
      type: 'decision',
      decision: 'returned',
      subject_id: notice.notice_id,
      target_type: 'school',
      target_id: 's1',
      dimension: 'safety',
      issuer_role: 'leader',
      content: '照片不清晰，请补充整改前后对比',
    });
    expect(returned?.notice_id).not.toBe(notice.notice_id);
    // Returned: nothing to decide until the school submits again.
    const twice = await leader.post<{ code: string }>(`/api/v1/notices/${notice.notice_id}/return`, {
      content: '再退',
    });
    expect([twice.status, twice.body.code]).toEqual([409, 'notice_state']);
    await arrive([submitted('r-sub-2', 24 * 60, 'sub-2')]);
    expect((await detail()).body.notice).toMatchObject({ state: 'submitted', submissions: 2 });
  });

  it('publishes 销号 and closes the notice; a second 销号 is refused and publishes nothing', async () => {
    await jump(Date.parse(notice.ts) + 25 * 3600_000);
    const r = await leader.post<{ notice: Notice }>(`/api/v1/notices/${notice.notice_id}/close`, {});
    expect([r.status, r.body.notice.state, r.body.notice.overdue]).toEqual([201, 'closed', false]);
    const all = await waitForKafka(3);
    expect(all.map((e) => [e.type, e.decision, e.subject_id])).toEqual([
      ['notice_issued', 'notice', notice.subject_id],
      ['decision', 'returned', notice.notice_id],
      ['decision', 'closed', notice.notice_id],
    ]);
    expect(all[2]?.content).toBe('整改到位，予以销号');
    const again = await leader.post<{ code: string }>(`/api/v1/notices/${notice.notice_id}/close`, {});
    expect([again.status, again.body.code]).toEqual([409, 'notice_state']);
    await new Promise((res) => setTimeout(res, 300));
    expect(received).toHaveLength(3);
    const d = await detail();
    expect(d.body.steps.map((s) => s.kind)).toEqual([
      'issued',
      'submitted',
      'submitted',
      'received',
      'returned',
      'submitted',
      'closed',
    ]);
    // The resubmission and the 销号 came a day after, past the deadline: noted late.
    expect(d.body.steps.at(-1)).toMatchObject({ by_name: expect.stringMatching(/.+/), notes: ['late'] });
    expect(d.body.steps[5]?.notes).toEqual(['late']);
  });

  it('keeps and shows events for a notice nobody issued, and crashes nothing', async () => {
    const orphan = { ...submitted('r-orphan', 5, 'sub-x'), notice_id: 'n-unknown-1' } as InboundEvent;
    await arrive([orphan]);
    const r = await leader.get<{ items: UnmatchedRectification[] }>('/api/v1/notices/unmatched?scope=city');
    expect(r.body.items.map((u) => [u.notice_id, u.school_name !== '', u.steps.map((s) => s.event_id)])).toEqual([
      ['n-unknown-1', true, ['r-orphan']],
    ]);
    expect((await detail(leader, 'n-unknown-1')).status).toBe(404);
  });

  it('flags a notice overdue past its deadline, lists by state and overdue, and hides it from other districts', async () => {
    const alert = t.streamer.alerts.all().find((a) => a.school_id === 's1' && a.dimension === 'safety');
    const r = await leader.post<Notice>('/api/v1/notices', {
      target_type: 'school',
      target_id: 's1',
      dimension: 'safety',
      subject_id: alert?.id,
      content: '第二次督办',
      deadline: new Date(clock.now() + 3600_000).toISOString(),
    });
    expect(r.status).toBe(201);
    second = r.body;
    await jump(clock.now() + 2 * 3600_000);
    const list = await leader.get<{ notices: Notice[]; counts: NoticeCounts }>('/api/v1/notices?scope=city&overdue=1');
    expect(list.body.notices.map((n) => [n.notice_id, n.state, n.overdue])).toEqual([
      [r.body.notice_id, 'issued', true],
    ]);
    expect(list.body.counts).toMatchObject({ issued: 1, closed: 1, overdue: 1 });
    const closed = await leader.get<{ notices: Notice[] }>('/api/v1/notices?scope=city&state=closed');
    expect(closed.body.notices.map((n) => n.notice_id)).toEqual([notice.notice_id]);
    // Staff of district d2 (s1 lies in d1): not listed, not found, no decision.
    const other = await new ApiClient(t.url).login('13900000002');
    const theirs = await other.get<{ notices: Notice[] }>('/api/v1/notices?scope=district:d2');
    expect(theirs.body.notices).toEqual([]);
    expect((await detail(other)).status).toBe(404);
    expect((await other.post(`/api/v1/notices/${r.body.notice_id}/close`, {})).status).toBe(404);
  });

  it('pushes the notice to a wall the moment its school signs for it', async () => {
    const socket = connectScreen(t.url, leader.token as string);
    try {
      const first = nextEvent(socket, 'snapshot');
      expect(await join(socket, 'city', FIXTURE_DAY)).toEqual({ ok: true });
      await first;
      const pushed = nextEvent(socket, 'notice');
      await arrive([
        {
          id: 'r-recv-2',
          type: 'notice_received',
          ts: at(clock.now()),
          school_id: 's1',
          notice_id: second.notice_id,
          receiver_id: 'head-s1',
        },
      ]);
      expect(await pushed).toMatchObject({ notice_id: second.notice_id, state: 'received', overdue: true });
    } finally {
      socket.disconnect();
    }
  });

  it("lets staff of the notice's district decide on it, as they issue notices", async () => {
    await arrive([
      {
        id: 'r-sub-3',
        type: 'rectification_submitted',
        ts: at(clock.now()),
        school_id: 's1',
        notice_id: second.notice_id,
        submission_id: 'sub-3',
        content: '已整改',
        attachments: [],
      },
    ]);
    const staff = await new ApiClient(t.url).login('13900000001'); // district d1, where s1 is
    const d = await detail(staff, second.notice_id);
    expect([d.status, d.body.allowed.sort()]).toEqual([200, ['closed', 'returned']]);
    const r = await staff.post<{ notice: Notice; event: SupervisionEvent }>(
      `/api/v1/notices/${second.notice_id}/close`,
      { content: '经核实整改到位' },
    );
    expect([r.status, r.body.notice.state, r.body.event.issuer_role]).toEqual([201, 'closed', 'staff']);
    expect((await waitForKafka(5)).at(-1)).toMatchObject({ decision: 'closed', subject_id: second.notice_id });
  });

  it('lists the notices as they stood at a moment (`at`, 回放), states and counts then', async () => {
    const issued = Date.parse(notice.ts);
    /** Day and HH:MM of a moment in Asia/Shanghai. */
    const moment = (ms: number) => {
      const iso = new Date(ms + 8 * 3600_000).toISOString();
      return `date=${iso.slice(0, 10)}&at=${iso.slice(11, 16)}`;
    };
    const then = (ms: number) =>
      leader.get<{ notices: Notice[]; counts: NoticeCounts }>(`/api/v1/notices?scope=city&${moment(ms)}`);
    const states = (r: Awaited<ReturnType<typeof then>>) =>
      r.body.notices.map((n) => [n.notice_id, n.state, n.submissions]);
    // A minute before it was issued: not there yet.
    expect(states(await then(issued - 60_000))).toEqual([]);
    // Submitted at +30 min; returned at +45; submitted again a day later; closed at +25 h.
    const submittedThen = await then(issued + 35 * 60_000);
    expect(states(submittedThen)).toEqual([[notice.notice_id, 'submitted', 1]]);
    expect(submittedThen.body.counts).toMatchObject({ submitted: 1, closed: 0, overdue: 0 });
    expect(states(await then(issued + 50 * 60_000))).toEqual([[notice.notice_id, 'returned', 1]]);
    // Past the deadline (+3 h) still returned: overdue then.
    const late = await then(issued + 4 * 3600_000);
    expect(late.body.notices.map((n) => [n.state, n.overdue])).toEqual([['returned', true]]);
    expect(late.body.counts).toMatchObject({ returned: 1, overdue: 1 });
    // A minute after the 销号 the second notice, issued just then, is still only issued.
    expect(states(await then(issued + 25 * 3600_000 + 60_000))).toEqual([
      [second.notice_id, 'issued', 0],
      [notice.notice_id, 'closed', 2],
    ]);
    // Live, both notices are closed now.
    const now = await leader.get<{ notices: Notice[] }>('/api/v1/notices?scope=city');
    expect(now.body.notices.map((n) => n.state)).toEqual(['closed', 'closed']);
    // The moment is checked where every read checks it.
    const bad = await leader.get<{ code: string }>(`/api/v1/notices?scope=city&date=${FIXTURE_DAY}&at=18:5`);
    expect([bad.status, bad.body.code]).toEqual([400, 'bad_request']);
    // Other districts' staff see no notice of s1 at any moment either.
    const other = await new ApiClient(t.url).login('13900000002');
    const theirs = await other.get<{ notices: Notice[] }>(
      `/api/v1/notices?scope=district:d2&${moment(issued + 35 * 60_000)}`,
    );
    expect(theirs.body.notices).toEqual([]);
  });

  it('derives the same states after a restart, from the store alone', async () => {
    const again = await startTestStreamer(store, { clock: new ManualClock(clock.now()) });
    try {
      const api = await new ApiClient(again.url).login('13800000001');
      const d = await detail(api);
      expect([d.body.notice.state, d.body.notice.submissions, d.body.steps.length]).toEqual(['closed', 2, 7]);
    } finally {
      await again.close();
    }
  });
});
