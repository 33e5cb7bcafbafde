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
import { courseBudgets } from './setup.ts';

// The behaviour of a school day, school by school and session by session. Each session draws
// from its own generator (seed, school, offering, day), so a session's story is the same
// whatever else the city does. The result is a compact DayPlan that builds events lazily.

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

function planSchoolDay(city: City, plan: SchoolPlan, day: string, dayBit: number, b: RecordBuilder): void {
  const { school } = plan;
  const dn = dayNumber(day);
  const badDay = unit(city.seed, 'bad-day', school.index, dn) < RATES.schoolBadDay;
  const absent = badDay ? RATES.studentAbsentOnBadDay : RATES.studentAbsent;
  for (const o of plan.offerings) {
    if ((o.days & dayBit) === 0) continue;
    planSession(city, plan, o, day, absent, b);
  }
  const budgets = courseBudgets(plan);
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
  absent: number,
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
  };
  b.sessions.push(meta);
  b.add(atMinute(day, TIMING.scheduleMinute) + rng.int(20 * MIN), s, KIND.scheduled);
  if (rng.chance(RATES.sessionCancelled)) {
    // Called off between 10:00 and 15:00, before anyone arrives.
    b.add(atMinute(day, 10 * 60) + rng.int(5 * 60 * MIN), s, KIND.cancelled);
    return;
  }

  let teacherIn: number | undefined;
  if (!rng.chance(RATES.teacherAbsent)) {
    teacherIn = rng.chance(RATES.teacherLate)
      ? plannedStart + (TIMING.teacherLateMinutes + 1) * MIN + rng.int(15 * MIN)
      : plannedStart - 15 * MIN + rng.int(14 * MIN);
    b.add(teacherIn, s, KIND.teacherIn, rng.weighted(TEACHER_METHODS));
  }
  const started =
    teacherIn !== undefined && !rng.chance(RATES.classNotStarted)
      ? Math.max(plannedStart, teacherIn) + rng.int(3 * MIN)
      : undefined;
  if (started !== undefined) b.add(started, s, KIND.started);
  const ended =
    started !== undefined && !rng.chance(RATES.classNotEnded)
      ? Math.max(started + MIN, plannedEnd - 2 * MIN + rng.int(7 * MIN))
      : undefined;
  if (ended !== undefined) b.add(ended, s, KIND.ended);
  // Students leave when the class ends, or at the planned end when it never started or ended.
  const dismissal = ended ?? plannedEnd;

  for (const [k, student] of o.students.entries()) {
    if (o.withdrawn[k] || rng.chance(absent)) continue;
    b.presence.push(student);
    b.add(plannedStart - 15 * MIN + rng.int(19 * MIN), s, KIND.studentIn, student * 4 + rng.weighted(STUDENT_METHODS));
    if (!rng.chance(RATES.studentNoCheckout)) {
      b.add(dismissal + 30 * SEC + rng.int(12 * MIN), s, KIND.studentOut, student * 4 + rng.weighted(STUDENT_METHODS));
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
  }
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
