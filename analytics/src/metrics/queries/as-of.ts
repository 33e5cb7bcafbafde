import { sql } from '../../clickhouse/sql.ts';
import { num, type Store } from '../../clickhouse/store.ts';
import { schoolFilter, type Scope } from '../scope.ts';
import { dayWindow } from './day-sessions.ts';

/**
 * The newest source time among the events that move a day's live numbers (schedule, class
 * and check-in events of the scope), or null before any arrived.
 */
export async function asOfMs(store: Store, scope: Scope, day: string): Promise<number | null> {
  const scoped = schoolFilter(scope);
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
