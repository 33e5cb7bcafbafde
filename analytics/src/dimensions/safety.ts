import { isIn, sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import { termOfDay, toShanghaiRfc3339 } from '../contract/time.ts';
import { metricsBySchool, type SchoolMetrics } from '../metrics/by-school.ts';
import {
  addCounts,
  addDueCounts,
  withDueRates,
  withRates,
  zeroCounts,
  zeroDueCounts,
  type DueCounts,
  type DueFigures,
  type MetricCounts,
  type Metrics,
} from '../metrics/definitions.ts';
import { momentIso, momentOf, type Moment } from '../metrics/moment.ts';
import { dayCountsByOffering } from '../metrics/queries/day-by-school.ts';
import { dayWindow } from '../metrics/queries/day-sessions.ts';
import { sessionFigures } from '../metrics/queries/session-figures.ts';
import { termFacts } from '../metrics/queries/term-facts.ts';
import type { Scope } from '../metrics/scope.ts';
import { scopeChildren, type Child } from './children.ts';
import { registryEntities } from './latest.ts';
import { maskName } from './mask.ts';
import { sessionsBetween, type SessionState } from './sessions.ts';

// 安全监管 (项目管理): attendance of a day, drilled down city → child → school → course →
// session; 学情汇报 is in class-report.ts. The numbers above a course are the contract's
// metrics (metrics/), never derived again here.

export interface SafetyChildRow {
  child: Child;
  schools: number;
  metrics: Metrics;
  /** The figures due so far (contract v1.1), beside the day's. */
  due: DueFigures;
}

/** `m`: the moment of the figures (moment.ts); by default now, as the live wall has them. */
export async function safetyByChild(
  store: Store,
  scope: Scope,
  day: string,
  m: Moment = momentOf(day, Date.now()),
): Promise<SafetyChildRow[]> {
  const [sc, rows] = await Promise.all([scopeChildren(store, scope), metricsBySchool(store, scope, day, m)]);
  const kindKey = sc.kind === 'district' ? 'district_id' : sc.kind === 'zone' ? 'zone_id' : 'school_id';
  type Acc = { child: Child; schools: number; sum: MetricCounts; due: DueCounts };
  const acc = (child: Child): Acc => ({ child, schools: 0, sum: zeroCounts(), due: zeroDueCounts() });
  const out = new Map<string, Acc>(sc.children.map((c) => [c.id, acc(c)]));
  const registered = new Set(sc.schools.map((s) => s.school_id));
  for (const { school, metrics, due } of rows) {
    const id = school[kindKey];
    let r = out.get(id);
    if (!r) out.set(id, (r = acc({ kind: sc.kind, id, name: '' })));
    if (registered.has(school.school_id)) r.schools += 1;
    addCounts(r.sum, metrics);
    addDueCounts(r.due, due);
  }
  const at = momentIso(m);
  return [...out.values()].map(({ child, schools, sum, due }) => ({
    child,
    schools,
    metrics: withRates(sum),
    due: withDueRates(due, at),
  }));
}

/** Per school of the scope: exactly metrics/by-school's rows. */
export function safetyBySchool(
  store: Store,
  scope: Scope,
  day: string,
  m: Moment = momentOf(day, Date.now()),
): Promise<SchoolMetrics[]> {
  return metricsBySchool(store, scope, day, m);
}

export interface SafetyCourseRow {
  course_id: string;
  course_name: string;
  offering_ids: string[];
  metrics: Pick<
    Metrics,
    | 'sessions_scheduled'
    | 'sessions_started'
    | 'sessions_completed'
    | 'students_expected'
    | 'students_present'
    | 'teachers_present'
    | 'completion_rate'
    | 'attendance_rate'
    | 'teacher_attendance_rate'
  >;
  due: DueFigures;
}

/** Per course of a school on `day` (the school's per-offering day counts, grouped by course). */
export async function safetyByCourse(
  store: Store,
  schoolId: string,
  day: string,
  m: Moment = momentOf(day, Date.now()),
): Promise<SafetyCourseRow[]> {
  const [counts, facts] = await Promise.all([
    dayCountsByOffering(store, { kind: 'school', id: schoolId }, day, m),
    termFacts(store, termOfDay(day), m.eventsUpTo),
  ]);
  const courseRows = await store.query<{ offering_id: string; latest_course: string }>(sql`
    SELECT offering_id, argMax(course_id, ts_ms) AS latest_course FROM offerings
    WHERE ${isIn(
      sql`offering_id`,
      counts.map((c) => c.offering_id),
    )} GROUP BY offering_id`);
  const offeringCourse = new Map(courseRows.map((r) => [r.offering_id, r.latest_course]));
  const byCourse = new Map<string, { offerings: string[]; sum: MetricCounts; due: DueCounts }>();
  for (const { offering_id, day: c, due } of counts) {
    const course = offeringCourse.get(offering_id) ?? '';
    let r = byCourse.get(course);
    if (!r) byCourse.set(course, (r = { offerings: [], sum: zeroCounts(), due: zeroDueCounts() }));
    r.offerings.push(offering_id);
    const net = facts.netByOffering.get(offering_id) ?? 0;
    addCounts(r.sum, c);
    r.sum.students_expected += c.sessions_scheduled * net;
    addDueCounts(r.due, due);
    r.due.students_due += due.sessions_due * net;
  }
  const at = momentIso(m);
  const names = await registryEntities(store, 'course', [...byCourse.keys()]);
  return [...byCourse.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([course_id, { offerings, sum, due }]) => {
      const r = withRates(sum);
      return {
        course_id,
        course_name: names.get(course_id)?.name ?? '',
        offering_ids: offerings.sort(),
        metrics: {
          sessions_scheduled: r.sessions_scheduled,
          sessions_started: r.sessions_started,
          sessions_completed: r.sessions_completed,
          students_expected: r.students_expected,
          students_present: r.students_present,
          teachers_present: r.teachers_present,
          completion_rate: r.completion_rate,
          attendance_rate: r.attendance_rate,
          teacher_attendance_rate: r.teacher_attendance_rate,
        },
        due: withDueRates(due, at),
      };
    });
}

export interface SessionCheckin {
  type: 'checkin' | 'checkout';
  person: 'student' | 'teacher';
  person_id: string;
  /** The teacher's name, or the student's masked as the contract says (张*明); '' if unregistered. */
  person_name: string;
  method: string;
  ts: string;
}

export interface SafetySession {
  session_id: string;
  offering_id: string;
  teacher_id: string;
  room: string;
  planned_start: string;
  planned_end: string;
  state: Exclude<SessionState, 'cancelled'>;
  started_at: string | null;
  ended_at: string | null;
  teacher_present: boolean;
  students_expected: number;
  students_present: number;
  checkins: SessionCheckin[];
}

/** The day's sessions of one course at a school, each with its check-ins (duplicates once). */
export async function courseSessions(
  store: Store,
  schoolId: string,
  courseId: string,
  day: string,
  m: Moment = momentOf(day, Date.now()),
): Promise<SafetySession[]> {
  const [all, facts, figures] = await Promise.all([
    sessionsBetween(store, day, day, sql`school_id = ${schoolId} AND course_id = ${courseId}`),
    termFacts(store, termOfDay(day), m.eventsUpTo),
    sessionFigures(store, { kind: 'school', id: schoolId }, day, m),
  ]);
  // Presence is the contract's (session-figures.ts): enrolled students, the scheduled teacher.
  const figuresOf = new Map(figures.map((f) => [f.session_id, f]));
  const sessions = all.filter((s) => s.state !== 'cancelled');
  const rows = sessions.length
    ? await store.query<Record<string, unknown>>(sql`
        SELECT id, any(session_id) AS sid, any(type) AS ty, any(person) AS who, any(person_id) AS pid,
               any(method) AS how, any(ts_ms) AS t
        FROM checkins
        WHERE ${dayWindow(day)} AND school_id = ${schoolId} AND ${isIn(
          sql`session_id`,
          sessions.map((s) => s.session_id),
        )}
        GROUP BY id ORDER BY t, id`)
    : [];
  const idsOf = (who: string) => [...new Set(rows.filter((r) => r.who === who).map((r) => String(r.pid)))];
  const [teachers, students] = await Promise.all([
    registryEntities(store, 'teacher', idsOf('teacher')),
    registryEntities(store, 'student', idsOf('student')),
  ]);
  const nameOf = (who: unknown, id: string) =>
    who === 'teacher' ? (teachers.get(id)?.name ?? '') : maskName(students.get(id)?.name ?? '');
  return sessions.map((s) => {
    const checkins: SessionCheckin[] = rows
      .filter((r) => r.sid === s.session_id)
      .map((r) => ({
        type: r.ty as SessionCheckin['type'],
        person: r.who as SessionCheckin['person'],
        person_id: String(r.pid),
        person_name: nameOf(r.who, String(r.pid)),
        method: String(r.how),
        ts: toShanghaiRfc3339(num(r.t)),
      }));
    const f = figuresOf.get(s.session_id);
    return {
      session_id: s.session_id,
      offering_id: s.offering_id,
      teacher_id: s.teacher_id,
      room: s.room,
      planned_start: toShanghaiRfc3339(s.planned_start_ms),
      planned_end: toShanghaiRfc3339(s.planned_end_ms),
      state: s.state as Exclude<SessionState, 'cancelled'>,
      started_at: s.started_ms === null ? null : toShanghaiRfc3339(s.started_ms),
      ended_at: s.ended_ms === null ? null : toShanghaiRfc3339(s.ended_ms),
      teacher_present: f?.teacher_present ?? false,
      students_expected: facts.netByOffering.get(s.offering_id) ?? 0,
      students_present: f?.present ?? 0,
      checkins,
    };
  });
}
