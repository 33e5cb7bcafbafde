import { sql } from '../../clickhouse/sql.ts';
import { num, type Store } from '../../clickhouse/store.ts';
import { schoolFilter, type Scope } from '../scope.ts';
import { dayWindow, netEnrolledPerOffering, scheduledSessions } from './day-sessions.ts';

// Per school of the scope: the day's session, attendance and teacher counts.
// ClickHouse 18.16 allows one JOIN per SELECT, hence the nesting: each level adds one fact
// per session, and the outer level sums per school.

export interface DaySchoolCounts {
  school_id: string;
  sessions_scheduled: number;
  sessions_started: number;
  sessions_completed: number;
  students_expected: number;
  students_present: number;
  teachers_present: number;
}

export async function dayCountsBySchool(store: Store, scope: Scope, day: string): Promise<DaySchoolCounts[]> {
  const scoped = schoolFilter(scope);
  const sessions = scheduledSessions(scope, day);
  const rows = await store.query<Record<string, string | number>>(sql`
    SELECT school_id,
           count() AS sessions_scheduled,
           sum(started) AS sessions_started,
           sum(ended) AS sessions_completed,
           sum(expected) AS students_expected,
           sum(present) AS students_present,
           sum(teacher_present) AS teachers_present
    FROM (
      SELECT * FROM (
        SELECT * FROM (
          SELECT * FROM (
            SELECT session_id, school_id, offering_id, teacher_id FROM (${sessions})
          ) AS s ANY LEFT JOIN (
            SELECT session_id,
                   max(type = 'class_started') AS started,
                   max(type = 'class_ended') AS ended
            FROM class_events
            WHERE ${dayWindow(day)} AND ${scoped} AND type IN ('class_started', 'class_ended')
            GROUP BY session_id
          ) AS c USING session_id
        ) AS sc ANY LEFT JOIN (
          ${netEnrolledPerOffering(sql`SELECT offering_id FROM (${sessions})`)}
        ) AS e USING offering_id
      ) AS sce ANY LEFT JOIN (
        SELECT session_id, uniqExactMerge(students) AS present
        FROM session_students
        WHERE ${dayWindow(day)} AND ${scoped}
        GROUP BY session_id
      ) AS p USING session_id
    ) AS scep ANY LEFT JOIN (
      SELECT session_id, person_id AS teacher_id, toUInt8(1) AS teacher_present
      FROM checkins
      WHERE ${dayWindow(day)} AND ${scoped} AND type = 'checkin' AND person = 'teacher'
      GROUP BY session_id, person_id
    ) AS t USING session_id, teacher_id
    GROUP BY school_id
    ORDER BY school_id`);
  return rows.map((r) => ({
    school_id: String(r.school_id),
    sessions_scheduled: num(r.sessions_scheduled),
    sessions_started: num(r.sessions_started),
    sessions_completed: num(r.sessions_completed),
    students_expected: num(r.students_expected),
    students_present: num(r.students_present),
    teachers_present: num(r.teachers_present),
  }));
}
