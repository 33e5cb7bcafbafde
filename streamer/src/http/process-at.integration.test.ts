import {
  momentOfAt,
  participationByChild,
  pipelineLagging,
  sessionsByDay,
  type InboundEvent,
  type ParticipationRow,
  type SchoolPipeline,
  type SessionDay,
  type Store,
} from '@edu/analytics';
import { disposeTestStore, FIXTURE_DAY, fixtureCityEvents, openTestStore, TEST_ENGINES } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { ApiClient, startTestStreamer, storeEvents, type TestStreamer } from '../testing/harness.ts';

// 过程监管 as it stood at a moment (回放, issue 12): GET /api/v1/dimensions/process with `at`
// counts only what had happened by then — offerings, schedule and class events, preparations,
// enrollments, decisions — on both engines, and equals the analytics queries given that moment;
// 流程全景's session stages likewise count only the check-ins and reports sent by then.
// The fixture moves se5 from the day before to the fixture day on 11-24 and cancels se3 on
// 11-25, and its classes start at 15:30 and end at 16:30 of the fixture day.

const city = { kind: 'city' } as const;
const TERM = '2026-autumn';
const NOW = Date.parse(`${FIXTURE_DAY}T18:00:00+08:00`);
const json = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

interface Answer {
  rows: ParticipationRow[];
  days: SessionDay[];
}

describe.each(TEST_ENGINES)('过程监管 and 流程全景 at a moment on %s', (engine) => {
  let store: Store;
  let t: TestStreamer;
  let leader: ApiClient;

  beforeAll(async () => {
    store = await openTestStore(engine, 'process_at');
    await storeEvents(store, fixtureCityEvents());
    t = await startTestStreamer(store, { clock: new ManualClock(NOW) });
    leader = await new ApiClient(t.url).login('13800000001');
  });
  afterAll(async () => {
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  const read = async (query: string) => {
    const r = await leader.get<Answer>(`/api/v1/dimensions/process?scope=city&term=${TERM}&${query}`);
    expect([query, r.status]).toEqual([query, 200]);
    return r.body;
  };
  const dayOf = (a: Answer, day: string) => a.days.find((d) => d.day === day) ?? null;
  const d1 = (a: Answer) => a.rows.find((r) => r.child.id === 'd1');

  it('counts the classes held and completed by the moment, as the queries do', async () => {
    const live = await read(`date=${FIXTURE_DAY}`);
    // Live: se1, se2, se5 held; se1, se5 completed.
    expect(dayOf(live, FIXTURE_DAY)).toEqual({ day: FIXTURE_DAY, scheduled: 3, held: 3, completed: 2 });
    for (const [at, held, completed] of [
      ['15:00', 0, 0],
      ['16:00', 3, 0],
      ['16:30', 3, 1],
    ] as const) {
      const then = await read(`date=${FIXTURE_DAY}&at=${at}`);
      expect([at, dayOf(then, FIXTURE_DAY)]).toEqual([at, { day: FIXTURE_DAY, scheduled: 3, held, completed }]);
      const upTo = momentOfAt(FIXTURE_DAY, at);
      expect(then.rows).toEqual(json(await participationByChild(store, city, TERM, upTo)));
      expect(then.days).toEqual(json(await sessionsByDay(store, city, TERM, upTo)));
    }
    expect([d1(await read(`date=${FIXTURE_DAY}&at=15:00`))?.sessions_held, d1(live)?.sessions_held]).toEqual([0, 2]);
  });

  it('takes the schedule as it stood: a session moved or cancelled later is where it was then', async () => {
    const then = await read('date=2026-11-22&at=12:00');
    // On 11-22 se5 was still on the 26th and se3 not yet cancelled: the 27th had se1, se2, se3.
    expect(dayOf(then, '2026-11-26')).toMatchObject({ scheduled: 1, held: 0 });
    expect(dayOf(then, FIXTURE_DAY)).toEqual({ day: FIXTURE_DAY, scheduled: 3, held: 0, completed: 0 });
    const live = await read(`date=${FIXTURE_DAY}`);
    expect(dayOf(live, '2026-11-26')?.scheduled ?? 0).toBe(0);
    // Enrollments were all made in September: the same then as now.
    expect(then.rows.map((r) => r.students_enrolled)).toEqual(live.rows.map((r) => r.students_enrolled));
  });

  it('judges the session stages of 流程全景 with only the reports sent by the moment', async () => {
    // se1 (s1) ends at 16:30, its report is due by 17:00 (REPORT_DUE_MINUTES); it comes at 17:05.
    const report = {
      id: 'rep-at-se1',
      type: 'class_report',
      ts: `${FIXTURE_DAY}T17:05:00.000+08:00`,
      school_id: 's1',
      session_id: 'se1',
      summary: '本节课完成运球练习',
      students: [],
    } as unknown as InboundEvent;
    await storeEvents(store, [report]);
    const reportsOf = async (at: string) => {
      const r = await leader.get<{ schools: SchoolPipeline[] }>(
        `/api/v1/dimensions/pipeline/stages/reports/schools?scope=city&term=${TERM}&date=${FIXTURE_DAY}&at=${at}`,
      );
      expect([at, r.status]).toEqual([at, 200]);
      const t = momentOfAt(FIXTURE_DAY, at);
      expect(r.body.schools).toEqual(json(await pipelineLagging(store, city, TERM, 'reports', t, t)));
      return r.body.schools.find((x) => x.school_id === 's1')?.gaps.reports;
    };
    // At 16:35 the reports are not due yet: s1 waits at 学情汇报, it does not lag there.
    expect(await reportsOf('16:35')).toBeUndefined();
    // At 17:02 se1 and se2 are due and neither has a report yet, though one is stored now.
    expect(await reportsOf('17:02')).toEqual({ done: 0, of: 2 });
    const t = momentOfAt(FIXTURE_DAY, '17:02');
    const withLater = await pipelineLagging(store, city, TERM, 'reports', t, null);
    expect(withLater.find((x) => x.school_id === 's1')?.gaps.reports).toEqual({ done: 1, of: 2 });
    expect(await reportsOf('17:08')).toEqual({ done: 1, of: 2 });
  });

  it('refuses a malformed moment with a code', async () => {
    const r = await leader.get<{ code: string }>(`/api/v1/dimensions/process?scope=city&date=${FIXTURE_DAY}&at=24:00`);
    expect([r.status, r.body.code]).toEqual([400, 'bad_request']);
  });
});
