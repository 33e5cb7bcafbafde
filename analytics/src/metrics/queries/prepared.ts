import { sql, type Sql } from '../../clickhouse/sql.ts';
import { upToFilter } from '../scope.ts';

// (contract v1.1) 教师备课: a session is *prepared* when it has a `lesson_prepared` with ts
// before its planned_start. The one place that says so in SQL: the day's session figures and
// the term's activity (过程监管, 图表) both join this and test `PREPARED`.

/**
 * The first preparation of each session among `sessionIds` (a subquery of ids), counted once
 * per event id by taking the minimum ts. `lastDay` bounds the partitions read: a preparation
 * that counts was sent before its session's start, so never after the session's day.
 */
export function firstPreparations(sessionIds: Sql, lastDay: string, upTo: number | null): Sql {
  return sql`
    SELECT session_id, 1 AS has_preparation, min(ts_ms) AS first_prepared_ms
    FROM lesson_preparations
    WHERE day <= toDate(${lastDay}) AND session_id IN (${sessionIds}) AND ${upToFilter(upTo)}
    GROUP BY session_id`;
}

/**
 * Over a row joined (ANY LEFT) with `firstPreparations`: 1 when the session is prepared. A
 * session without a preparation gets the join's defaults (0, 0), hence has_preparation.
 */
export const PREPARED = sql`(has_preparation = 1 AND first_prepared_ms < planned_start_ms)`;
