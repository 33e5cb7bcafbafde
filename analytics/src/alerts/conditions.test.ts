import { describe, expect, it } from 'vitest';
import { withDueRates, zeroDueCounts, type DueCounts } from '../metrics/definitions.ts';
import { evaluateConditions } from './conditions.ts';
import type { AlertFacts, AlertNames, SessionAlertFacts } from './facts.ts';
import type { OrphanRow } from '../quality/orphans.ts';
import { DEFAULT_ALERT_SETTINGS, ORPHANS_PER_HOUR, type AlertSettings } from './rules.ts';
import { hhmm, pct, toCandidate, yuan } from './texts.ts';

const cfg: AlertSettings = { ...DEFAULT_ALERT_SETTINGS, completionMinSessions: 2, completionBelow: 0.9 };
const DAY = '2026-11-27';
const MIN = 60_000;
const start = Date.parse(`${DAY}T15:30:00+08:00`);
const end = Date.parse(`${DAY}T16:30:00+08:00`);

const session = (over: Partial<SessionAlertFacts> = {}): SessionAlertFacts => ({
  session_id: 'se1',
  school_id: 's1',
  offering_id: 'o1',
  teacher_id: 't1',
  course_id: 'c1',
  planned_start_ms: start,
  planned_end_ms: end,
  started: false,
  ended: false,
  ended_by_t: false,
  present: 0,
  present_by_t: 0,
  teacher_present: false,
  teacher_present_by_t: false,
  due_start: false,
  due_end: false,
  prepared: false,
  latest_ms: 0,
  unaccounted: 0,
  ...over,
});
const due = (c: Partial<DueCounts>) => withDueRates({ ...zeroDueCounts(), ...c }, '');
const facts = (now: number, more: Partial<AlertFacts> = {}): AlertFacts => ({
  day: DAY,
  now,
  sessions: [],
  schools: [],
  feedback: [],
  budgets: [],
  ...more,
});
const ids = (f: AlertFacts) => evaluateConditions(f, cfg).map((c) => c.id);
const names: AlertNames = {
  course: new Map([['c1', '少儿篮球']]),
  teacher: new Map([['t1', '王小明']]),
  provider: new Map([['p1', '星光体育']]),
  operator: new Map(),
};

describe('alert conditions', () => {
  it('teacher_not_checked_in: N minutes after the planned start, on the check-in as of now', () => {
    const at = start + 5 * MIN;
    expect(ids(facts(at - 1, { sessions: [session()] }))).toEqual([]);
    expect(ids(facts(at, { sessions: [session()] }))).toEqual(['teacher_not_checked_in:2026-11-27:se1']);
    // A check-in stored but stamped after now does not count yet; one by now does.
    expect(ids(facts(at, { sessions: [session({ teacher_present: true })] }))).toHaveLength(1);
    expect(ids(facts(at, { sessions: [session({ teacher_present_by_t: true })] }))).toEqual([]);
  });

  it('class_not_started once the session is due to end without a class_started', () => {
    const s = { teacher_present_by_t: true, teacher_present: true };
    expect(ids(facts(end + 10 * MIN, { sessions: [session({ ...s })] }))).toEqual([]);
    expect(ids(facts(end + 10 * MIN, { sessions: [session({ ...s, due_end: true })] }))).toEqual([
      'class_not_started:2026-11-27:se1',
    ]);
    expect(ids(facts(end + 10 * MIN, { sessions: [session({ ...s, due_end: true, started: true })] }))).toEqual([]);
  });

  it('student_not_checked_out: the grace after the planned end, while anyone is inside', () => {
    const s = session({ teacher_present_by_t: true, started: true, ended: true, due_end: true, unaccounted: 2 });
    expect(ids(facts(end + 30 * MIN - 1, { sessions: [s] }))).toEqual([]);
    expect(ids(facts(end + 30 * MIN, { sessions: [s] }))).toEqual(['student_not_checked_out:2026-11-27:se1']);
    expect(ids(facts(end + 30 * MIN, { sessions: [{ ...s, unaccounted: 0 }] }))).toEqual([]);
  });

  it('school rules read the due figures, with a minimum of sessions due', () => {
    const low = due({ sessions_due: 3, students_due: 60, students_present: 40 });
    expect(ids(facts(end, { schools: [{ school_id: 's1', due: low }] }))).toEqual(['low_attendance:2026-11-27:s1']);
    // Two sessions due: too few to judge the school.
    const few = due({ sessions_due: 2, students_due: 40, students_present: 10 });
    expect(ids(facts(end, { schools: [{ school_id: 's1', due: few }] }))).toEqual([]);
    // Nothing due yet: a rate of null is no data, never low.
    expect(ids(facts(start, { schools: [{ school_id: 's1', due: due({}) }] }))).toEqual([]);
    const incomplete = due({
      sessions_due: 3,
      students_due: 3,
      students_present: 3,
      sessions_due_end: 2,
      sessions_completed: 1,
    });
    expect(ids(facts(end, { schools: [{ school_id: 's1', due: incomplete }] }))).toEqual([
      'low_completion:2026-11-27:s1',
    ]);
  });

  it('low feedback runs and over-budget checks, one alert per target and per school course', () => {
    const f = facts(start, {
      feedback: [
        { target: 'course', target_id: 'c1', run_length: 3, latest_ts: '', school_id: 's1' },
        { target: 'provider', target_id: 'p1', run_length: 4, latest_ts: '', school_id: 's2' },
      ],
      budgets: [
        { school_id: 's1', course_id: 'c1', budgeted: 1000, settled: 1001, over_budget: true },
        { school_id: 's1', course_id: 'c2', budgeted: 1000, settled: 1000, over_budget: false },
      ],
    });
    expect(ids(f)).toEqual(['low_feedback:course:c1', 'low_feedback:provider:p1', 'over_budget:s1:c1']);
  });

  it('orphans_growing: more than the threshold stored within the hour, one bureau alert per type', () => {
    const row = (type: string, recent: number, orphans = recent): OrphanRow => ({
      source: 'edu.checkin.v1',
      type,
      orphans,
      recent,
      by_kind: { school: 0, session: orphans, offering: 0, student: 0 },
      samples: { school: [], session: ['se9'], offering: [], student: [] },
    });
    // The default threshold, defined once in rules.ts; many old orphans but few new: quiet.
    expect(cfg.orphansPerHour).toBe(ORPHANS_PER_HOUR);
    const at = (...rows: OrphanRow[]) => evaluateConditions(facts(end, { orphans: rows }), cfg);
    expect(at(row('checkin', ORPHANS_PER_HOUR, 5000))).toEqual([]);
    const [c, ...rest] = at(row('checkin', ORPHANS_PER_HOUR + 1), row('checkout', 3));
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ id: 'orphans_growing:checkin', school_id: '', subject_id: 'checkin' });
    // A threshold set for the deployment wins; without one (a config that strips it) the default holds.
    expect(
      evaluateConditions(facts(end, { orphans: [row('checkout', 3)] }), { ...cfg, orphansPerHour: 2 }),
    ).toHaveLength(1);
    const { orphansPerHour: _unset, ...stripped } = cfg;
    expect(evaluateConditions(facts(end, { orphans: [row('checkin', 51)] }), stripped)).toHaveLength(1);
    expect(evaluateConditions(facts(end, { orphans: [row('checkin', 50)] }), stripped)).toEqual([]);
    // Its text names the system, the type and the kinds in Chinese, with no id.
    const cand = toCandidate(c!, names, cfg);
    expect(cand).toMatchObject({ severity: 'warning', dimension: 'process', title: '未登记数据增多' });
    expect(cand.detail).toBe(
      '考勤系统近60分钟新增51条涉及未登记对象的签到数据（超过50条），目前共51条：未排课节次51条',
    );
  });
});

describe('alert texts', () => {
  it('name the course and the teacher (masked), with times as HH:MM, never an id', () => {
    const [c] = evaluateConditions(facts(start + 6 * MIN, { sessions: [session()] }), cfg);
    const cand = toCandidate(c!, names, cfg);
    expect(cand).toMatchObject({ rule: 'teacher_not_checked_in', severity: 'warning', title: '教师未签到' });
    expect(cand.detail).toBe('「少儿篮球」（15:30–16:30）计划开课5分钟后，任课教师王*明仍未签到');
    // Without names in the registry: still a sentence, still no id.
    const bare = toCandidate(c!, { ...names, course: new Map(), teacher: new Map() }, cfg).detail;
    expect(bare).toBe('15:30–16:30的课程计划开课5分钟后，任课教师仍未签到');
    expect(bare).not.toMatch(/c1|t1|se1/);
  });

  it('count children, never name them; write money in yuan and rates to a tenth', () => {
    const s = session({ started: true, ended: true, due_end: true, teacher_present_by_t: true, unaccounted: 2 });
    const [c] = evaluateConditions(facts(end + 31 * MIN, { sessions: [s] }), cfg);
    expect(toCandidate(c!, names, cfg)).toMatchObject({
      severity: 'critical',
      dimension: 'safety',
      detail: '「少儿篮球」（15:30–16:30）下课30分钟后，仍有2名学生已签到未签退',
    });
    const school = evaluateConditions(
      facts(end, {
        schools: [{ school_id: 's1', due: due({ sessions_due: 4, students_due: 80, students_present: 63 }) }],
      }),
      cfg,
    );
    expect(toCandidate(school[0]!, names, cfg).detail).toBe(
      '已到开课时间的4节课应到80人、实到63人，出勤率78.8%，低于80%',
    );
    const money = evaluateConditions(
      facts(end, {
        budgets: [{ school_id: 's1', course_id: 'c1', budgeted: 8_000_000, settled: 9_012_345, over_budget: true }],
        feedback: [{ target: 'teacher', target_id: 't1', run_length: 3, latest_ts: '', school_id: 's1' }],
      }),
      cfg,
    ).map((x) => toCandidate(x, names, cfg).detail);
    expect(money).toEqual([
      '教师王*明最近连续3次评议得分不高于2分',
      '课程「少儿篮球」本学期已结算90,123.45元，超出预算80,000.00元（超出10,123.45元）',
    ]);
    expect([hhmm(end), pct(0.795), pct(0.8), yuan(5)]).toEqual(['16:30', '79.5%', '80%', '0.05元']);
  });
});
