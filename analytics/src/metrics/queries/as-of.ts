import { sql } from '../../clickhouse/sql.ts';
import { num, type Store } from '../../clickhouse/store.ts';
import { schoolFilter, upToFilter, type Scope } from '../scope.ts';
import { dayWindow, onlyFilter, type Only } from './day-sessions.ts';

/**
 * Per school of the scope (or of its schools `only`), the newest source time (up to `upTo`,
 * when given) among the events that move a day's live numbers: schedule, class and check-in
 * events. Schools with none are absent.
 */
export async function asOfBySchool(
  store: Store,
  scope: Scope,
  day: string,
  upTo: number | null = null,
  only?: Only,
): Promise<Map<string, number>> {
  const scoped = sql`${schoolFilter(scope, sql`school_id`, upTo)} AND ${onlyFilter(only)} AND ${upToFilter(upTo)}`;
  const rows = await store.query<{ school_id: string; t: string | number }>(sql`
    SELECT school_id, max(ts_ms) AS t FROM (
      SELECT school_id, ts_ms FROM checkins WHERE ${dayWindow(day)} AND ${scoped}
      UNION ALL
      SELECT school_id, ts_ms FROM class_events WHERE ${dayWindow(day)} AND ${scoped}
      UNION ALL
      SELECT school_id, ts_ms FROM sessions WHERE planned_day = toDate(${day}) AND ${scoped}
    )
    GROUP BY school_id`);
  return new Map(rows.map((r) => [String(r.school_id), num(r.t)]));
}

/** The newest of those times over the whole scope, or null before any event arrived. */
export function newestOf(bySchool: ReadonlyMap<string, number>): number | null {
  let t: number | null = null;
  for (const v of bySchool.values()) if (t === null || v > t) t = v;
  return t;
}

/** The scope's as-of time (see asOfBySchool), or null before any event arrived. */
export async function asOfMs(
  store: Store,
  scope: Scope,
  day: string,
  upTo: number | null = null,
): Promise<number | null> {
  return newestOf(await asOfBySchool(store, scope, day, upTo));
}
