import { describe, expect, it } from 'vitest';
import type { AlertFacts, SessionFacts } from './facts.ts';
import { evaluateRules, type RuleConfig } from './rules.ts';

const cfg: RuleConfig = {
  teacherLateMinutes: 5,
  checkoutGraceMinutes: 30,
  attendanceBelow: 0.8,
  attendanceMinStarted: 2,
  completionBelow: 0.9,
  completionMinEnded: 2,
  feedbackRun: 3,
  feedbackLowScore: 2,
};
const start = Date.parse('2026-11-27T15:30:00+08:00');
const end = Date.parse('2026-11-27T16:30:00+08:00');
const session = (over: Partial<SessionFacts> = {}): SessionFacts => ({
  session_id: 'se1',
  school_id: 's1',
  teacher_id: 't1',
  course_id: 'c1',
  planned_start_ms: start,
  planned_end_ms: end,
  started: false,
  ended: false,
  teachers_checked_in: [],
  unaccounted: 0,
  students_expected: 2,
  students_present: 2,
  ...over,
});
const facts = (sessions: SessionFacts[], more: Partial<AlertFacts> = {}): AlertFacts => ({
  day: '2026-11-27',
  sessions,
  feedback: [],
  budgets: [],
  ...more,
});
const ids = (f: AlertFacts, now: number) => evaluateRules(f, cfg, now).map((c) => c.id);

describe('alert rules', () => {
  it('fires teacher_not_checked_in N minutes after the planned start, and clears on check-in', () => {
    expect(ids(facts([session()]), start + 4 * 60_000)).toEqual([]);
    expect(ids(facts([session()]), start + 5 * 60_000)).toEqual(['teacher_not_checked_in:2026-11-27:se1']);
    expect(ids(facts([session({ teachers_checked_in: ['t9'] })]), start + 6 * 60_000)).toHaveLength(1);
    expect(ids(facts([session({ teachers_checked_in: ['t1'] })]), start + 6 * 60_000)).toEqual([]);
  });

  it('fires class_not_started after the planned end', () => {
    const f = facts([session({ teachers_checked_in: ['t1'] })]);
    expect(ids(f, end - 1)).toEqual([]);
    expect(ids(f, end)).toEqual(['class_not_started:2026-11-27:se1']);
  });

  it('raises a critical alert for a child checked in and not out', () => {
    const f = facts([session({ teachers_checked_in: ['t1'], started: true, ended: true, unaccounted: 1 })]);
    expect(ids(f, end + 29 * 60_000)).toEqual([]);
    const [c] = evaluateRules(f, cfg, end + 30 * 60_000);
    expect(c?.rule).toBe('student_not_checked_out');
    expect(c?.severity).toBe('critical');
    expect(c?.detail).not.toContain('st'); // no student named on the wall
  });

  it('fires low attendance only once enough sessions started, low completion once due', () => {
    const two = [
      session({ session_id: 'a', teachers_checked_in: ['t1'], started: true, students_present: 1 }),
      session({ session_id: 'b', teachers_checked_in: ['t1'], started: true, students_present: 0 }),
    ];
    expect(ids(facts(two.slice(0, 1)), start + 10 * 60_000)).toEqual([]);
    expect(ids(facts(two), start + 10 * 60_000)).toEqual(['low_attendance:2026-11-27:s1']);
    expect(ids(facts(two), end + 31 * 60_000)).toContain('low_completion:2026-11-27:s1');
  });

  it('fires on a run of low feedback and on settlement over budget', () => {
    const f = facts([], {
      feedback: [
        { target: 'course', target_id: 'c1', school_id: 's1', scores: [1, 2, 1] },
        { target: 'teacher', target_id: 't1', school_id: 's1', scores: [1, 4, 1] },
        { target: 'provider', target_id: 'p1', school_id: 's1', scores: [1, 1] },
      ],
      budgets: [
        { school_id: 's1', course_id: 'c1', budget: 1000, settled: 1001 },
        { school_id: 's1', course_id: 'c2', budget: 1000, settled: 1000 },
      ],
    });
    expect(ids(f, start)).toEqual(['low_feedback:course:c1', 'over_budget:s1:c1']);
  });
});
