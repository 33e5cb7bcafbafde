import { recentAudit, type Alert, type InboundEvent, type Overview, type Store } from '@edu/analytics';
import {
  disposeTestStore,
  FIXTURE_DAY,
  fixtureCityEvents,
  fixtureDimensionEvents,
  openTestStore,
  TEST_ENGINES,
} from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { ApiClient, startTestStreamer, storeEvents, type TestStreamer } from '../testing/harness.ts';

// Issue 11, reads that leaked past a staff member's scope: 一师一表 showed a teacher's sessions
// at every school (another district's timetable, opened through one's own school), and the
// chart module checked no dimension. Also the scope of a read that names none (staff: their
// own districts). Part of the security suite's reduced form (deploy/bench/security.ts).
//
//   district d1: s1, s2, s5        district d2: s3, s4
//   teacher t4 (provider p2): se5 at s3 and se7 at s4 (d2), and below a session at s1 (d1)
//   teacher t5: registered by s3 (d2) only

const SIX_PM = Date.parse(`${FIXTURE_DAY}T18:00:00+08:00`);

/** t4 also teaches one class at s1 (d1), on the Saturday of the fixture week. */
const extraEvents = (): InboundEvent[] => [
  {
    id: 'sec-reads-se-s1',
    type: 'session_scheduled',
    ts: '2026-11-20T08:00:00+08:00',
    school_id: 's1',
    session_id: 'se-t4-s1',
    offering_id: 'o1',
    course_id: 'c-o1',
    teacher_id: 't4',
    room: '102',
    planned_start: '2026-11-28T09:00:00+08:00',
    planned_end: '2026-11-28T10:00:00+08:00',
  },
];

interface TeacherWeek {
  teacher: { entity_id: string } | null;
  sessions: { session_id: string; school_id: string }[];
}

describe.each(TEST_ENGINES)('reads kept to the reader’s scope and dimensions (%s)', (engine) => {
  let store: Store;
  let t: TestStreamer;
  let leader: ApiClient;
  let admin: ApiClient;
  let staff1: ApiClient; // district d1, every dimension
  const clock = new ManualClock(SIX_PM);

  beforeAll(async () => {
    store = await openTestStore(engine, 'reads');
    await storeEvents(store, [...fixtureCityEvents(), ...fixtureDimensionEvents(), ...extraEvents()]);
    t = await startTestStreamer(store, { clock, config: { alerts: { evaluateEveryMs: 600_000 } } as never });
    leader = await new ApiClient(t.url).login('13800000001');
    admin = await new ApiClient(t.url).login('13800000000');
    staff1 = await new ApiClient(t.url).login('13900000001');
  });
  afterAll(async () => {
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  const week = (school: string, teacher: string) =>
    `/api/v1/dimensions/process/schools/${school}/teachers/${teacher}/timetable?date=${FIXTURE_DAY}`;

  it('一师一表 through a school shows that school’s sessions only', async () => {
    // Through s1 (d1), t4's week is its s1 class; d2's se5 (s3) and se7 (s4) stay out.
    const mine = await staff1.get<TeacherWeek>(week('s1', 't4'));
    expect(mine.status).toBe(200);
    expect(mine.body.sessions.map((s) => [s.session_id, s.school_id])).toEqual([['se-t4-s1', 's1']]);
    expect(mine.body.teacher?.entity_id).toBe('t4');
    // Through s3, a leader sees s3's class of the week, not s4's or s1's.
    const s3 = await leader.get<TeacherWeek>(week('s3', 't4'));
    expect(s3.body.sessions.map((s) => s.session_id)).toEqual(['se5']);
  });

  it('answers another school’s teacher as a missing one, and refuses another district’s school', async () => {
    const other = await staff1.get<{ code: string }>(week('s1', 't5')); // t5: s3's teacher only
    const missing = await staff1.get<{ code: string }>(week('s1', 't-none'));
    expect([other.status, other.body.code]).toEqual([404, 'no_teacher']);
    expect([missing.status, missing.body.code]).toEqual([404, 'no_teacher']);
    const d2 = await staff1.get<{ code: string }>(week('s3', 't4'));
    expect([d2.status, d2.body.code]).toEqual([403, 'district_not_yours']);
    // The leader reaches t5 through its own school.
    expect((await leader.get(week('s3', 't5'))).status).toBe(200);
  });

  it('keeps the chart module to the dimensions each chart draws on', async () => {
    const r = await admin.call('PATCH', '/api/v1/admin/users/seed-staff-d2', { dimensions: ['safety', 'budget'] });
    expect(r.status).toBe(200);
    const staff2 = await new ApiClient(t.url).login('13900000002'); // the change ended its sessions
    const q = `scope=district:d2&date=${FIXTURE_DAY}`;
    const got: [string, number, string | undefined][] = [];
    for (const chart of ['totals', 'registry', 'selection', 'scheduling', 'enrollment', 'attendance', 'settlement']) {
      const c = await staff2.get<{ code?: string; dimension?: string }>(`/api/v1/charts/${chart}?${q}`);
      got.push([chart, c.status, c.body.code]);
    }
    expect(got).toEqual([
      ['totals', 403, 'dimension_not_yours'],
      ['registry', 403, 'dimension_not_yours'],
      ['selection', 403, 'dimension_not_yours'],
      ['scheduling', 403, 'dimension_not_yours'],
      ['enrollment', 403, 'dimension_not_yours'],
      ['attendance', 200, undefined],
      ['settlement', 200, undefined],
    ]);
    const refusal = await staff2.get<{ dimension: string }>(`/api/v1/charts/registry?${q}`);
    expect(refusal.body.dimension).toBe('course');
    const dims = await staff2.get<{ dimensions: string[]; charts: string[] }>('/api/v1/dimensions');
    expect(dims.body).toEqual({ dimensions: ['budget', 'safety'], charts: ['attendance', 'settlement'] });
    // Refused chart reads are audited like every refused read.
    const audit = await recentAudit(store, 200, 'read_refused');
    expect(audit.some((a) => a.actor_id === 'seed-staff-d2' && a.target.includes('/charts/totals'))).toBe(true);
    // Leaders see every chart.
    expect((await leader.get(`/api/v1/charts/totals?${q}`)).status).toBe(200);
  });

  it('gives staff of two districts their first district’s figures and both districts’ alerts', async () => {
    for (let i = 0; i < 4 && !t.streamer.alerts.all().some((a) => a.district_id === 'd2'); i++) {
      await t.streamer.evaluator.evaluate();
      clock.advance(10 * 60_000);
    }
    clock.set(SIX_PM);
    const created = await admin.post('/api/v1/admin/users', {
      phone: '13700000011',
      name: '两区专干',
      role: 'staff',
      districts: ['d1', 'd2'],
    });
    expect(created.status).toBe(201);
    const both = await new ApiClient(t.url).login('13700000011');
    const o = await both.get<Overview>(`/api/v1/overview?date=${FIXTURE_DAY}`);
    expect([o.status, o.body.scope]).toEqual([200, 'district:d1']);
    // Alerts without a scope: those of d2 too (the union), though the overview is d1's.
    const all = t.streamer.alerts.all();
    expect(all.some((a) => a.district_id === 'd2')).toBe(true);
    const listed = (await both.get<{ alerts: Alert[] }>('/api/v1/alerts')).body.alerts;
    expect(new Set(listed.map((a) => a.id))).toEqual(new Set(all.map((a) => a.id)));
    // A one-district staff member's list holds only that district's.
    const mine = (await staff1.get<{ alerts: Alert[] }>('/api/v1/alerts')).body.alerts;
    expect(mine.map((a) => a.district_id).every((d) => d === 'd1')).toBe(true);
    expect(mine.length).toBe(all.filter((a) => a.district_id === 'd1').length);
    // Notices likewise: a notice to d2's s3 is listed for the two-district reader, not for d1's.
    const notice = await leader.post<{ notice_id: string }>('/api/v1/notices', {
      target_type: 'school',
      target_id: 's3',
      dimension: 'material',
      subject_id: 'm7',
      content: '请补充实施方案',
    });
    expect(notice.status).toBe(201);
    const ids = async (c: ApiClient) =>
      (await c.get<{ notices: { notice_id: string }[] }>('/api/v1/notices')).body.notices.map((n) => n.notice_id);
    expect(await ids(both)).toContain(notice.body.notice_id);
    expect(await ids(staff1)).not.toContain(notice.body.notice_id);
  });
});
