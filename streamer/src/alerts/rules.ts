import type { AlertRule, AlertSeverity, Dimension } from '@edu/analytics';
import type { AlertFacts } from './facts.ts';

// The alert rules: pure functions of the day's facts, the thresholds and the time. Each
// firing condition is a Candidate with a deterministic id (rule + day + subject), so a rule
// that keeps firing is one alert, not a flood.

export interface RuleConfig {
  teacherLateMinutes: number;
  checkoutGraceMinutes: number;
  attendanceBelow: number;
  attendanceMinStarted: number;
  completionBelow: number;
  completionMinEnded: number;
  feedbackRun: number;
  feedbackLowScore: number;
}

export interface Candidate {
  id: string;
  rule: AlertRule;
  severity: AlertSeverity;
  dimension: Dimension;
  school_id: string;
  subject_id: string;
  title: string;
  detail: string;
}

/** Rules whose alerts belong to one day of the timetable (their id carries the day). */
export const DAY_RULES: ReadonlySet<AlertRule> = new Set([
  'teacher_not_checked_in',
  'class_not_started',
  'student_not_checked_out',
  'low_attendance',
  'low_completion',
]);

const MIN = 60_000;
const pct = (x: number) => `${Math.round(x * 100)}%`;
const hhmm = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(11, 16);

export function evaluateRules(f: AlertFacts, cfg: RuleConfig, now: number): Candidate[] {
  const out: Candidate[] = [];
  const d = f.day;
  const perSchool = new Map<
    string,
    { started: number; expected: number; present: number; due: number; ended: number }
  >();
  for (const s of f.sessions) {
    const lateAt = s.planned_start_ms + cfg.teacherLateMinutes * MIN;
    if (now >= lateAt && !s.teachers_checked_in.includes(s.teacher_id)) {
      out.push({
        id: `teacher_not_checked_in:${d}:${s.session_id}`,
        rule: 'teacher_not_checked_in',
        severity: 'warning',
        dimension: 'process',
        school_id: s.school_id,
        subject_id: s.session_id,
        title: '教师未签到',
        detail: `课程 ${s.course_id}（${hhmm(s.planned_start_ms)} 开始）教师 ${s.teacher_id} 超过 ${cfg.teacherLateMinutes} 分钟未签到`,
      });
    }
    if (now >= s.planned_end_ms && !s.started) {
      out.push({
        id: `class_not_started:${d}:${s.session_id}`,
        rule: 'class_not_started',
        severity: 'warning',
        dimension: 'process',
        school_id: s.school_id,
        subject_id: s.session_id,
        title: '课程未开课',
        detail: `课程 ${s.course_id}（${hhmm(s.planned_start_ms)}–${hhmm(s.planned_end_ms)}）已过下课时间仍未开课`,
      });
    }
    if (now >= s.planned_end_ms + cfg.checkoutGraceMinutes * MIN && s.unaccounted > 0) {
      out.push({
        id: `student_not_checked_out:${d}:${s.session_id}`,
        rule: 'student_not_checked_out',
        severity: 'critical',
        dimension: 'safety',
        school_id: s.school_id,
        subject_id: s.session_id,
        title: '学生未签退',
        detail: `课程 ${s.course_id} 下课 ${cfg.checkoutGraceMinutes} 分钟后仍有 ${s.unaccounted} 名学生已签到未签退`,
      });
    }
    let acc = perSchool.get(s.school_id);
    if (!acc) perSchool.set(s.school_id, (acc = { started: 0, expected: 0, present: 0, due: 0, ended: 0 }));
    if (now >= lateAt) {
      acc.started++;
      acc.expected += s.students_expected;
      acc.present += s.students_present;
    }
    if (now >= s.planned_end_ms + cfg.checkoutGraceMinutes * MIN) {
      acc.due++;
      if (s.ended) acc.ended++;
    }
  }
  for (const [school, a] of perSchool) {
    if (a.started >= cfg.attendanceMinStarted && a.expected > 0 && a.present / a.expected < cfg.attendanceBelow) {
      out.push({
        id: `low_attendance:${d}:${school}`,
        rule: 'low_attendance',
        severity: 'warning',
        dimension: 'process',
        school_id: school,
        subject_id: school,
        title: '学生出勤率低',
        detail: `已开始的 ${a.started} 节课出勤率 ${pct(a.present / a.expected)}，低于 ${pct(cfg.attendanceBelow)}`,
      });
    }
    if (a.due >= cfg.completionMinEnded && a.ended / a.due < cfg.completionBelow) {
      out.push({
        id: `low_completion:${d}:${school}`,
        rule: 'low_completion',
        severity: 'info',
        dimension: 'course',
        school_id: school,
        subject_id: school,
        title: '完课率低',
        detail: `应完成 ${a.due} 节课，完课 ${a.ended} 节（${pct(a.ended / a.due)}），低于 ${pct(cfg.completionBelow)}`,
      });
    }
  }
  for (const fb of f.feedback) {
    if (fb.scores.length >= cfg.feedbackRun && fb.scores.every((s) => s <= cfg.feedbackLowScore)) {
      out.push({
        id: `low_feedback:${fb.target}:${fb.target_id}`,
        rule: 'low_feedback',
        severity: 'warning',
        dimension: 'feedback',
        school_id: fb.school_id,
        subject_id: fb.target_id,
        title: '评议连续低分',
        detail: `${fb.target} ${fb.target_id} 最近 ${cfg.feedbackRun} 次评分均不高于 ${cfg.feedbackLowScore} 分（${fb.scores.join('、')}）`,
      });
    }
  }
  for (const b of f.budgets) {
    if (b.settled > b.budget) {
      out.push({
        id: `over_budget:${b.school_id}:${b.course_id}`,
        rule: 'over_budget',
        severity: 'warning',
        dimension: 'budget',
        school_id: b.school_id,
        subject_id: b.course_id,
        title: '结算超出预算',
        detail: `课程 ${b.course_id} 已结算 ${(b.settled / 100).toFixed(2)} 元，超出预算 ${(b.budget / 100).toFixed(2)} 元`,
      });
    }
  }
  return out;
}
