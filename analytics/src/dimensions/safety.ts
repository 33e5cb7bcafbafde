import { isIn, sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import { termOfDay, toShanghaiRfc3339 } from '../contract/time.ts';
import { metricsBySchool, type SchoolMetrics } from '../metrics/by-school.ts';
import { addCounts, withRates, zeroCounts, type MetricCounts, type Metrics } from '../metrics/definitions.ts';
import { dayCountsByOffering } from '../metrics/queries/day-by-school.ts';
import { dayWindow } from '../metrics/queries/day-sessions.ts';
import { termFacts } from '../metrics/queries/term-facts.ts';
import type { Scope } from '../metrics/scope.ts';
import { scopeChildren, type Child } from './children.ts';
import { registryEntities } from './latest.ts';
import { sessionsBetween, type SessionState } from './sessions.ts';

// 安全监管 (项目管理): attendance of a day, drilled down city → child → school → course →
// session; 学情汇报 is in class-report.ts. The numbers above a course are the contract's
// metrics (metrics/), never derived again here.

export interface SafetyChildRow {
  child: Child;
  schools: number;
  metrics: Metrics;
}

export async function safetyByChild(store: Store, scope: Scope, day: string): Promise<SafetyChildRow[]> {
  const [sc, rows] = await Promise.all([scopeChildren(store, scope), metricsBySchool(store, scope, day)]);
  const kindKey = sc.kind === 'district' ? 'district_id' : sc.kind === 'zone' ? 'zone_id' : 'school_id';
  const out = new Map<string, { child: Child; schools: number; sum: MetricCounts }>(
    sc.children.map((c) => [c.id, { child: c, schools: 0, sum: zeroCounts() }]),
  );
  const registered = new Set(sc.schools.map((s) => s.school_id));
  for (const { school, metrics } of rows) {
    const id = school[kindKey];
    let r = out.get(id);
    if (!r) out.set(id, (r = { child: { kind: sc.kind, id, name: '' }, schools: 0, sum: zeroCounts() }));
    if (registered.has(school.school_id)) r.schools += 1;
    addCounts(r.sum, metrics);
  }
  return [...out.values()].map(({ child, schools, sum }) => ({ child, schools, metrics: withRates(sum) }));
}

/** Per school of the scope: exactly metrics/by-school's rows. */
export function safetyBySchool(store: Store, scope: Scope, day: string): Promise<SchoolMetrics[]> {
  return metricsBySchool(store, scope, day);
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
}

/** Per course of a school on `day` (the school's per-offering day counts, grouped by course). */
export async function safetyByCourse(store: Store, schoolId: string, day: string): Promise<SafetyCourseRow[]> {
  const [counts, facts] = await Promise.all([
    dayCountsByOffering(store, { kind: 'school', id: schoolId }, day),
    termFacts(store, termOfDay(day)),
  ]);
  const courseRows = await store.query<{ offering_id: string; latest_course: string }>(sql`
    SELECT offering_id, argMax(course_id, ts_ms) AS latest_course FROM offerings
    WHERE ${isIn(
      sql`offering_id`,
      counts.map((c) => c.offering_id),
    )} GROUP BY offering_id`);
  const offeringCourse = new Map(courseRows.map((r) => [r.offering_id, r.latest_course]));
  const byCourse = new Map<string, { offerings: string[]; sum: MetricCounts }>();
  for (const { offering_id, ...c } of counts) {
    const course = offeringCourse.get(offering_id) ?? '';
    let r = byCourse.get(course);
    if (!r) byCourse.set(course, (r = { offerings: [], sum: zeroCounts() }));
    r.offerings.push(offering_id);
    addCounts(r.sum, c);
    r.sum.students_expected += c.sessions_scheduled * (facts.netByOffering.get(offering_id) ?? 0);
  }
  const names = await registryEntities(store, 'course', [...byCourse.keys()]);
  return [...byCourse.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([course_id, { offerings, sum }]) => {
      const m = withRates(sum);
      return {
        course_id,
        course_name: names.get(course_id)?.name ?? '',
        offering_ids: offerings.sort(),
        metrics: {
          sessions_scheduled: m.sessions_scheduled,
          sessions_started: m.sessions_started,
          sessions_completed: m.sessions_completed,
          students_expected: m.students_expected,
          students_present: m.students_present,
          teachers_present: m.teachers_present,
          completion_rate: m.completion_rate,
          attendance_rate: m.attendance_rate,
          teacher_attendance_rate: m.teacher_attendance_rate,
        },
      };
    });
}

export interface SessionCheckin {
  type: 'checkin' | 'checkout';
  person: 'student' | 'teacher';
  person_id: string;
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
): Promise<SafetySession[]> {
  const [all, facts] = await Promise.all([
    sessionsBetween(store, day, day, sql`school_id = ${schoolId} AND course_id = ${courseId}`),
    termFacts(store, termOfDay(day)),
  ]);
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
  return sessions.map((s) => {
    const checkins: SessionCheckin[] = rows
      .filter((r) => r.sid === s.session_id)
      .map((r) => ({
        type: r.ty as SessionCheckin['type'],
        person: r.who as SessionCheckin['person'],
        person_id: String(r.pid),
        method: String(r.how),
        ts: toShanghaiRfc3339(num(r.t)),
      }));
    const arrived = checkins.filter((c) => c.type === 'checkin');
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
      teacher_present: arrived.some((c) => c.person === 'teacher' && c.person_id === s.teacher_id),
      students_expected: facts.netByOffering.get(s.offering_id) ?? 0,
      students_present: new Set(arrived.filter((c) => c.person === 'student').map((c) => c.person_id)).size,
      checkins,
    };
  });
}
