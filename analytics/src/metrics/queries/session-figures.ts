import { isIn, sql, type Sql } from '../../clickhouse/sql.ts';
import { num, type Store } from '../../clickhouse/store.ts';
import { isDue } from '../definitions.ts';
import type { Moment } from '../moment.ts';
import { membersSql, schoolFilter, upToFilter, type Scope } from '../scope.ts';
import { candidateSessionIds, dayWindow, latestOfferings, scheduledSessions, type Only } from './day-sessions.ts';
import { firstPreparations, PREPARED } from './prepared.ts';
import { netEnrollmentsOf } from './term-facts.ts';

// The contract's per-session facts for one scope, day and moment: the one definition that the
// overview (summed per school and offering, day-by-school.ts) and the alert rules (read per
// session) both use. Four reads of one row per session each (sessionFigureParts), joined by
// session in sessionFigures.
//
// Columns: the session's schedule (school, offering, course, teacher, planned start and end),
//   started / ended / ended_by_t      class_started / class_ended (ended_by_t: ts ≤ T)
//   present / present_by_t            enrolled students checked in (present_by_t: ts ≤ T)
//   teacher_present(_by_t)            the scheduled teacher checked in
//   due_start / due_end               planned start / end + grace ≤ T (isDue, computed here in JS:
//                                     a cached row is moved to a later T without a query)
//   latest_ms                         the newest ts among the events counted above (0: none): when
//                                     it is ≤ T, every *_by_t figure equals its day figure for any
//                                     later T (figures-cache.ts relies on it)
//   prepared                          (v1.1) a lesson_prepared before planned start (prepared.ts)
// Every event counts only up to `moment.eventsUpTo` (with `at`), and only once per id.
// `only` narrows the read to some schools' sessions (day-sessions.ts): each session returned
// has the figures a whole-scope read gives it.

/** Enrolled students per session with their first check-in, for the day's scheduled sessions. */
function presentBySession(scope: Scope, day: string, m: Moment, scoped: Sql, only?: Only): Sql {
  // A check-in counts as attendance only for a student enrolled (net) in the session's
  // offering (contract v1.1): a wrong class, an unknown or forged id counts nowhere here.
  // The session's offering is its latest schedule row's; the rows of sessions not scheduled
  // that day are dropped by the join onto the schedule in sessionFiguresSql.
  // ALL INNER, not ANY: since ClickHouse 20 (chDB) ANY INNER keeps one LEFT row per key too;
  // both right sides are unique per key (one offering per session, one state per pair).
  return sql`
    SELECT session_id, count() AS present, sum(first_ms <= ${m.t}) AS present_by_t, max(first_ms) AS latest_ms
    FROM (
      SELECT session_id, offering_id, student_id, first_ms FROM (
        SELECT session_id, person_id AS student_id, min(ts_ms) AS first_ms
        FROM checkins
        WHERE ${dayWindow(day)} AND ${scoped} AND type = 'checkin' AND person = 'student'
          AND ${upToFilter(m.eventsUpTo)}
        GROUP BY session_id, person_id
      ) AS c ALL INNER JOIN (${latestOfferings(scope, day, m.eventsUpTo, only)}) AS s USING session_id
    ) AS cs ALL INNER JOIN (
      SELECT offering_id, student_id FROM (
        ${netEnrollmentsOf(candidateSessionIds(scope, day, m.eventsUpTo, sql`offering_id`, only), m.eventsUpTo)}
      ) WHERE state = 'enrolled'
    ) AS e USING offering_id, student_id
    GROUP BY session_id`;
}

/**
 * The schools under which check-ins naming the sessions of schools `only` on `day` were sent
 * (checkin_schools, migration 019): almost always `only` itself. `checkins` is keyed by day and
 * school, so a read of some schools' sessions filtered by session id alone scanned every
 * school's check-ins of the window; given these as a literal list it reads theirs only, and
 * stays exact (18.16, students' part at 100M: 87 ms unnarrowed, 71 ms narrowed by this query as
 * a subquery, 38 ms by the list it returns).
 */
export function checkinSendersSql(scope: Scope, day: string, m: Moment, only: readonly string[]): Sql {
  return sql`SELECT DISTINCT school_id FROM checkin_schools
    WHERE ${dayWindow(day)} AND session_id IN (${candidateSessionIds(scope, day, m.eventsUpTo, sql`session_id`, only)})`;
}

/**
 * The four reads of one scope's (or its schools `only`'s) session figures, each one row per
 * session: the schedule with its first preparation, the class events, the enrolled students
 * present, the teachers present. Independent of one another, so sessionFigures sends them
 * together and joins them by session here in JS; as one query (ANY LEFT JOINs nested, 18.16
 * allowing one JOIN per SELECT) ClickHouse built each join's right side in turn.
 */
export function sessionFigureParts(scope: Scope, day: string, m: Moment, only?: Only, senders?: readonly string[]) {
  const upTo = m.eventsUpTo;
  const candidates = candidateSessionIds(scope, day, upTo, sql`session_id`, only);
  // Events are narrowed by their session only, never by their own school (schoolsMovedBy).
  const scoped = sql`${schoolFilter(scope, sql`school_id`, upTo)} AND session_id IN (${candidates})`;
  // Narrowed by key as well when the schools that sent the sessions' check-ins are known.
  const checkinsScoped = senders ? sql`${scoped} AND ${isIn(sql`school_id`, senders)}` : scoped;
  return {
    schedule: sql`
      SELECT session_id, school_id, offering_id, teacher_id, course_id, planned_start_ms, planned_end_ms,
             ${PREPARED} AS prepared
      FROM (
        SELECT session_id, school_id, offering_id, teacher_id, course_id, planned_start_ms, planned_end_ms
        FROM (${scheduledSessions(scope, day, upTo, only)})
      ) AS s ANY LEFT JOIN (${firstPreparations(candidates, day, upTo)}) AS r USING session_id`,
    classes: sql`
      SELECT session_id,
             max(type = 'class_started') AS started,
             max(type = 'class_ended') AS ended,
             max(type = 'class_ended' AND ts_ms <= ${m.t}) AS ended_by_t,
             max(ts_ms) AS latest_ms
      FROM class_events
      WHERE ${dayWindow(day)} AND ${scoped} AND type IN ('class_started', 'class_ended') AND ${upToFilter(upTo)}
      GROUP BY session_id`,
    students: presentBySession(scope, day, m, checkinsScoped, only),
    teachers: sql`
      SELECT session_id,
             groupUniqArray(person_id) AS teachers,
             groupUniqArrayIf(person_id, ts_ms <= ${m.t}) AS teachers_by_t,
             max(ts_ms) AS latest_ms
      FROM checkins
      WHERE ${dayWindow(day)} AND ${checkinsScoped} AND type = 'checkin' AND person = 'teacher' AND ${upToFilter(upTo)}
      GROUP BY session_id`,
  };
}

export interface SessionFigures {
  session_id: string;
  school_id: string;
  offering_id: string;
  teacher_id: string;
  course_id: string;
  planned_start_ms: number;
  planned_end_ms: number;
  started: boolean;
  ended: boolean;
  ended_by_t: boolean;
  present: number;
  present_by_t: number;
  teacher_present: boolean;
  teacher_present_by_t: boolean;
  due_start: boolean;
  due_end: boolean;
  /** (v1.1) A lesson_prepared with ts before planned_start. */
  prepared: boolean;
  /** The newest ts among the events counted (0: none); see the column list above. */
  latest_ms: number;
}

/** The figures of every scheduled session of the scope (or of its schools `only`) on `day`, at moment `m`. */
export async function sessionFigures(
  store: Store,
  scope: Scope,
  day: string,
  m: Moment,
  only?: Only,
): Promise<SessionFigures[]> {
  // A narrowed read looks up, as literal lists, the schools that sent its sessions' check-ins
  // (a school's scope already narrows check-ins to its school by key) and a district's or
  // zone's schools, which its filters then name instead of a subquery at each use.
  const ids = async (q: Sql) => (await store.query<{ school_id: string }>(q)).map((r) => String(r.school_id));
  const grouped = scope.kind === 'district' || scope.kind === 'zone' ? scope : undefined;
  const [senders, members] = await Promise.all([
    only && scope.kind !== 'school' ? ids(checkinSendersSql(scope, day, m, only)) : undefined,
    only && grouped ? ids(membersSql(grouped, m.eventsUpTo)) : undefined,
  ]);
  const resolved: Scope = grouped && members ? { ...grouped, members } : scope;
  const parts = sessionFigureParts(resolved, day, m, only, senders);
  type Row = Record<string, unknown>;
  const bySession = async (q: Sql) => new Map((await store.query<Row>(q)).map((r) => [String(r.session_id), r]));
  const [schedule, classes, students, teachers] = await Promise.all([
    store.query<Row>(parts.schedule),
    bySession(parts.classes),
    bySession(parts.students),
    bySession(parts.teachers),
  ]);
  // A session without a row in a part has none of its events: the part's figures are 0.
  return schedule.map((r) => {
    const id = String(r.session_id);
    const c = classes.get(id);
    const p = students.get(id);
    const t = teachers.get(id);
    const teacher = String(r.teacher_id);
    const has = (list: unknown) => Array.isArray(list) && list.map(String).includes(teacher);
    return {
      session_id: id,
      school_id: String(r.school_id),
      offering_id: String(r.offering_id),
      teacher_id: teacher,
      course_id: String(r.course_id),
      planned_start_ms: num(r.planned_start_ms),
      planned_end_ms: num(r.planned_end_ms),
      started: num(c?.started) === 1,
      ended: num(c?.ended) === 1,
      ended_by_t: num(c?.ended_by_t) === 1,
      present: num(p?.present),
      present_by_t: num(p?.present_by_t),
      teacher_present: has(t?.teachers),
      teacher_present_by_t: has(t?.teachers_by_t),
      due_start: isDue(num(r.planned_start_ms), m.t),
      due_end: isDue(num(r.planned_end_ms), m.t),
      prepared: num(r.prepared) === 1,
      latest_ms: Math.max(num(c?.latest_ms), num(p?.latest_ms), num(t?.latest_ms)),
    };
  });
}
