import { sql } from '../../clickhouse/sql.ts';
import { num, type Store } from '../../clickhouse/store.ts';
import { schoolFilter, upToFilter, type Scope } from '../scope.ts';
import { dayWindow } from './day-sessions.ts';

/**
 * The newest source time (up to `upTo`, when given) among the events that move a day's live numbers (schedule, class
 * and check-in events of the scope), or null before any arrived.
 */
export async function asOfMs(
  store: Store,
  scope: Scope,
  day: string,
  upTo: number | null = null,
): Promise<number | null> {
  const scoped = sql`${schoolFilter(scope, sql`school_id`, upTo)} AND ${upToFilter(upTo)}`;
  const rows = await store.query<{ t: string | number; n: string | number }>(sql`
    SELECT max(ts_ms) AS t, count() AS n FROM (
      SELECT ts_ms FROM checkins WHERE ${dayWindow(day)} AND ${scoped}
      UNION ALL
      SELECT ts_ms FROM class_events WHERE ${dayWindow(day)} AND ${scoped}
      UNION ALL
      SELECT ts_ms FROM sessions WHERE planned_day = toDate(${day}) AND ${scoped}
    )`);
  const row = rows[0];
  return row && num(row.n) > 0 ? num(row.t) : null;
}
