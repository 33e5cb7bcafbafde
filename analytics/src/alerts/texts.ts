import type { FeedbackTarget } from '../contract/events.ts';
import { LOW_SCORE } from '../dimensions/feedback.ts';
import { maskName } from '../dimensions/mask.ts';
import { eventTypeLabel, ORPHAN_KIND_LABEL, sourceLabel } from '../quality/labels.ts';
import { ORPHAN_KINDS, ORPHAN_RECENT_MINUTES } from '../quality/orphans.ts';
import type { Condition, SessionCondition } from './conditions.ts';
import type { AlertNames, NamedKind } from './facts.ts';
import { ALERT_RULES, type AlertSettings, type Candidate } from './rules.ts';

// The alerts' texts: Chinese, with names from the registry (course, teacher, provider,
// operator; the school's name travels beside the text on the alert), times as HH:MM, never a
// raw id or an English code. A teacher's name is masked as the contract masks a student's
// (张*明): the wall is a public room. Students are never named, only counted. The notice
// dialog prefills its content from these texts, so they read as sentences.

/** HH:MM in Asia/Shanghai. */
export function hhmm(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(11, 16);
}

/** M月D日 in Asia/Shanghai. */
export function mmdd(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** 79.5%, 80%: one decimal, none when whole, so a rate just under its threshold reads under it. */
export function pct(x: number): string {
  const v = Math.round(x * 1000) / 10;
  return `${Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)}%`;
}

/** Fen as yuan with thousands separators: 123456 → 1,234.56元. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')}元`;
}

/** The ids a set of conditions' texts will name, by registry type. */
export function namesNeeded(conditions: readonly Condition[]): Record<NamedKind, Set<string>> {
  const ids: Record<NamedKind, Set<string>> = {
    course: new Set(),
    teacher: new Set(),
    provider: new Set(),
    operator: new Set(),
  };
  for (const c of conditions) {
    switch (c.rule) {
      case 'teacher_not_checked_in':
      case 'class_not_started':
      case 'student_not_checked_out':
        ids.course.add(c.session.course_id);
        ids.teacher.add(c.session.teacher_id);
        break;
      case 'low_feedback':
        ids[c.run.target].add(c.run.target_id);
        break;
      case 'over_budget':
        ids.course.add(c.check.course_id);
        break;
      case 'class_after_halt':
        ids.course.add(c.halted.course_id);
        ids.teacher.add(c.halted.teacher_id);
        break;
      default:
        break;
    }
  }
  return ids;
}

const quoted = (name: string | undefined) => (name ? `「${name}」` : '');

function sessionLabel(c: SessionCondition, names: AlertNames): string {
  const s = c.session;
  const when = `${hhmm(s.planned_start_ms)}–${hhmm(s.planned_end_ms)}`;
  const course = names.course.get(s.course_id);
  return course ? `${quoted(course)}（${when}）` : `${when}的课程`;
}

function teacherLabel(id: string, names: AlertNames): string {
  const name = names.teacher.get(id);
  return name ? `任课教师${maskName(name)}` : '任课教师';
}

const TARGET_TEXT: Record<FeedbackTarget, { named: string; unnamed: string }> = {
  course: { named: '课程', unnamed: '一门课程' },
  teacher: { named: '教师', unnamed: '一位教师' },
  provider: { named: '课程机构', unnamed: '一家课程机构' },
  operator: { named: '运营方', unnamed: '一家运营方' },
};

function targetLabel(target: FeedbackTarget, id: string, names: AlertNames): string {
  const name = names[target].get(id);
  const t = TARGET_TEXT[target];
  if (!name) return t.unnamed;
  return target === 'teacher' ? `${t.named}${maskName(name)}` : `${t.named}${quoted(name)}`;
}

/** The detail line of a condition's alert. */
export function detailOf(c: Condition, names: AlertNames, cfg: AlertSettings): string {
  switch (c.rule) {
    case 'teacher_not_checked_in':
      return `${sessionLabel(c, names)}计划开课${cfg.teacherLateMinutes}分钟后，${teacherLabel(c.session.teacher_id, names)}仍未签到`;
    case 'class_not_started':
      return `${sessionLabel(c, names)}已过计划下课时间仍未开课，${teacherLabel(c.session.teacher_id, names)}${
        c.session.teacher_present ? '已签到' : '未签到'
      }`;
    case 'student_not_checked_out':
      return `${sessionLabel(c, names)}下课${cfg.checkoutGraceMinutes}分钟后，仍有${c.session.unaccounted}名学生已签到未签退`;
    case 'low_attendance': {
      const d = c.due;
      return `已到开课时间的${d.sessions_due}节课应到${d.students_due}人、实到${d.students_present}人，出勤率${pct(
        d.attendance_rate ?? 0,
      )}，低于${pct(cfg.attendanceBelow)}`;
    }
    case 'low_completion': {
      const d = c.due;
      return `已到下课时间的${d.sessions_due_end}节课完课${d.sessions_completed}节，完课率${pct(
        d.completion_rate ?? 0,
      )}，低于${pct(cfg.completionBelow)}`;
    }
    case 'low_feedback':
      return `${targetLabel(c.run.target, c.run.target_id, names)}最近连续${c.run.run_length}次评议得分不高于${LOW_SCORE}分`;
    case 'over_budget': {
      const k = c.check;
      const course = names.course.get(k.course_id);
      const label = course ? `课程${quoted(course)}` : '一门课程';
      return k.budgeted === null
        ? `${label}本学期已结算${yuan(k.settled)}，未列入经费预算`
        : `${label}本学期已结算${yuan(k.settled)}，超出预算${yuan(k.budgeted)}（超出${yuan(k.settled - k.budgeted)}）`;
    }
    case 'class_after_halt': {
      const h = c.halted;
      const course = names.course.get(h.course_id);
      const when = `${hhmm(h.planned_start_ms)}–${hhmm(h.planned_end_ms)}`;
      const label = course ? `${quoted(course)}（${when}）` : `${when}的课程`;
      return `${label}所属开课已于${mmdd(h.halted_ms)} ${hhmm(h.halted_ms)}被喊停，${teacherLabel(
        h.teacher_id,
        names,
      )}仍于${hhmm(h.started_ms)}开课`;
    }
    case 'orphans_growing': {
      const o = c.orphans;
      const kinds = ORPHAN_KINDS.filter((k) => o.by_kind[k] > 0)
        .map((k) => `${ORPHAN_KIND_LABEL[k]}${o.by_kind[k]}条`)
        .join('、');
      return `${sourceLabel(o.source)}系统近${ORPHAN_RECENT_MINUTES}分钟新增${o.recent}条涉及未登记对象的${eventTypeLabel(
        o.type,
      )}数据（超过${c.threshold}条），目前共${o.orphans}条：${kinds}`;
    }
  }
}

/** A firing condition as the book takes it: the rule's severity, dimension and title, and the text. */
export function toCandidate(c: Condition, names: AlertNames, cfg: AlertSettings): Candidate {
  const info = ALERT_RULES[c.rule];
  return {
    id: c.id,
    rule: c.rule,
    severity: info.severity,
    dimension: info.dimension,
    school_id: c.school_id,
    subject_id: c.subject_id,
    title: info.title,
    detail: detailOf(c, names, cfg),
  };
}
