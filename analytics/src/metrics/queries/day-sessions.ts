import { isIn, sql, type Sql } from '../../clickhouse/sql.ts';
import type { Scope } from '../scope.ts';
import { schoolFilter, upToFilter } from '../scope.ts';
import { ATTRIBUTION_WINDOW_DAYS } from '../definitions.ts';
import { voidedSubjects, withoutHaltedSessions } from '../../dimensions/decision-effects.ts';

// Building blocks shared by the day queries. `day` is a validated YYYY-MM-DD string.

/**
 * Some schools of a scope, to narrow a day query to their sessions (the figures cache re-reads
 * only the schools a change signal named, widened by schoolsMovedBy); undefined: the whole
 * scope. The schedule's rows are read for these schools only, which assumes what the contract
 * implies: all the schedule rows of a session carry its school.
 */
export type Only = readonly string[] | undefined;

/** On rows with a `school_id`: those of the schools `only`, or every row. */
export function onlyFilter(only: Only, column: Sql = sql`school_id`): Sql {
  return only ? isIn(column, only) : sql`1`;
}

/**
 * The schools whose sessions on `day` the events of schools `only` name: themselves, and the
 * school of any session that one of their check-ins, class events or preparations was sent
 * for under another school's name. A read narrowed to these schools (`Only`) gives every
 * session it returns exactly the figures a whole-scope read would.
 */
export function schoolsMovedBy(only: readonly string[], day: string): Sql {
  const mine = isIn(sql`school_id`, only);
  // Preparations may be sent any day before their class: narrowed by the day's sessions too,
  // which their key (session first) reads by, not every preparation of the term (the outer
  // filter keeps only those sessions anyway; 18.16, a term of 2.7M preparations: ~35 → ~26 ms).
  return sql`
    SELECT DISTINCT school_id FROM sessions
    WHERE planned_day = toDate(${day}) AND (${mine} OR session_id IN (
      SELECT session_id FROM checkins WHERE ${dayWindow(day)} AND ${mine}
      UNION ALL
      SELECT session_id FROM class_events WHERE ${dayWindow(day)} AND ${mine}
      UNION ALL
      SELECT session_id FROM lesson_preparations WHERE day <= toDate(${day}) AND ${mine}
        AND session_id IN (SELECT session_id FROM sessions WHERE planned_day = toDate(${day}))))`;
}

/**
 * A session's state is its latest event; on a tie in `ts` a cancellation wins, so the order
 * in which two events with one timestamp arrive cannot change a number.
 */
const SESSION_VERSION = sql`ts_ms * 2 + (type = 'session_cancelled')`;

/**
 * Ids of the sessions (or, with `column`, their offerings) that have any schedule row on `day`:
 * a superset of the day's (it still contains cancelled and moved ones), cheap (no state merge).
 * Used to filter the per-session tables before their states are merged, which is where a
 * city-wide query spends its time.
 */
export function candidateSessionIds(
  scope: Scope,
  day: string,
  upTo: number | null = null,
  column: Sql = sql`session_id`,
  only?: Only,
): Sql {
  return sql`SELECT ${column} FROM sessions
    WHERE planned_day = toDate(${day}) AND ${schoolFilter(scope, sql`school_id`, upTo)} AND ${onlyFilter(only)}`;
}

const SESSION_COLUMNS = sql`session_id, school_id, offering_id, teacher_id, course_id, planned_start_ms, planned_end_ms`;

/**
 * Sessions of the scope planned on `day`, scheduled and not cancelled (latest state wins);
 * with `upTo`, as the schedule stood then (only schedule events with ts ≤ upTo). The bureau's
 * decisions apply (decision-effects.ts): none of a voided offering, none of a halted offering
 * planned after the halt.
 */
export function scheduledSessions(scope: Scope, day: string, upTo: number | null = null, only?: Only): Sql {
  return withoutHaltedSessions(
    sql`SELECT ${SESSION_COLUMNS} FROM (${plannedSessions(scope, day, upTo, only)})
        WHERE offering_id NOT IN (${voidedSubjects('course', upTo)})`,
    SESSION_COLUMNS,
    upTo,
  );
}

/**
 * The schedule's sessions of the scope on `day` (as scheduledSessions), before any decision.
 * The merge reads sessions_by_school (migration 018), keyed by school: filtered by the scope's
 * and `only`'s schools, not a scan of the whole term's schedule.
 */
export function plannedSessions(scope: Scope, day: string, upTo: number | null = null, only?: Only): Sql {
  return sql`
    SELECT session_id, latest_school AS school_id, latest_offering AS offering_id,
           latest_teacher AS teacher_id, latest_course AS course_id,
           latest_start AS planned_start_ms, latest_end AS planned_end_ms
    FROM (
      SELECT session_id,
             argMax(type, ${SESSION_VERSION}) AS state,
             argMax(planned_day, ${SESSION_VERSION}) AS pday,
             argMax(school_id, ${SESSION_VERSION}) AS latest_school,
             argMax(offering_id, ${SESSION_VERSION}) AS latest_offering,
             argMax(teacher_id, ${SESSION_VERSION}) AS latest_teacher,
             argMax(course_id, ${SESSION_VERSION}) AS latest_course,
             argMax(planned_start_ms, ${SESSION_VERSION}) AS latest_start,
             argMax(planned_end_ms, ${SESSION_VERSION}) AS latest_end
      FROM ${scheduleRows(scope, day, upTo, only)}
      GROUP BY session_id
    )
    WHERE state = 'session_scheduled' AND pday = toDate(${day})`;
}

/**
 * Each candidate session's latest offering, whatever its state: plannedSessions' offering for
 * every session it returns (the same rows, the same version), without the state, the day or
 * the decisions. For a read that is joined to plannedSessions' rows afterwards, which drops
 * the others (18.16, ten schools of a 100M city: the students' part 111 → 79 ms).
 */
export function latestOfferings(scope: Scope, day: string, upTo: number | null = null, only?: Only): Sql {
  return sql`
    SELECT session_id, argMax(offering_id, ${SESSION_VERSION}) AS offering_id
    FROM ${scheduleRows(scope, day, upTo, only)}
    GROUP BY session_id`;
}

/** The schedule rows of the scope's candidate sessions on `day` (as of `upTo`), for a merge by session. */
function scheduleRows(scope: Scope, day: string, upTo: number | null, only: Only): Sql {
  return sql`sessions_by_school
      WHERE session_id IN (${candidateSessionIds(scope, day, upTo, sql`session_id`, only)}) AND ${upToFilter(upTo)}
        AND ${schoolFilter(scope, sql`school_id`, upTo)} AND ${onlyFilter(only)}`;
}

/** The daily partitions an event for a session of `day` may be in (see definitions.ts). */
export function dayWindow(day: string, column: Sql = sql`day`): Sql {
  return sql`${column} >= toDate(${day}) - ${ATTRIBUTION_WINDOW_DAYS} AND ${column} <= toDate(${day}) + ${ATTRIBUTION_WINDOW_DAYS}`;
}

/** An enrollment's state is its latest event; on a tie a withdrawal wins. */
export const ENROLLMENT_VERSION = sql`ts_ms * 2 + (type = 'withdrawn')`;
