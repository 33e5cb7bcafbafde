import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupByTable, toRow } from '../clickhouse/rows.ts';
import type { Store } from '../clickhouse/store.ts';
import type { InboundEvent } from '../contract/events.ts';
import { insertSupervision } from '../supervision/notices.ts';
import { disposeTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { openDimensionStore } from './fixture-store.ts';
import { pipelineLagging, pipelineOf, REPORT_DUE_MINUTES, schoolPipelines } from './pipeline.ts';

// Hand computation from the fixture city (fixtureCityEvents + fixtureDimensionEvents), term
// 2026-autumn, judged at the end of 2026-11-30 (every fixture session is over):
//   materials     s1 all four ✓; s2 lacks bid + minutes; s3 lacks safety (m10 corrected to
//                 minutes); s4 only a spring plan; s5 none                                → 1
//   admission     s1 c-o1 by p1 (qualified) ✓; s2 c-o3 by p3 未来科技 (not qualified) ✗; s3 c-o4
//                 by p2 (re-registered qualified) ✓; s4, s5 nothing to admit ✓           → 4
//   selection     s1 o1 o2, s2 o3, s3 o4 (o5 is spring); s4, s5 none                     → 3
//   scheduling    s1 se1 se2 ✓; s2 se3 se4 both cancelled ✗; s3 se5 (o4) ✓ (se6 is o5,
//                 spring); s4's se7 names o4, not its own offering ✗                      → 2
//   enrollment_open  s1, s2, s3 (no 驳回)                                                 → 3
//   enrollment    s1 (o1 st1 st2), s2 (o3 st5 st6), s3 (o4 st7 back again)                → 3
//   audit         s1 b1, s3 b2; s2's b3 is spring                                         → 2
//   preparation   s1 se1 prepared, se2 late: 1 of 2 ✗; s3 se5 a week ahead: 1 of 1 ✓      → 1
//   safety        s1 se1 se2 checked in ✓; s3 se5 ✓                                       → 2
//   reports       s1 se1 reported, se2 not: 1 of 2 ✗; s3 se5 none: 0 of 1 ✗              → 0
//   settlement    s1 set1 (o1) ✓; s3 dset1 (o4) ✓; s2's set3 names s1's o1 ✗              → 2
//   stalls        s1 at preparation; s2, s3, s4, s5 at materials
//   waiting       s2, s4, s5 have no session due: 未到时间 at preparation, safety and reports,
//                 and so at settlement (nothing over to settle)
const TERM = '2026-autumn';
const AS_OF = Date.parse('2026-11-30T23:59:59+08:00');
const CITY = { kind: 'city' } as const;

describe.each(TEST_ENGINES)('pipeline on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDimensionStore(engine, 'dim_pipeline');
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('counts completed and stalled schools per stage in the city', async () => {
    const p = await pipelineOf(store, CITY, TERM, AS_OF);
    expect(p.schools).toBe(5);
    expect([p.finished, p.on_track]).toEqual([0, 0]);
    expect(p.preparation_data).toBe(true);
    expect(Object.fromEntries(p.stages.map((s) => [s.stage, [s.completed, s.waiting, s.stalled]]))).toEqual({
      materials: [1, 0, 4],
      admission: [4, 0, 0],
      selection: [3, 0, 0],
      scheduling: [2, 0, 0],
      enrollment_open: [3, 0, 0],
      enrollment: [3, 0, 0],
      audit: [2, 0, 0],
      preparation: [1, 3, 1],
      safety: [2, 3, 0],
      reports: [0, 3, 0],
      settlement: [2, 3, 0],
    });
  });

  it('says what each school lacks, by name', async () => {
    const bySchool = new Map((await schoolPipelines(store, CITY, TERM, AS_OF)).map((s) => [s.school_id, s]));
    expect(bySchool.get('s1')?.stalled_at).toBe('preparation');
    expect(bySchool.get('s1')?.waiting).toEqual([]);
    expect(bySchool.get('s5')?.waiting).toEqual(['preparation', 'safety', 'reports', 'settlement']);
    expect(bySchool.get('s5')?.gaps.safety).toBeUndefined();
    expect(bySchool.get('s1')?.gaps.preparation).toEqual({ done: 1, of: 2 });
    expect(bySchool.get('s1')?.gaps.reports).toEqual({ done: 1, of: 2 });
    expect(bySchool.get('s2')?.gaps.materials).toEqual({ kinds: ['bid_notice', 'meeting_minutes'] });
    expect(bySchool.get('s2')?.gaps.admission).toEqual({ providers: ['未来科技'] });
    expect(bySchool.get('s3')?.gaps.materials).toEqual({ kinds: ['safety_plan'] });
    expect(bySchool.get('s3')?.district_name).toBe('西城区');
    expect(bySchool.get('s3')?.zone_name).toBe('三学区');
  });

  it('lists the lagging schools of a stage, those stalled there first', async () => {
    const lag = await pipelineLagging(store, CITY, TERM, 'preparation', AS_OF);
    // s2, s4 and s5 have no session due: waiting, not lagging.
    expect(lag.map((s) => [s.school_id, s.stalled_at])).toEqual([['s1', 'preparation']]);
    const d2 = await pipelineLagging(store, { kind: 'district', id: 'd2' }, TERM, 'materials', AS_OF);
    expect(d2.map((s) => s.name)).toEqual(['第3小学', '第4小学']);
  });

  // On the fixture day se1 and se2 (s1) run 15:30–16:30; se1 is reported at 16:40 and 17:10,
  // se2 never. With se2 prepared in time s1 completes everything up to 课堂安全; a later class
  // se-pl-1 (17:30–18:30, prepared, never checked in) tests 课堂安全's due grace.
  it('counts a session stage only once something is due: before that the school waits', async () => {
    const day = (hhmm: string) => `2026-11-27T${hhmm}:00+08:00`;
    const events: InboundEvent[] = [
      {
        id: 'pl-prep-se2',
        type: 'lesson_prepared',
        ts: day('10:00'),
        school_id: 's1',
        session_id: 'se2',
        teacher_id: 't2',
        title: '第十二课',
      },
      {
        id: 'pl-sch-1',
        type: 'session_scheduled',
        ts: '2026-11-20T08:00:00+08:00',
        school_id: 's1',
        session_id: 'se-pl-1',
        offering_id: 'o1',
        course_id: 'c-o1',
        teacher_id: 't1',
        room: '302',
        planned_start: day('17:30'),
        planned_end: day('18:30'),
      },
      {
        id: 'pl-prep-1',
        type: 'lesson_prepared',
        ts: day('12:00'),
        school_id: 's1',
        session_id: 'se-pl-1',
        teacher_id: 't1',
        title: '第十三课',
      },
    ];
    for (const [table, list] of groupByTable(events.map((e) => toRow(e, Date.now())))) {
      await store.insert(table, list);
    }
    const s1At = async (hhmm: string) => {
      const all = await schoolPipelines(store, CITY, TERM, Date.parse(day(hhmm)));
      const s1 = all.find((s) => s.school_id === 's1');
      return { stalled_at: s1?.stalled_at, waiting: s1?.waiting, done: s1?.done, gaps: s1?.gaps };
    };

    // 15:45: no class has ended: 学情汇报 waits, for every school; s1 is on track.
    const early = await pipelineOf(store, CITY, TERM, Date.parse(day('15:45')));
    expect([early.finished, early.on_track]).toEqual([0, 1]);
    expect(early.stages.find((s) => s.stage === 'reports')).toEqual({
      stage: 'reports',
      completed: 0,
      waiting: 5,
      stalled: 0,
    });
    // Nothing is over to settle either: s2, s4 and s5 (no settlement) wait at 便捷结算.
    expect(early.stages.find((s) => s.stage === 'settlement')).toEqual({
      stage: 'settlement',
      completed: 2,
      waiting: 3,
      stalled: 0,
    });
    expect(await s1At('15:45')).toMatchObject({ stalled_at: null, waiting: ['reports'], gaps: {} });
    expect(await pipelineLagging(store, CITY, TERM, 'reports', Date.parse(day('15:45')))).toEqual([]);

    // 16:35: se1 and se2 ended 5 min ago without a report: still within REPORT_DUE_MINUTES.
    expect(REPORT_DUE_MINUTES).toBeGreaterThan(5);
    expect(await s1At('16:35')).toMatchObject({ stalled_at: null, waiting: ['reports'] });

    // 17:10: 40 min after the end, se1 is reported and se2 is not: s1 stalls at 学情汇报.
    expect(REPORT_DUE_MINUTES).toBeLessThanOrEqual(40);
    expect(await s1At('17:10')).toMatchObject({
      stalled_at: 'reports',
      waiting: [],
      gaps: { reports: { done: 1, of: 2 } },
    });
    const lag = await pipelineLagging(store, CITY, TERM, 'reports', Date.parse(day('17:10')));
    expect(lag.find((s) => s.school_id === 's1')?.stalled_at).toBe('reports');

    // 17:32: se-pl-1 began 2 min ago with no check-in: not yet due, 课堂安全 stays complete.
    const begun = await s1At('17:32');
    expect([begun.done?.preparation, begun.done?.safety, begun.gaps?.safety]).toEqual([true, true, undefined]);
    // 17:45: past the due grace it counts: 2 of 3 checked in, and s1 stalls at 课堂安全.
    expect(await s1At('17:45')).toMatchObject({ stalled_at: 'safety', gaps: { safety: { done: 2, of: 3 } } });
  });

  it('follows the decisions: 驳回 of a provider, an offering and a budget', async () => {
    const decision = (n: string, subject: string, dimension: 'course' | 'budget', target: string) =>
      insertSupervision(store, {
        type: 'decision',
        notice_id: n,
        ts: '2026-11-29T10:00:00+08:00',
        issuer_id: 'u1',
        issuer_role: 'leader',
        target_type: 'school',
        target_id: target,
        dimension,
        subject_id: subject,
        decision: 'rejected',
        content: '驳回',
      });
    await decision('n-pl-1', 'provider:p1', 'course', 'p1');
    await decision('n-pl-2', 'o3', 'course', 's2');
    await decision('n-pl-3', 'b1', 'budget', 's1');
    const bySchool = new Map((await schoolPipelines(store, CITY, TERM, AS_OF)).map((s) => [s.school_id, s]));
    expect(bySchool.get('s1')?.done.admission).toBe(false);
    expect(bySchool.get('s1')?.gaps.admission).toEqual({ providers: ['星火体育'] });
    expect(bySchool.get('s1')?.stalled_at).toBe('admission');
    expect(bySchool.get('s1')?.done.audit).toBe(false);
    expect(bySchool.get('s2')?.done.enrollment_open).toBe(false);
    expect(bySchool.get('s2')?.done.selection).toBe(true);
  });
});
