import type { EventOf, InboundEvent } from '@edu/analytics';
import { TIMING } from './rates.ts';

// Measures behaviour rates from generated events, the way a consumer of the events would see
// them, so that the tests (and anyone tuning RATES) can compare them with the constants.

export interface DayRates {
  sessions: number;
  sessionCancelled: number;
  /** Of sessions not cancelled: no teacher check-in. */
  teacherAbsent: number;
  /** Of sessions with a teacher check-in: later than planned_start + TIMING.teacherLateMinutes. */
  teacherLate: number;
  /** Of sessions with a teacher check-in: no class_started. */
  classNotStarted: number;
  /** Of started sessions: no class_ended. */
  classNotEnded: number;
  /** Of expected (enrolled, not withdrawn) student places: no check-in. Needs the net enrollments. */
  studentAbsent: number;
  /** Of student check-ins: no check-out. */
  studentNoCheckout: number;
  /** Of ended sessions: a class report. */
  classReport: number;
  /** Of sessions not cancelled: no lesson_prepared at all. */
  unprepared: number;
  /** Of sessions not cancelled with a lesson_prepared: the first one at or after planned_start. */
  preparedLate: number;
  /** Of sessions not cancelled: prepared (a lesson_prepared before planned_start), the 备课率. */
  preparedRate: number;
}

const byType = <T extends InboundEvent['type']>(events: readonly InboundEvent[], type: T) =>
  events.filter((e): e is EventOf<T> => e.type === type);

/** `netEnrolled`: offering id → students enrolled and not withdrawn. */
export function measureDay(events: readonly InboundEvent[], netEnrolled: ReadonlyMap<string, number>): DayRates {
  const scheduled = byType(events, 'session_scheduled');
  const cancelled = new Set(byType(events, 'session_cancelled').map((e) => e.session_id));
  const live = scheduled.filter((s) => !cancelled.has(s.session_id));
  const teacherIn = new Map<string, number>();
  const studentIn = new Set<string>();
  const studentOut = new Set<string>();
  for (const c of byType(events, 'checkin')) {
    if (c.person === 'teacher') teacherIn.set(c.session_id, Date.parse(c.ts));
    else studentIn.add(`${c.session_id}|${c.person_id}`);
  }
  for (const c of byType(events, 'checkout'))
    if (c.person === 'student') studentOut.add(`${c.session_id}|${c.person_id}`);
  const started = new Set(byType(events, 'class_started').map((e) => e.session_id));
  const ended = new Set(byType(events, 'class_ended').map((e) => e.session_id));
  const reported = new Set(byType(events, 'class_report').map((e) => e.session_id));
  const firstPrepared = new Map<string, number>();
  for (const p of byType(events, 'lesson_prepared')) {
    const t = Date.parse(p.ts);
    if (t < (firstPrepared.get(p.session_id) ?? Infinity)) firstPrepared.set(p.session_id, t);
  }
  const withPreparation = live.filter((s) => firstPrepared.has(s.session_id));
  const prepared = withPreparation.filter(
    (s) => (firstPrepared.get(s.session_id) as number) < Date.parse(s.planned_start),
  );
  const withTeacher = live.filter((s) => teacherIn.has(s.session_id));
  const late = withTeacher.filter(
    (s) => (teacherIn.get(s.session_id) as number) > Date.parse(s.planned_start) + TIMING.teacherLateMinutes * 60_000,
  );
  const expected = live.reduce((n, s) => n + (netEnrolled.get(s.offering_id) ?? 0), 0);
  const startedLive = live.filter((s) => started.has(s.session_id));
  const endedLive = live.filter((s) => ended.has(s.session_id));
  return {
    sessions: scheduled.length,
    sessionCancelled: cancelled.size / scheduled.length,
    teacherAbsent: 1 - withTeacher.length / live.length,
    teacherLate: late.length / withTeacher.length,
    classNotStarted: withTeacher.filter((s) => !started.has(s.session_id)).length / withTeacher.length,
    classNotEnded: 1 - endedLive.length / startedLive.length,
    studentAbsent: 1 - studentIn.size / expected,
    studentNoCheckout: [...studentIn].filter((k) => !studentOut.has(k)).length / studentIn.size,
    classReport: endedLive.filter((s) => reported.has(s.session_id)).length / endedLive.length,
    unprepared: 1 - withPreparation.length / live.length,
    preparedLate: 1 - prepared.length / withPreparation.length,
    preparedRate: prepared.length / live.length,
  };
}

/** Net enrollments per offering from set-up events. */
export function netEnrollments(setup: Iterable<InboundEvent>): Map<string, number> {
  const pairs = new Set<string>();
  const list: InboundEvent[] = [...setup];
  for (const e of byType(list, 'enrolled')) pairs.add(`${e.offering_id}|${e.student_id}`);
  for (const e of byType(list, 'withdrawn')) pairs.delete(`${e.offering_id}|${e.student_id}`);
  const out = new Map<string, number>();
  for (const p of pairs) {
    const offering = p.slice(0, p.indexOf('|'));
    out.set(offering, (out.get(offering) ?? 0) + 1);
  }
  return out;
}
