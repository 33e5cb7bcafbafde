import { sql } from '../../clickhouse/sql.ts';
import { num, type Store } from '../../clickhouse/store.ts';
import { schoolFilter, type Scope } from '../scope.ts';
import { candidateSessionIds, dayWindow, scheduledSessions } from './day-sessions.ts';

// The day's session, attendance and teacher counts per school and offering of the scope.
// Per offering, because students_expected needs each offering's net enrollment, which
// changes rarely and is computed once per term (term-facts.ts) rather than in every query.
// ClickHouse 18.16 allows one JOIN per SELECT, hence the nesting: each level adds one fact
// per session, and the outer level sums per school and offering.

export interface DayOfferingCounts {
  school_id: string;
  offering_id: string;
  sessions_scheduled: number;
  sessions_started: number;
  sessions_completed: number;
  students_present: number;
  teachers_present: number;
}

export async function dayCountsByOffering(store: Store, scope: Scope, day: string): Promise<DayOfferingCounts[]> {
  const scoped = sql`${schoolFilter(scope)} AND session_id IN (${candidateSessionIds(scope, day)})`;
  const rows = await store.query<Record<string, string | number>>(sql`
    SELECT school_id, offering_id,
           count() AS sessions_scheduled,
           sum(started) AS sessions_started,
           sum(ended) AS sessions_completed,
           sum(present) AS students_present,
           sum(has(teachers, teacher_id)) AS teachers_present
    FROM (
      SELECT * FROM (
        SELECT * FROM (
          SELECT session_id, school_id, offering_id, teacher_id FROM (${scheduledSessions(scope, day)})
        ) AS s ANY LEFT JOIN (
          SELECT session_id,
                 max(type = 'class_started') AS started,
                 max(type = 'class_ended') AS ended
          FROM class_events
          WHERE ${dayWindow(day)} AND ${scoped} AND type IN ('class_started', 'class_ended')
          GROUP BY session_id
        ) AS c USING session_id
      ) AS sc ANY LEFT JOIN (
        SELECT session_id, uniqExactMerge(students) AS present
        FROM session_students
        WHERE ${dayWindow(day)} AND ${scoped}
        GROUP BY session_id
      ) AS p USING session_id
    ) AS scp ANY LEFT JOIN (
      SELECT session_id, groupUniqArrayMerge(teachers) AS teachers
      FROM session_teachers
      WHERE ${dayWindow(day)} AND ${scoped}
      GROUP BY session_id
    ) AS t USING session_id
    GROUP BY school_id, offering_id`);
  return rows.map((r) => ({
    school_id: String(r.school_id),
    offering_id: String(r.offering_id),
    sessions_scheduled: num(r.sessions_scheduled),
    sessions_started: num(r.sessions_started),
    sessions_completed: num(r.sessions_completed),
    students_present: num(r.students_present),
    teachers_present: num(r.teachers_present),
  }));
}
