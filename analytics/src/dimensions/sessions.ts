import { sql, type Sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import { firstPreparations, PREPARED } from '../metrics/queries/prepared.ts';
import { upToFilter } from '../metrics/scope.ts';

// Sessions planned between two days with their latest state (a cancellation wins a tie, as in
// metrics/queries/day-sessions.ts) and whether the class started and ended. `where` is a
// condition on school_id / teacher_id / offering_id / course_id: it is applied to the raw rows
// to find candidates and again to the latest values, so a moved session is judged by where it
// is now. With `upTo` (epoch ms, replay's `at`), as they stood then: only schedule and class
// events with ts ≤ upTo.

const VERSION = sql`ts_ms * 2 + (type = 'session_cancelled')`;

/** Ids of sessions with a schedule row between the days matching `where` (a cheap superset). */
function candidateSessions(first: string, last: string, where: Sql): Sql {
  return sql`SELECT session_id FROM sessions WHERE planned_day >= toDate(${first}) AND planned_day <= toDate(${last}) AND ${where}`;
}

export function sessionsBetweenSql(first: string, last: string, where: Sql, upTo: number | null = null): Sql {
  const range = (col: Sql) => sql`${col} >= toDate(${first}) AND ${col} <= toDate(${last})`;
  const candidates = candidateSessions(first, last, where);
  return sql`
    SELECT * FROM (
      SELECT session_id, latest_school AS school_id, latest_offering AS offering_id, latest_course AS course_id,
             latest_teacher AS teacher_id, latest_room AS room, latest_start AS planned_start_ms,
             latest_end AS planned_end_ms, state
      FROM (
        SELECT session_id,
               argMax(type, ${VERSION}) AS state, argMax(planned_day, ${VERSION}) AS pday,
               argMax(school_id, ${VERSION}) AS latest_school, argMax(offering_id, ${VERSION}) AS latest_offering,
               argMax(course_id, ${VERSION}) AS latest_course, argMax(teacher_id, ${VERSION}) AS latest_teacher,
               argMax(room, ${VERSION}) AS latest_room, argMax(planned_start_ms, ${VERSION}) AS latest_start,
               argMax(planned_end_ms, ${VERSION}) AS latest_end
        FROM sessions WHERE session_id IN (${candidates}) AND ${upToFilter(upTo)}
        GROUP BY session_id
      )
      WHERE ${range(sql`pday`)} AND ${where}
    ) AS s ANY LEFT JOIN (
      SELECT session_id,
             max(type = 'class_started') AS started, max(type = 'class_ended') AS ended,
             minIf(ts_ms, type = 'class_started') AS started_ms, maxIf(ts_ms, type = 'class_ended') AS ended_ms
      FROM class_events
      WHERE day >= toDate(${first}) - 1 AND day <= toDate(${last}) + 1
        AND type IN ('class_started', 'class_ended') AND session_id IN (${candidates}) AND ${upToFilter(upTo)}
      GROUP BY session_id
    ) AS c USING session_id`;
}

export type SessionState = 'cancelled' | 'scheduled' | 'started' | 'completed';

export interface SessionRow {
  session_id: string;
  school_id: string;
  offering_id: string;
  course_id: string;
  teacher_id: string;
  room: string;
  planned_start_ms: number;
  planned_end_ms: number;
  state: SessionState;
  started_ms: number | null;
  ended_ms: number | null;
  /** (v1.1) 教师备课: a lesson_prepared before planned_start (metrics/queries/prepared.ts). */
  prepared: boolean;
}

export async function sessionsBetween(store: Store, first: string, last: string, where: Sql): Promise<SessionRow[]> {
  // Preparations joined here rather than in sessionsBetweenSql: the term-wide counts that build
  // on that one join them only where they count them (process.ts).
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT *, ${PREPARED} AS prepared FROM (
      SELECT * FROM (${sessionsBetweenSql(first, last, where)}) AS sb
      ANY LEFT JOIN (${firstPreparations(candidateSessions(first, last, where), last, null)}) AS r USING session_id
    )
    ORDER BY planned_start_ms, session_id`);
  return rows.map((r) => {
    const started = num(r.started) === 1;
    const ended = num(r.ended) === 1;
    return {
      session_id: String(r.session_id),
      school_id: String(r.school_id),
      offering_id: String(r.offering_id),
      course_id: String(r.course_id),
      teacher_id: String(r.teacher_id),
      room: String(r.room),
      planned_start_ms: num(r.planned_start_ms),
      planned_end_ms: num(r.planned_end_ms),
      state: r.state === 'session_cancelled' ? 'cancelled' : ended ? 'completed' : started ? 'started' : 'scheduled',
      started_ms: started ? num(r.started_ms) : null,
      ended_ms: ended ? num(r.ended_ms) : null,
      prepared: num(r.prepared) === 1,
    };
  });
}
