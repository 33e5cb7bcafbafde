import {
  budgetsByChild,
  chartTotals,
  coursesByChild,
  feedbackByChild,
  materialsByChild,
  momentOf,
  type Overview,
  participationByChild,
  recentAudit,
  safetyByChild,
  safetyByCourse,
  type Store,
} from '@edu/analytics';
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
import type { InProcessSupervisionPublisher } from '../publish/publisher.ts';
import { ApiClient, startTestStreamer, storeEvents, type TestStreamer } from '../testing/harness.ts';

// The dimension pages' API: the numbers are the analytics queries' (whose own tests check
// them against the fixture by hand), served only within the user's districts and dimensions;
// decisions are published and audited, refusals too.

const city = { kind: 'city' } as const;
const TERM = '2026-autumn';
const NOW = Date.parse(`${FIXTURE_DAY}T16:00:00+08:00`); // mid-afternoon: some figures due, some not
const moment = momentOf(FIXTURE_DAY, NOW);
const json = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

describe.each(TEST_ENGINES)('dimension API on %s', (engine) => {
  let store: Store;
  let t: TestStreamer;
  let leader: ApiClient;
  let staff: ApiClient;

  beforeAll(async () => {
    store = await openTestStore(engine, 'dims');
    await storeEvents(store, [...fixtureCityEvents(), ...fixtureDimensionEvents()]);
    t = await startTestStreamer(store, { clock: new ManualClock(NOW) });
    leader = await new ApiClient(t.url).login('13800000001');
    const admin = await new ApiClient(t.url).login('13800000000');
    const id = t.streamer.users.list().find((u) => u.phone === '13900000001')?.user_id;
    expect((await admin.call('PATCH', `/api/v1/admin/users/${id}`, { dimensions: ['safety', 'budget'] })).status).toBe(
      200,
    );
    // After the change: a change of scope ends the user's sessions (issue 16).
    staff = await new ApiClient(t.url).login('13900000001'); // district d1
  });
  afterAll(async () => {
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  it('serves every dimension page with the numbers of its query', async () => {
    const pages: [string, () => Promise<unknown>][] = [
      ['/api/v1/dimensions/material', () => materialsByChild(store, city, TERM)],
      ['/api/v1/dimensions/budget', () => budgetsByChild(store, city, TERM)],
      ['/api/v1/dimensions/process', () => participationByChild(store, city, TERM)],
      ['/api/v1/dimensions/course', () => coursesByChild(store, city, TERM)],
      ['/api/v1/dimensions/safety', () => safetyByChild(store, city, FIXTURE_DAY, moment)],
      ['/api/v1/dimensions/feedback', () => feedbackByChild(store, city, TERM)],
    ];
    for (const [path, direct] of pages) {
      const r = await leader.get<{ rows: unknown[] }>(`${path}?scope=city&date=${FIXTURE_DAY}`);
      expect([path, r.status]).toEqual([path, 200]);
      expect(r.body.rows.length).toBeGreaterThan(0);
      expect(r.body.rows).toEqual(json(await direct()));
    }
    const totals = await leader.get<{ data: unknown }>(`/api/v1/charts/totals?scope=city&date=${FIXTURE_DAY}`);
    expect(totals.body.data).toEqual(json(await chartTotals(store, city, TERM)));
    const s1 = await leader.get<{ courses: unknown }>(`/api/v1/dimensions/safety/schools/s1?date=${FIXTURE_DAY}`);
    expect(s1.body.courses).toEqual(json(await safetyByCourse(store, 's1', FIXTURE_DAY, moment)));
  });

  it('shows, on every page, the figures the overview has for the same scope and day', async () => {
    type Row = { child: { id: string }; metrics: Overview['metrics']; due: Overview['due'] };
    const get = async <T>(path: string) => {
      const r = await leader.get<T>(path);
      expect([path, r.status]).toEqual([path, 200]);
      return r.body;
    };
    const q = `date=${FIXTURE_DAY}`;
    const cityOverview = await get<Overview>(`/api/v1/overview?scope=city&${q}`);
    const safety = await get<{ rows: Row[] }>(`/api/v1/dimensions/safety?scope=city&${q}`);
    const process = await get<{ rows: (Row & { students_enrolled: number; sessions_scheduled: number })[] }>(
      `/api/v1/dimensions/process?scope=city&${q}`,
    );
    for (const d of ['d1', 'd2']) {
      const o = await get<Overview>(`/api/v1/overview?scope=district:${d}&${q}`);
      // 安全监管 (day): the day's figures and the due ones, each district's equal to its overview.
      const row = safety.rows.find((r) => r.child.id === d);
      expect(row?.metrics).toEqual(o.metrics);
      expect(row?.due).toEqual(o.due);
      // 过程监管 (term): enrolled students and the rate are the overview's term figures.
      const p = process.rows.find((r) => r.child.id === d);
      expect(p?.students_enrolled).toBe(o.metrics.students_enrolled);
      expect(p).toMatchObject({ enrollment_rate: o.metrics.enrollment_rate });
    }
    // 图表·上课 (day): the overview's attendance figures, due and whole-day.
    const att = await get<{ data: { due: Overview['due']; students: object; teachers: object } }>(
      `/api/v1/charts/attendance?scope=city&${q}`,
    );
    expect(att.data.due).toEqual(cityOverview.due);
    expect(att.data.students).toEqual({
      students_expected: cityOverview.metrics.students_expected,
      students_present: cityOverview.metrics.students_present,
      attendance_rate: cityOverview.metrics.attendance_rate,
    });
    // 图表·统计 (term): 选课 the overview's, 交付 the same sessions as 过程监管's (one query).
    const totals = await get<{
      data: {
        selection: { students_enrolled: number; fees_enrolled: number };
        delivery: { sessions_scheduled: number };
      };
    }>(`/api/v1/charts/totals?scope=city&${q}`);
    expect(totals.data.selection).toMatchObject({
      students_enrolled: cityOverview.metrics.students_enrolled,
      fees_enrolled: cityOverview.metrics.fees_enrolled,
    });
    expect(totals.data.delivery.sessions_scheduled).toBe(process.rows.reduce((a, r) => a + r.sessions_scheduled, 0));
    // Mid-afternoon the due figures differ from the day's: the test would notice a page mixing them.
    expect(cityOverview.due.sessions_due_end).toBe(0);
    expect(cityOverview.metrics.sessions_completed).toBeGreaterThan(0);
  });

  it('masks student names in 一生一表', async () => {
    const r = await leader.get<{ student: { masked_name: string } | null }>(
      `/api/v1/dimensions/process/schools/s1/students/st1/timetable?date=${FIXTURE_DAY}`,
    );
    expect(r.status).toBe(200);
    expect(r.body.student?.masked_name).toMatch(/\*/);
  });

  it('downloads a budget report as CSV that Excel reads', async () => {
    const res = await fetch(`${t.url}/api/v1/dimensions/budget/schools/s1/report.csv?date=${FIXTURE_DAY}`, {
      headers: { authorization: `Bearer ${leader.token}` },
    });
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs for UTF-8
    const text = bytes.subarray(3).toString('utf8');
    expect(text.startsWith('budget_id,category,course_id,item,amount_yuan,decision\r\n')).toBe(true);
    expect(text).toContain('800.00'); // c-o1 80000 fen after the re-submission
  });

  it('keeps staff to their districts and dimensions', async () => {
    expect((await staff.get(`/api/v1/dimensions/safety?scope=district:d1&date=${FIXTURE_DAY}`)).status).toBe(200);
    // A school route's scope is its path: no scope parameter needed.
    expect((await staff.get(`/api/v1/dimensions/safety/schools/s1?date=${FIXTURE_DAY}`)).status).toBe(200);
    const refused: [string, number][] = [
      [`/api/v1/dimensions/material?scope=district:d1`, 403], // not their dimension
      [`/api/v1/dimensions/safety?scope=district:d2`, 403], // not their district
      [`/api/v1/dimensions/safety/schools/s3`, 403],
      [`/api/v1/dimensions/process/schools/s1/students/st1/timetable`, 403],
      [`/api/v1/dimensions/safety/schools/nope`, 404],
    ];
    for (const [path, status] of refused) expect([path, (await staff.get(path)).status]).toEqual([path, status]);
    expect((await staff.get<{ dimensions: string[] }>('/api/v1/dimensions')).body.dimensions).toEqual([
      'budget',
      'safety',
    ]);
  });

  it('publishes decisions; 喊停 and 否定 are for leaders only, and refusals are audited', async () => {
    const published = (t.publisher as InProcessSupervisionPublisher).published;
    const reject = {
      target_type: 'school',
      target_id: 's1',
      dimension: 'budget',
      subject_id: 'b1',
      decision: 'rejected',
      content: '课程经费占比过高',
    };
    const r = await staff.post<{ notice_id: string }>('/api/v1/decisions', reject);
    expect(r.status).toBe(201);
    expect(published.at(-1)).toMatchObject({
      type: 'decision',
      decision: 'rejected',
      subject_id: 'b1',
      issuer_role: 'staff',
    });
    const budgets = await leader.get<{ budgets: { budget_id: string; decision: { decision: string } | null }[] }>(
      `/api/v1/dimensions/budget/schools/s1?date=${FIXTURE_DAY}`,
    );
    expect(budgets.body.budgets.find((b) => b.budget_id === 'b1')?.decision?.decision).toBe('rejected');

    const halt = { ...reject, decision: 'halted', content: '暂停该项目' };
    const before = published.length;
    expect((await staff.post('/api/v1/decisions', halt)).status).toBe(403);
    expect(published.length).toBe(before);
    expect((await staff.post('/api/v1/decisions', { ...reject, target_id: 's3' })).status).toBe(403);
    expect((await staff.post('/api/v1/decisions', { ...reject, content: '' })).status).toBe(400);
    expect((await staff.post('/api/v1/decisions', { ...reject, decision: 'approved', content: ' ' })).status).toBe(400);
    expect((await leader.post('/api/v1/decisions', halt)).status).toBe(201);
    const audit = await recentAudit(store, 20, 'decision_halted');
    expect(audit.map((a) => a.ok).sort()).toEqual([false, true]);
  });
});
