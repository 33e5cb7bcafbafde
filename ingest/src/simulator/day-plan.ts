import {
  periodOfDay,
  termOfDay,
  toShanghaiRfc3339,
  type FeedbackFrom,
  type FeedbackTarget,
  type InboundEvent,
} from '@edu/analytics';
import { assertDay, atMinute, compactDay, dayNumber, isSchoolDay, weekdayIndex, windowOf } from './calendar.ts';
import type { City } from './city.ts';
import { DayPlan, KIND, RecordBuilder } from './day-records.ts';
import { ids } from './ids.ts';
import { feedbackComment } from './names.ts';
import { RATES, TIMING, WINDOW } from './rates.ts';
import { at, hash32, Rng, unit } from './rng.ts';
import { planSchool, type PlanCourse, type PlanOffering, type SchoolPlan } from './school-plan.ts';
import { courseBudgets, submitsBudget } from './setup.ts';

// The behaviour of a school day, school by school and session by session. Each session draws
// from its own generator (seed, school, offering, day), so a session's story is the same
// whatever else the city does. The result is a compact DayPlan that builds events lazily,
// with the day's anomaly ledger (anomalies.ts): every anomaly injected, recorded as it is.

const SEC = 1000;
const MIN = 60 * SEC;

export interface DayOptions {
  /** Treat weekends and holidays as school days (a demo on a Saturday); weekday = day number mod 5. */
  anyDay?: boolean;
}

/** Check-in methods as the gates use them: mostly face recognition, some cards, a few by hand. */
const STUDENT_METHODS: readonly (readonly [number, number])[] = [
  [0, 0.7],
  [1, 0.25],
  [2, 0.05],
];
const TEACHER_METHODS: readonly (readonly [number, number])[] = [
  [0, 0.85],
  [1, 0.1],
  [2, 0.05],
];

/** Plans every event of `day` for the whole city. */
export function planDay(city: City, day: string, options: DayOptions = {}): DayPlan {
  assertDay(day);
  const term = termOfDay(day);
  const builder = new RecordBuilder();
  const open = isSchoolDay(day) || options.anyDay === true;
  const weekday = isSchoolDay(day) ? weekdayIndex(day) : dayNumber(day) % 5;
  if (open) {
    for (const s of city.schools) planSchoolDay(city, planSchool(city, s.index, term), day, 1 << weekday, builder);
  }
  return new DayPlan(
    {
      day,
      term,
      windowStart: windowOf(day).start,
      windowEnd: windowOf(day).end,
      studentWidth: city.studentWidth,
    },
    builder,
  );
}

/** One school's day as its sessions leave it, for the school-wide entries of the ledger. */
interface SchoolDay {
  /** Students absent at this rate (RATES.studentAbsent, or studentAbsentOnBadDay). */
  absent: number;
  /** Started classes left open at this rate (RATES.classNotEnded, or classNotEndedAtSuchSchool). */
  notEnded: number;
  /** Earliest planned_start of a session held (not cancelled). */
  firstStart: number;
  /** Earliest planned_end of a started class left open. */
  firstOpenEnd: number;
  /** Feedback times of each disliked course (by course index). */
  dislikedFeedback: Map<number, number[]>;
}

function planSchoolDay(city: City, plan: SchoolPlan, day: string, dayBit: number, b: RecordBuilder): void {
  const { school } = plan;
  const dn = dayNumber(day);
  const badDay = unit(city.seed, 'bad-day', school.index, dn) < RATES.schoolBadDay;
  const leftOpen = unit(city.seed, 'classes-not-ended', school.index, dn) < RATES.schoolClassesNotEnded;
  const sd: SchoolDay = {
    absent: badDay ? RATES.studentAbsentOnBadDay : RATES.studentAbsent,
    notEnded: leftOpen ? RATES.classNotEndedAtSuchSchool : RATES.classNotEnded,
    firstStart: Infinity,
    firstOpenEnd: Infinity,
    dislikedFeedback: new Map(),
  };
  for (const o of plan.offerings) {
    if ((o.days & dayBit) === 0) continue;
    planSession(city, plan, o, day, sd, b);
  }
  const ledger = b.ledger;
  if (badDay && sd.firstStart < Infinity) {
    ledger.record({
      kind: 'school_bad_day',
      school_id: school.id,
      subject_id: school.id,
      at: sd.firstStart,
      note: `students absent at ${RATES.studentAbsentOnBadDay * 100}% instead of ${RATES.studentAbsent * 100}%`,
    });
  }
  if (leftOpen && sd.firstOpenEnd < Infinity) {
    ledger.record({
      kind: 'school_classes_not_ended',
      school_id: school.id,
      subject_id: school.id,
      at: sd.firstOpenEnd,
      note: `started classes left open at ${RATES.classNotEndedAtSuchSchool * 100}%`,
    });
  }
  for (const [ci, times] of sd.dislikedFeedback) {
    const course = at(plan.courses, ci);
    times.sort((x, y) => x - y);
    // The run of low scores exists once a held session's share of them has arrived.
    const complete = times[Math.min(times.length, TIMING.lowFeedbackPerSession) - 1];
    if (complete === undefined) continue;
    ledger.record({
      kind: 'disliked_course',
      school_id: school.id,
      subject_id: course.id,
      refs: course.providerId ? [course.providerId] : [],
      at: complete,
      note: `${times.length} feedbacks today, all scoring 1–2`,
    });
  }
  const budgets = courseBudgets(plan);
  const budgeted = submitsBudget(city.seed, school.index, plan.term);
  for (const o of plan.offerings) {
    if (unit(city.seed, 'settle', school.index, o.index, dn) >= RATES.settledPerDay) continue;
    const course = at(plan.courses, o.course);
    const rng = Rng.of(city.seed, 'settlement', school.index, o.index, dn);
    const net = o.withdrawn.filter((w) => !w).length;
    const amount = o.overBudget
      ? Math.ceil((budgets.get(o.course) ?? 0) * (1.05 + 0.25 * rng.next()))
      : Math.round((o.fee * net) / TIMING.termMonths);
    const period = periodOfDay(day);
    const settlement_id = ids.settlement(o.id, period);
    const ts = atMinute(day, TIMING.settlementMinute) + rng.int(60 * MIN);
    if ((o.overBudget && budgeted) || (!budgeted && amount > 0)) {
      // Settled above the course's budget; a school without one has a budget of 0 (经费审计).
      ledger.record({
        kind: budgeted ? 'over_budget_settlement' : 'unbudgeted_settlement',
        school_id: school.id,
        subject_id: course.id,
        key: settlement_id,
        refs: [o.id, settlement_id],
        at: ts,
        note: `${amount} against a course budget of ${budgeted ? (budgets.get(o.course) ?? 0) : 0}`,
      });
    }
    b.addExtra(ts, {
      id: `${settlement_id}:${compactDay(day)}`,
      type: 'settled',
      ts: toShanghaiRfc3339(ts),
      school_id: school.id,
      settlement_id,
      offering_id: o.id,
      ...(course.providerId ? { provider_id: course.providerId } : {}),
      amount,
      period,
    });
  }
}

function planSession(
  city: City,
  plan: SchoolPlan,
  o: PlanOffering,
  day: string,
  sd: SchoolDay,
  b: RecordBuilder,
): void {
  const { school } = plan;
  const course = at(plan.courses, o.course);
  const teacherId = at(plan.teachers, o.teacher).id;
  const sessionId = ids.session(o.id, compactDay(day));
  const plannedStart = atMinute(day, o.startMinute);
  const plannedEnd = atMinute(day, o.endMinute);
  const rng = Rng.of(city.seed, 'session', school.index, o.index, dayNumber(day));
  const s = b.sessions.length;
  const presentFrom = b.presence.length;
  const meta = {
    schoolId: school.id,
    sessionId,
    offeringId: o.id,
    courseId: course.id,
    teacherId,
    room: o.room,
    category: course.category,
    plannedStart: toShanghaiRfc3339(plannedStart),
    plannedEnd: toShanghaiRfc3339(plannedEnd),
    presentFrom,
    presentTo: presentFrom,
    reportSeed: hash32(city.seed, 'report', sessionId),
    lessonTitle: `${course.name}教案（${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日）`,
  };
  b.sessions.push(meta);
  b.add(atMinute(day, TIMING.scheduleMinute) + rng.int(20 * MIN), s, KIND.scheduled);
  if (rng.chance(RATES.sessionCancelled)) {
    // Called off between 10:00 and 15:00, before anyone arrives.
    b.add(atMinute(day, 10 * 60) + rng.int(5 * 60 * MIN), s, KIND.cancelled);
    return;
  }
  planPreparation(city, plan, o, day, plannedStart, s, b);
  sd.firstStart = Math.min(sd.firstStart, plannedStart);
  const ledger = b.ledger;
  const onSession = { school_id: school.id, subject_id: sessionId };

  let teacherIn: number | undefined;
  if (!rng.chance(RATES.teacherAbsent)) {
    const late = rng.chance(RATES.teacherLate);
    teacherIn = late
      ? plannedStart + (TIMING.teacherLateMinutes + 1) * MIN + rng.int(15 * MIN)
      : plannedStart - 15 * MIN + rng.int(14 * MIN);
    b.add(teacherIn, s, KIND.teacherIn, rng.weighted(TEACHER_METHODS));
    if (late) {
      const minutes = Math.round((teacherIn - plannedStart) / MIN);
      ledger.record({
        kind: 'teacher_late',
        ...onSession,
        refs: [teacherId],
        at: plannedStart,
        until: teacherIn,
        note: `${minutes} min late`,
      });
    }
  } else {
    ledger.record({ kind: 'teacher_absent', ...onSession, refs: [teacherId], at: plannedStart });
  }
  const started =
    teacherIn !== undefined && !rng.chance(RATES.classNotStarted)
      ? Math.max(plannedStart, teacherIn) + rng.int(3 * MIN)
      : undefined;
  if (started !== undefined) b.add(started, s, KIND.started);
  else {
    const note = teacherIn === undefined ? 'the teacher is absent' : 'the teacher came; class_started never sent';
    ledger.record({ kind: 'class_not_started', ...onSession, refs: [teacherId], at: plannedEnd, note });
  }
  const ended =
    started !== undefined && !rng.chance(sd.notEnded)
      ? Math.max(started + MIN, plannedEnd - 2 * MIN + rng.int(7 * MIN))
      : undefined;
  if (ended !== undefined) b.add(ended, s, KIND.ended);
  else if (started !== undefined) {
    sd.firstOpenEnd = Math.min(sd.firstOpenEnd, plannedEnd);
    ledger.record({ kind: 'class_not_ended', ...onSession, refs: [teacherId], at: plannedEnd });
  }
  // Students leave when the class ends, or at the planned end when it never started or ended.
  const dismissal = ended ?? plannedEnd;

  for (const [k, student] of o.students.entries()) {
    if (o.withdrawn[k] || rng.chance(sd.absent)) continue;
    b.presence.push(student);
    b.add(plannedStart - 15 * MIN + rng.int(19 * MIN), s, KIND.studentIn, student * 4 + rng.weighted(STUDENT_METHODS));
    if (!rng.chance(RATES.studentNoCheckout)) {
      b.add(dismissal + 30 * SEC + rng.int(12 * MIN), s, KIND.studentOut, student * 4 + rng.weighted(STUDENT_METHODS));
    } else {
      const studentId = ids.student(school.id, student, city.studentWidth);
      ledger.record({ kind: 'student_no_checkout', ...onSession, key: studentId, refs: [studentId], at: plannedEnd });
    }
  }
  meta.presentTo = b.presence.length;
  if (teacherIn !== undefined)
    b.add(dismissal + 2 * MIN + rng.int(13 * MIN), s, KIND.teacherOut, rng.weighted(TEACHER_METHODS));
  if (ended !== undefined && rng.chance(RATES.classReport)) b.add(ended + 3 * MIN + rng.int(22 * MIN), s, KIND.report);

  if (started === undefined) return;
  const count = course.lowFeedback ? TIMING.lowFeedbackPerSession : rng.chance(RATES.feedbackPerSession) ? 1 : 0;
  for (let f = 0; f < count; f++) {
    const ts = Math.min(dismissal + 5 * MIN + rng.int(TIMING.feedbackMaxDelay * MIN), atMinute(day, WINDOW.endMinute));
    b.addExtra(ts, feedbackEvent(rng, plan, course, teacherId, `${sessionId}:fb${f}`, ts));
    if (course.lowFeedback) {
      const times = sd.dislikedFeedback.get(o.course) ?? [];
      times.push(ts);
      sd.dislikedFeedback.set(o.course, times);
    }
  }
}

/** Whether a teacher of the school is one who often leaves lessons unprepared (教师备课). */
export function isCarelessTeacher(seed: number, schoolIndex: number, teacherIndex: number): boolean {
  return unit(seed, 'careless-teacher', schoolIndex, teacherIndex) < RATES.teacherCareless;
}

/**
 * 教师备课 (v1.1): the session's lesson_prepared, if any — in the day before the class, or
 * late, after it began (which does not count as prepared). Its own generator, so the rest of
 * the session's story does not depend on it.
 */
function planPreparation(
  city: City,
  plan: SchoolPlan,
  o: PlanOffering,
  day: string,
  plannedStart: number,
  s: number,
  b: RecordBuilder,
): void {
  const rng = Rng.of(city.seed, 'prepare', plan.school.index, o.index, dayNumber(day));
  const careless = isCarelessTeacher(city.seed, plan.school.index, o.teacher);
  if (rng.chance(careless ? RATES.unpreparedByCarelessTeacher : RATES.unprepared)) return;
  const [lateFrom, lateTo] = TIMING.preparedLateMinutes;
  const from = atMinute(day, TIMING.prepareFromMinute);
  const ts = rng.chance(RATES.preparedLate)
    ? plannedStart + (lateFrom + rng.int(lateTo - lateFrom)) * MIN
    : from + rng.int(Math.max(MIN, plannedStart - 10 * MIN - from));
  b.add(ts, s, KIND.prepared);
}

function feedbackEvent(
  rng: Rng,
  plan: SchoolPlan,
  course: PlanCourse,
  teacherId: string,
  id: string,
  ts: number,
): InboundEvent {
  let from: FeedbackFrom = 'parent';
  let target: FeedbackTarget = 'course';
  let target_id = course.id;
  let score: number;
  if (course.lowFeedback) {
    score = rng.chance(0.4) ? 1 : 2;
  } else {
    from = rng.weighted<FeedbackFrom>([
      ['parent', 0.7],
      ['teacher', 0.15],
      ['school', 0.15],
    ]);
    const want = rng.weighted<FeedbackTarget>([
      ['course', 0.6],
      ['teacher', 0.2],
      ['provider', 0.1],
      ['operator', 0.1],
    ]);
    if (want === 'teacher') [target, target_id] = ['teacher', teacherId];
    if (want === 'provider' && course.providerId) [target, target_id] = ['provider', course.providerId];
    if (want === 'operator' && plan.operator) [target, target_id] = ['operator', plan.operator.id];
    score = rng.chance(RATES.feedbackLow)
      ? rng.chance(0.4)
        ? 1
        : 2
      : rng.weighted<number>([
          [3, 0.15],
          [4, 0.38],
          [5, 0.47],
        ]);
  }
  return {
    id,
    type: 'feedback',
    ts: toShanghaiRfc3339(ts),
    school_id: plan.school.id,
    from,
    target,
    target_id,
    score,
    comment: feedbackComment(rng, score),
  };
}
