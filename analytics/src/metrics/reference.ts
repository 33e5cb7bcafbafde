import type { InboundEvent } from '../contract/events.ts';
import { periodOfDay, shanghaiDay, termOfDay } from '../contract/time.ts';
import {
  ATTRIBUTION_WINDOW_DAYS,
  DUE_GRACE_MINUTES,
  withDueRates,
  withRates,
  zeroCounts,
  zeroDueCounts,
  type DueFigures,
  type MetricCounts,
  type Metrics,
} from './definitions.ts';
import { endOfDay, momentIso, type Moment } from './moment.ts';
import type { Scope } from './scope.ts';

// A second, independent implementation of the contract's metric definitions: plain
// TypeScript over an array of events, written from the contract's text without looking at the
// SQL. Tests compare the SQL's answers on both engines with this one. It favours being
// obviously right over being fast.

interface Latest<T> {
  version: number;
  value: T;
}

function keepLatest<T>(map: Map<string, Latest<T>>, key: string, version: number, value: T): void {
  const cur = map.get(key);
  if (!cur || version >= cur.version) map.set(key, { version, value });
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/** The day's metrics from every event (the moment: the end of the day). */
export function referenceMetrics(events: readonly InboundEvent[], scope: Scope, day: string): Metrics {
  return referenceOverview(events, scope, day, { t: endOfDay(day), eventsUpTo: null }).metrics;
}

/**
 * The day's metrics and the figures due so far at moment `m` (contract v1.1): with
 * `m.eventsUpTo`, only events with ts ≤ it exist at all; the due figures count sessions due by
 * `m.t` and events with ts ≤ `m.t`.
 */
export function referenceOverview(
  events: readonly InboundEvent[],
  scope: Scope,
  day: string,
  m: Moment,
): { metrics: Metrics; due: DueFigures } {
  // Duplicates by id count once: keep the first delivery of each id.
  const seen = new Set<string>();
  const upTo = m.eventsUpTo;
  const unique = events.filter(
    (e) => (upTo === null || Date.parse(e.ts) <= upTo) && (seen.has(e.id) ? false : (seen.add(e.id), true)),
  );

  const schools = new Map<string, Latest<{ zone: string; district: string; students: number }>>();
  for (const e of unique) {
    if (e.type === 'school') {
      keepLatest(schools, e.entity_id, Date.parse(e.ts), {
        zone: e.zone_id,
        district: e.district_id,
        students: e.students,
      });
    }
  }
  const inScope = (schoolId: string): boolean => {
    if (scope.kind === 'city') return true;
    if (scope.kind === 'school') return schoolId === scope.id;
    const s = schools.get(schoolId)?.value;
    if (!s) return false;
    return scope.kind === 'district' ? s.district === scope.id : s.zone === scope.id;
  };

  // Sessions: latest event per session_id; a cancellation wins a tie.
  type S = {
    state: string;
    day: string;
    school: string;
    offering: string;
    teacher: string;
    start: number;
    end: number;
  };
  const sessions = new Map<string, Latest<S>>();
  const offeringTerm = new Map<string, Latest<string>>();
  const enrollment = new Map<
    string,
    Latest<{ state: string; fee: number; school: string; offering: string; student: string }>
  >();
  const settlements = new Map<string, Latest<{ amount: number; period: string; school: string }>>();
  for (const e of unique) {
    const t = Date.parse(e.ts);
    if (e.type === 'session_scheduled' || e.type === 'session_cancelled') {
      keepLatest(sessions, e.session_id, t * 2 + (e.type === 'session_cancelled' ? 1 : 0), {
        state: e.type,
        day: shanghaiDay(Date.parse(e.planned_start)),
        school: e.school_id,
        offering: e.offering_id,
        teacher: e.teacher_id,
        start: Date.parse(e.planned_start),
        end: Date.parse(e.planned_end),
      });
    } else if (e.type === 'offering_submitted') {
      keepLatest(offeringTerm, e.offering_id, t, e.term);
    } else if (e.type === 'enrolled' || e.type === 'withdrawn') {
      keepLatest(enrollment, `${e.offering_id}\u0000${e.student_id}`, t * 2 + (e.type === 'withdrawn' ? 1 : 0), {
        state: e.type,
        fee: e.fee,
        school: e.school_id,
        offering: e.offering_id,
        student: e.student_id,
      });
    } else if (e.type === 'settled') {
      keepLatest(settlements, e.settlement_id, t, { amount: e.amount, period: e.period, school: e.school_id });
    }
  }

  const c: MetricCounts = zeroCounts();
  for (const [id, s] of schools) if (inScope(id)) c.students += s.value.students;

  const scheduled = new Map<string, S>();
  for (const [id, { value }] of sessions) {
    if (value.state === 'session_scheduled' && value.day === day && inScope(value.school)) scheduled.set(id, value);
  }
  c.sessions_scheduled = scheduled.size;

  const netPerOffering = new Map<string, number>();
  const enrolledIn = new Set<string>();
  for (const { value } of enrollment.values()) {
    if (value.state !== 'enrolled') continue;
    netPerOffering.set(value.offering, (netPerOffering.get(value.offering) ?? 0) + 1);
    enrolledIn.add(`${value.offering}\u0000${value.student}`);
  }

  const grace = DUE_GRACE_MINUTES * 60_000;
  const dueStart = (s: S) => s.start + grace <= m.t;
  const dueEnd = (s: S) => s.end + grace <= m.t;
  const inWindow = (ts: string) =>
    Math.abs(dayNumber(shanghaiDay(Date.parse(ts))) - dayNumber(day)) <= ATTRIBUTION_WINDOW_DAYS;
  const started = new Set<string>();
  const ended = new Set<string>();
  const endedByT = new Set<string>();
  const present = new Set<string>();
  const presentByT = new Set<string>();
  const teacherPresent = new Set<string>();
  const teacherByT = new Set<string>();
  for (const e of unique) {
    if (!('session_id' in e) || !inWindow(e.ts)) continue;
    const s = scheduled.get(e.session_id);
    if (!s) continue;
    const byT = Date.parse(e.ts) <= m.t;
    if (e.type === 'class_started') started.add(e.session_id);
    if (e.type === 'class_ended') {
      ended.add(e.session_id);
      if (byT) endedByT.add(e.session_id);
    }
    // Attendance is an enrolled student's check-in (contract v1.1); anyone else counts nowhere.
    if (e.type === 'checkin' && e.person === 'student' && enrolledIn.has(`${s.offering}\u0000${e.person_id}`)) {
      present.add(`${e.session_id}\u0000${e.person_id}`);
      if (byT) presentByT.add(`${e.session_id}\u0000${e.person_id}`);
    }
    if (e.type === 'checkin' && e.person === 'teacher' && e.person_id === s.teacher) {
      teacherPresent.add(e.session_id);
      if (byT) teacherByT.add(e.session_id);
    }
  }
  // (v1.1) Prepared: a lesson_prepared for the session with ts before its planned start, on
  // whatever day it was sent.
  const prepared = new Set<string>();
  for (const e of unique) {
    if (e.type !== 'lesson_prepared') continue;
    const s = scheduled.get(e.session_id);
    if (s && Date.parse(e.ts) < s.start) prepared.add(e.session_id);
  }
  c.sessions_prepared = prepared.size;
  c.sessions_started = started.size;
  c.sessions_completed = ended.size;
  c.students_present = present.size;
  c.teachers_present = teacherPresent.size;
  for (const s of scheduled.values()) c.students_expected += netPerOffering.get(s.offering) ?? 0;

  const due = zeroDueCounts();
  for (const [id, s] of scheduled) {
    if (dueStart(s)) {
      due.sessions_due++;
      due.students_due += netPerOffering.get(s.offering) ?? 0;
      if (teacherByT.has(id)) due.teachers_present++;
    }
    if (dueEnd(s)) {
      due.sessions_due_end++;
      if (endedByT.has(id)) due.sessions_completed++;
    }
  }
  for (const key of presentByT) {
    const s = scheduled.get(key.split('\u0000')[0] as string);
    if (s && dueStart(s)) due.students_present++;
  }

  const term = termOfDay(day);
  const enrolledStudents = new Set<string>();
  for (const { value } of enrollment.values()) {
    if (value.state !== 'enrolled' || !inScope(value.school)) continue;
    if (offeringTerm.get(value.offering)?.value !== term) continue;
    // Distinct students per school: the SQL counts per school, then sums the schools.
    enrolledStudents.add(`${value.school}\u0000${value.student}`);
    c.fees_enrolled += value.fee;
  }
  c.students_enrolled = enrolledStudents.size;

  const period = periodOfDay(day);
  for (const { value } of settlements.values()) {
    if (value.period === period && inScope(value.school)) c.settled_amount += value.amount;
  }
  return { metrics: withRates(c), due: withDueRates(due, momentIso(m)) };
}
