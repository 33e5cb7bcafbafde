import { sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import { schoolFilter, type Scope } from '../metrics/scope.ts';
import type { MinutePoint } from './protocol.ts';

/**
 * The live attendance curve: check-ins per minute of the day, by person (exact distinct event
 * ids), from the checkin_curve table (keyed by minute first, migration 012); from minute `from`
 * on (0: the whole day), so a redraw from the earliest minute a batch touched reads only what
 * follows it. The streamer's MinuteCurve paces the redraws and splices them in. `before`
 * (a replay's moment, minute of the day) keeps the minutes before it: the curve as it stood then.
 */
export async function checkinMinutes(
  store: Store,
  scope: Scope,
  day: string,
  from = 0,
  before = 24 * 60,
): Promise<MinutePoint[]> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT minute, person, uniqExactMerge(events) AS n
    FROM checkin_curve
    WHERE day = toDate(${day}) AND ${schoolFilter(scope)} AND minute >= ${from} AND minute < ${before}
    GROUP BY minute, person
    ORDER BY minute`);
  const byMinute = new Map<number, MinutePoint>();
  for (const r of rows) {
    const m = num(r.minute);
    let p = byMinute.get(m);
    if (!p) byMinute.set(m, (p = { minute: m, students: 0, teachers: 0 }));
    if (r.person === 'student') p.students += num(r.n);
    else if (r.person === 'teacher') p.teachers += num(r.n);
  }
  return [...byMinute.values()].sort((a, b) => a.minute - b.minute);
}
