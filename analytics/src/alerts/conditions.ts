import type { SchoolCourseBudgetCheck } from '../dimensions/budgets.ts';
import type { DueFigures } from '../metrics/definitions.ts';
import type { OrphanRow } from '../quality/orphans.ts';
import type { AlertFacts, FeedbackAlertFacts, HaltedClassFacts, SessionAlertFacts } from './facts.ts';
import { alertId, ORPHANS_PER_HOUR, type AlertSettings } from './rules.ts';

// The rules' conditions (rules.ts has the table): a pure function of the facts read at `now`
// and the settings. A condition is not yet an alert: it must first last its rule's pending
// period (pending.ts). Each carries the facts its text is written from (texts.ts).

const MIN = 60_000;

interface Base {
  /** The alert id this condition would open: rule + (day +) subject. */
  id: string;
  school_id: string;
  subject_id: string;
}

export type SessionCondition = Base & {
  rule: 'teacher_not_checked_in' | 'class_not_started' | 'student_not_checked_out';
  session: SessionAlertFacts;
};
export type SchoolCondition = Base & { rule: 'low_attendance' | 'low_completion'; due: DueFigures };
export type FeedbackCondition = Base & { rule: 'low_feedback'; run: FeedbackAlertFacts };
export type BudgetCondition = Base & { rule: 'over_budget'; check: SchoolCourseBudgetCheck };
/** school_id is '': the bureau's own alert, about a sending system, not a school. */
export type OrphanCondition = Base & { rule: 'orphans_growing'; orphans: OrphanRow; threshold: number };
export type HaltCondition = Base & { rule: 'class_after_halt'; halted: HaltedClassFacts };
export type Condition =
  SessionCondition | SchoolCondition | FeedbackCondition | BudgetCondition | OrphanCondition | HaltCondition;

export function evaluateConditions(f: AlertFacts, cfg: AlertSettings): Condition[] {
  const out: Condition[] = [];
  const { day, now } = f;
  for (const s of f.sessions) {
    const on = (rule: SessionCondition['rule']) =>
      out.push({
        id: alertId(rule, day, s.session_id),
        rule,
        school_id: s.school_id,
        subject_id: s.session_id,
        session: s,
      });
    if (now >= s.planned_start_ms + cfg.teacherLateMinutes * MIN && !s.teacher_present_by_t)
      on('teacher_not_checked_in');
    if (s.due_end && !s.started) on('class_not_started');
    if (now >= s.planned_end_ms + cfg.checkoutGraceMinutes * MIN && s.unaccounted > 0) on('student_not_checked_out');
  }
  for (const { school_id, due } of f.schools) {
    const on = (rule: SchoolCondition['rule']) =>
      out.push({ id: alertId(rule, day, school_id), rule, school_id, subject_id: school_id, due });
    if (
      due.sessions_due >= cfg.attendanceMinSessions &&
      due.attendance_rate !== null &&
      due.attendance_rate < cfg.attendanceBelow
    )
      on('low_attendance');
    if (
      due.sessions_due_end >= cfg.completionMinSessions &&
      due.completion_rate !== null &&
      due.completion_rate < cfg.completionBelow
    )
      on('low_completion');
  }
  // Runs are city-wide (the 评议反馈 page's definition at city scope); the alert goes to the
  // school the newest feedback came from. A run on a target nobody at a school rated is kept
  // out: no school's list could hold it.
  for (const run of f.feedback) {
    if (!run.school_id) continue;
    out.push({
      id: alertId('low_feedback', day, run.target, run.target_id),
      rule: 'low_feedback',
      school_id: run.school_id,
      subject_id: run.target_id,
      run,
    });
  }
  for (const check of f.budgets) {
    if (!check.over_budget) continue;
    out.push({
      id: alertId('over_budget', day, check.school_id, check.course_id),
      rule: 'over_budget',
      school_id: check.school_id,
      subject_id: check.course_id,
      check,
    });
  }
  // A halted session's class started: a violation from the moment it is seen (contract v1.1).
  for (const h of f.halted ?? []) {
    if (h.started_ms > now) continue;
    out.push({
      id: alertId('class_after_halt', day, h.session_id),
      rule: 'class_after_halt',
      school_id: h.school_id,
      subject_id: h.session_id,
      halted: h,
    });
  }
  // One per source and type (a type belongs to one source): growth within the last hour, of
  // orphans still unknown now, so one whose registry event arrived no longer counts.
  const threshold = cfg.orphansPerHour ?? ORPHANS_PER_HOUR;
  for (const o of f.orphans ?? []) {
    if (o.recent <= threshold) continue;
    out.push({
      id: alertId('orphans_growing', day, o.type),
      rule: 'orphans_growing',
      school_id: '',
      subject_id: o.type,
      orphans: o,
      threshold,
    });
  }
  return out;
}
