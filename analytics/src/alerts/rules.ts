import type { Dimension } from '../contract/supervision.ts';
import type { AlertRule, AlertSeverity } from '../live/protocol.ts';

// The alert rules: their ids (stable — the simulator's anomaly ledger and the alert-quality
// benchmark refer to them), what each one watches, and the settings that tune them. The
// conditions are evaluated by conditions.ts on the contract's figures that analytics computes
// (facts.ts); the texts are written by texts.ts; pending.ts holds a condition back until it has
// lasted its rule's pending period; group.ts folds the alerts into the wall's lines.
//
//   rule id                  severity  subject   fires when (now: the service clock's, or while the
//                                                data is late, its newest event + 5 min: late.ts)
//   teacher_not_checked_in   warning   session   now ≥ planned_start + teacherLateMinutes and the
//                                                scheduled teacher has no check-in (ts ≤ now)
//   class_not_started        warning   session   the session is due to end (planned_end + 10 min
//                                                grace ≤ now) and has no class_started
//   student_not_checked_out  critical  session   now ≥ planned_end + checkoutGraceMinutes and a
//                                                student's latest check-in is newer than their
//                                                latest check-out (or they have none); goes to the
//                                                school first, to the bureau's wall after
//                                                escalateCheckoutMinutes
//   low_attendance           warning   school    the school's due attendance_rate < attendanceBelow
//                                                with ≥ attendanceMinSessions sessions due
//   low_completion           info      school    the school's due completion_rate < completionBelow
//                                                with ≥ completionMinSessions sessions due to end
//   low_feedback             warning   target    a course/teacher/provider/operator in
//                                                lowScoreRuns (评议反馈's definition: ≥ 3 latest
//                                                scores ≤ 2)
//   over_budget              warning   course    a school's course with over_budget in
//                                                budgetChecks (经费审计's definition: settled >
//                                                budgeted, an unbudgeted course counting 0)
//   orphans_growing          warning   bureau    more than orphansPerHour orphan events of one
//                                                source and type (analytics/src/quality: about a
//                                                school, session, offering or student the
//                                                registry does not know) stored within the last
//                                                hour and still orphans; one per type, no school
//   class_after_halt         critical  session   a class_started for a session of an offering
//                                                halted (喊停) before the session's planned start
//                                                (contract v1.1: the halted session is no longer
//                                                scheduled; starting it is a violation)
//
// Every rule's condition must hold for its pending period (pendingMinutes, of the service's
// clock) before it becomes an alert; an alert resolves itself when its condition clears.

export type RuleLevel = 'session' | 'school' | 'target' | 'course' | 'bureau';

export interface RuleInfo {
  rule: AlertRule;
  severity: AlertSeverity;
  dimension: Dimension;
  /** Chinese, for the wall and the notice. */
  title: string;
  /** What one alert of the rule is about. */
  level: RuleLevel;
  /** How a member is counted on a group line: 节课, 所学校, 项, 门课程. */
  unit: string;
  /** Its alerts belong to one day of the timetable: the id carries the day. */
  perDay: boolean;
  /** Goes to its school's list first, and to the bureau's wall only after escalation. */
  escalates: boolean;
}

export const ALERT_RULES: Readonly<Record<AlertRule, RuleInfo>> = {
  teacher_not_checked_in: {
    rule: 'teacher_not_checked_in',
    severity: 'warning',
    dimension: 'process',
    title: '教师未签到',
    level: 'session',
    unit: '节课',
    perDay: true,
    escalates: false,
  },
  class_not_started: {
    rule: 'class_not_started',
    severity: 'warning',
    dimension: 'process',
    title: '课程未开课',
    level: 'session',
    unit: '节课',
    perDay: true,
    escalates: false,
  },
  student_not_checked_out: {
    rule: 'student_not_checked_out',
    severity: 'critical',
    dimension: 'safety',
    title: '学生未签退',
    level: 'session',
    unit: '节课',
    perDay: true,
    escalates: true,
  },
  low_attendance: {
    rule: 'low_attendance',
    severity: 'warning',
    dimension: 'process',
    title: '学生出勤率低',
    level: 'school',
    unit: '所学校',
    perDay: true,
    escalates: false,
  },
  low_completion: {
    rule: 'low_completion',
    severity: 'info',
    dimension: 'course',
    title: '完课率低',
    level: 'school',
    unit: '所学校',
    perDay: true,
    escalates: false,
  },
  low_feedback: {
    rule: 'low_feedback',
    severity: 'warning',
    dimension: 'feedback',
    title: '评议连续低分',
    level: 'target',
    unit: '项',
    perDay: false,
    escalates: false,
  },
  over_budget: {
    rule: 'over_budget',
    severity: 'warning',
    dimension: 'budget',
    title: '结算超出预算',
    level: 'course',
    unit: '门课程',
    perDay: false,
    escalates: false,
  },
  // The bureau's own: the sending systems are out of step with the registry (a school's gate
  // sending ids nobody registered, a registry feed stopped). Under 过程监管, whose figures the
  // orphans are missing from.
  orphans_growing: {
    rule: 'orphans_growing',
    severity: 'warning',
    dimension: 'process',
    title: '未登记数据增多',
    level: 'bureau',
    unit: '类数据',
    perDay: false,
    escalates: false,
  },
  class_after_halt: {
    rule: 'class_after_halt',
    severity: 'critical',
    dimension: 'course',
    title: '喊停后仍开课',
    level: 'session',
    unit: '节课',
    perDay: true,
    escalates: false,
  },
};

export const ALERT_RULE_IDS = Object.keys(ALERT_RULES) as AlertRule[];

/** Rules whose pending period is a setting of its own. */
export type PendingRule = Exclude<AlertRule, 'orphans_growing'>;

/**
 * orphans_growing fires above this many orphan events of one source and type stored within an
 * hour: a stray mistyped id or a registry event a few minutes late stays below it, a sending
 * system out of step with the registry (every check-in of a school, a class's enrollments) is
 * far above it within its first hour.
 */
export const ORPHANS_PER_HOUR = 50;

export const SEVERITY_RANK: Readonly<Record<AlertSeverity, number>> = { critical: 0, warning: 1, info: 2 };

export interface AlertSettings {
  /** teacher_not_checked_in: minutes after planned_start without the teacher's check-in. */
  teacherLateMinutes: number;
  /** student_not_checked_out: minutes after planned_end a checked-in student may still be inside. */
  checkoutGraceMinutes: number;
  /** low_attendance: the school's due attendance rate below this (0–1) … */
  attendanceBelow: number;
  /** … with at least this many sessions due to start. */
  attendanceMinSessions: number;
  /** low_completion: the school's due completion rate below this (0–1) … */
  completionBelow: number;
  /** … with at least this many sessions due to end. */
  completionMinSessions: number;
  /**
   * Per rule: minutes a condition must hold before it becomes an alert (Prometheus `for:`).
   * orphans_growing's condition is already an hour's growth: its pending period is 0 unless set.
   */
  pendingMinutes: Record<PendingRule, number> & { orphans_growing?: number };
  /** orphans_growing: orphan events of one source and type stored within the last hour; default ORPHANS_PER_HOUR. */
  orphansPerHour?: number;
  /** student_not_checked_out: minutes on the school's list before it reaches the bureau's wall. */
  escalateCheckoutMinutes: number;
}

/**
 * The defaults, chosen against the simulator's default day (ingest/src/simulator/rates.ts):
 * teachers who arrive a minute or two after the late mark, a school whose last class just
 * became due, a corrected settlement, never reach the wall; absent teachers, classes that never
 * ran, children unaccounted for, schools having a bad day (≈70% attendance), schools leaving
 * their classes open (≈20% completion; an ordinary school's single unended class keeps it far
 * above 50%), disliked courses and over-budget settlements all do. Measured with the
 * alert-quality benchmark (deploy/bench/alert-quality.ts): 120 schools, peak 17 wall lines,
 * recall 100% on every rule; low_completion at 80% had 8 false schools of 9 (71–77%).
 */
export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  teacherLateMinutes: 5,
  checkoutGraceMinutes: 30,
  attendanceBelow: 0.8,
  attendanceMinSessions: 3,
  completionBelow: 0.5,
  completionMinSessions: 5,
  pendingMinutes: {
    teacher_not_checked_in: 5,
    class_not_started: 2,
    student_not_checked_out: 5,
    low_attendance: 10,
    low_completion: 10,
    low_feedback: 5,
    over_budget: 5,
    // A class started is a fact, not a reading that may recover: no reason to wait.
    class_after_halt: 0,
  },
  escalateCheckoutMinutes: 10,
  orphansPerHour: ORPHANS_PER_HOUR,
};

/** Pending periods of zero: every condition is an alert at once (tests of other things). */
export const NO_PENDING: Readonly<Record<AlertRule, number>> = Object.fromEntries(
  ALERT_RULE_IDS.map((r) => [r, 0]),
) as Record<AlertRule, number>;

/** What the book needs to open or update one alert: a firing condition, with its texts. */
export interface Candidate {
  /** rule + (day +) subject: one alert per rule and subject. */
  id: string;
  rule: AlertRule;
  severity: AlertSeverity;
  dimension: Dimension;
  school_id: string;
  subject_id: string;
  title: string;
  detail: string;
}

/** The alert id of a rule and subject; day rules carry the day, so tomorrow's is another alert. */
export function alertId(rule: AlertRule, day: string, ...subject: string[]): string {
  return ALERT_RULES[rule].perDay ? [rule, day, ...subject].join(':') : [rule, ...subject].join(':');
}

/** Whether an alert id belongs to `day` (for day rules; others belong to every day). */
export function alertOfDay(rule: AlertRule, id: string, day: string): boolean {
  return !ALERT_RULES[rule].perDay || id.startsWith(`${rule}:${day}:`);
}
