import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../clickhouse/store.ts';
import { openDimensionStore } from '../dimensions/fixture-store.ts';
import { budgetChecks, budgetVsSettled } from '../dimensions/budgets.ts';
import { lowScoreRuns } from '../dimensions/feedback.ts';
import { computeOverview } from '../metrics/overview.ts';
import { FIXTURE_DAY } from '../testing/fixture-city.ts';
import { disposeTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { evaluateConditions } from './conditions.ts';
import { describeConditions, loadAlertFacts, unaccountedBySession, type AlertFacts } from './facts.ts';
import { DEFAULT_ALERT_SETTINGS, type AlertSettings } from './rules.ts';

// The alert facts are the metric figures: on the fixture city (fixture-city.ts) the per-session
// facts the rules read sum to the overview's due figures, the school rules read the schools'
// due figures, and the feedback and budget rules read the dimension pages' own answers.
//
// Hand computation, FIXTURE_DAY (every session 15:30–16:30):
//   se1 s1 t1 checked in 15:20, class 15:30–16:30; st1 st2 (enrolled) and st3 (withdrawn)
//       checked in, nobody out → 3 unaccounted
//   se2 s1 t2 never checked in (t9, a substitute, did); started, never ended; st4 and stx in → 2
//   se5 s3 t4 in; class ran; st7 in 15:33, out 16:35 → 0
//   se6 s3 t5 never checked in; never started
// At 18:00: teacher_not_checked_in se2 se6; class_not_started se6 (due to end at 16:40);
//   student_not_checked_out se1 se2; low_attendance s1 (3 of 4 = 75%) and s3 (1 of 2 = 50%),
//   low_completion s1 s3 (1 of 2) with minimums of one session; low_feedback on course c-o1
//   (run of 3, newest from s1); over_budget s1 c-o1 (90000 > 80000), and c-o1 unbudgeted at s2
//   (set3, 70000 in October) and s3 (set2, 50000): offering o1 has three settlements, each
//   counted (on chDB an ANY join once kept only one of them).

const at = (hhmm: string) => Date.parse(`${FIXTURE_DAY}T${hhmm}:00+08:00`);
const cfg: AlertSettings = {
  ...DEFAULT_ALERT_SETTINGS,
  attendanceMinSessions: 1,
  completionMinSessions: 1,
  completionBelow: 0.8,
};

describe.each(TEST_ENGINES)('alert facts on %s', (engine) => {
  let store: Store;
  const load = (now: number) => loadAlertFacts(store, FIXTURE_DAY, now, { checkoutGraceMinutes: 30 });
  beforeAll(async () => {
    store = await openDimensionStore(engine, 'alerts');
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it.each(['15:35', '16:05', '16:45', '18:00'])('sum to the overview’s due figures at %s', async (hhmm) => {
    const now = at(hhmm);
    const [facts, { overview, schools }] = await Promise.all([
      load(now),
      computeOverview(store, { kind: 'city' }, FIXTURE_DAY, now),
    ]);
    const sum = (f: AlertFacts, school?: string) => {
      const s = f.sessions.filter((x) => !school || x.school_id === school);
      const dueStart = s.filter((x) => x.due_start);
      const dueEnd = s.filter((x) => x.due_end);
      return {
        sessions_due: dueStart.length,
        students_present: dueStart.reduce((n, x) => n + x.present_by_t, 0),
        teachers_present: dueStart.filter((x) => x.teacher_present_by_t).length,
        sessions_due_end: dueEnd.length,
        sessions_completed: dueEnd.filter((x) => x.ended_by_t).length,
      };
    };
    expect(sum(facts)).toEqual({
      sessions_due: overview.due.sessions_due,
      students_present: overview.due.students_present,
      teachers_present: overview.due.teachers_present,
      sessions_due_end: overview.due.sessions_due_end,
      sessions_completed: overview.due.sessions_completed,
    });
    // The school rules read exactly the schools' due figures of the overview.
    expect(facts.schools).toEqual(schools.map((s) => ({ school_id: s.school.school_id, due: s.due })));
    for (const s of schools) expect(sum(facts, s.school.school_id)).toMatchObject({ sessions_due: s.due.sessions_due });
  });

  it('read the dimension pages’ low-score runs and budget checks', async () => {
    const facts = await load(at('18:00'));
    const runs = await lowScoreRuns(store, { kind: 'city' });
    expect(facts.feedback.map(({ school_id: _s, ...r }) => r)).toEqual(runs);
    expect(facts.feedback.map((r) => [r.target_id, r.school_id])).toEqual([['c-o1', 's1']]);
    const checks = await budgetChecks(store, { kind: 'city' }, '2026-autumn');
    expect(facts.budgets).toEqual(checks);
    // The city-wide check is the school page's, school by school.
    for (const school of ['s1', 's2', 's3'])
      expect(checks.filter((c) => c.school_id === school).map(({ school_id: _s, ...c }) => c)).toEqual(
        (await budgetVsSettled(store, school, '2026-autumn')).map(({ course_name: _n, ...c }) => c),
      );
  });

  it('count the students inside a room after it ended', async () => {
    expect(Object.fromEntries(await unaccountedBySession(store, FIXTURE_DAY, at('16:30')))).toEqual({ se1: 3, se2: 2 });
    expect((await unaccountedBySession(store, FIXTURE_DAY, at('16:29'))).size).toBe(0);
    // As the day stood at 15:35 (events up to then): st1 and st2 in se1, st4 in se2; st7 not yet out.
    expect(Object.fromEntries(await unaccountedBySession(store, FIXTURE_DAY, at('16:30'), at('15:35')))).toEqual({
      se1: 2,
      se2: 1,
      se5: 1,
    });
  });

  it('raise the fixture day’s conditions, in Chinese with names', async () => {
    const early = evaluateConditions(await load(at('16:05')), cfg).map((c) => c.id);
    expect(early.sort()).toEqual([
      'low_attendance:2026-11-27:s1',
      'low_attendance:2026-11-27:s3',
      'low_feedback:course:c-o1',
      'over_budget:s1:c-o1',
      'over_budget:s2:c-o1',
      'over_budget:s3:c-o1',
      'teacher_not_checked_in:2026-11-27:se2',
      'teacher_not_checked_in:2026-11-27:se6',
    ]);
    const late = evaluateConditions(await load(at('18:00')), cfg);
    const cands = await describeConditions(store, late, cfg);
    const texts = Object.fromEntries(cands.map((c) => [c.id, `${c.title}：${c.detail}`]));
    expect(texts).toEqual({
      'teacher_not_checked_in:2026-11-27:se2':
        '教师未签到：「书法」（15:30–16:30）计划开课5分钟后，任课教师王*仍未签到',
      'teacher_not_checked_in:2026-11-27:se6':
        '教师未签到：「劳动实践」（15:30–16:30）计划开课5分钟后，任课教师刘*仍未签到',
      'class_not_started:2026-11-27:se6':
        '课程未开课：「劳动实践」（15:30–16:30）已过计划下课时间仍未开课，任课教师刘*未签到',
      'student_not_checked_out:2026-11-27:se1':
        '学生未签退：「篮球训练」（15:30–16:30）下课30分钟后，仍有3名学生已签到未签退',
      'student_not_checked_out:2026-11-27:se2':
        '学生未签退：「书法」（15:30–16:30）下课30分钟后，仍有2名学生已签到未签退',
      'low_attendance:2026-11-27:s1': '学生出勤率低：已到开课时间的2节课应到4人、实到3人，出勤率75%，低于80%',
      'low_attendance:2026-11-27:s3': '学生出勤率低：已到开课时间的2节课应到2人、实到1人，出勤率50%，低于80%',
      'low_completion:2026-11-27:s1': '完课率低：已到下课时间的2节课完课1节，完课率50%，低于80%',
      'low_completion:2026-11-27:s3': '完课率低：已到下课时间的2节课完课1节，完课率50%，低于80%',
      'low_feedback:course:c-o1': '评议连续低分：课程「篮球训练」最近连续3次评议得分不高于2分',
      'over_budget:s1:c-o1': '结算超出预算：课程「篮球训练」本学期已结算900.00元，超出预算800.00元（超出100.00元）',
      'over_budget:s2:c-o1': '结算超出预算：课程「篮球训练」本学期已结算700.00元，未列入经费预算',
      'over_budget:s3:c-o1': '结算超出预算：课程「篮球训练」本学期已结算500.00元，未列入经费预算',
    });
    expect(cands.find((c) => c.rule === 'student_not_checked_out')).toMatchObject({
      severity: 'critical',
      school_id: 's1',
    });
    for (const c of cands) expect(`${c.title}${c.detail}`).not.toMatch(/\b(se|st|t|c-o|s)\d/);
  });
});
