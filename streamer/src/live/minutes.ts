import { num, schoolFilter, sql, type MinutePoint, type Scope, type Store } from '@edu/analytics';

/**
 * Check-ins per minute of the day, by person, from the checkin_minutes materialized table;
 * from minute `from` on (0: the whole day).
 */
export async function checkinMinutes(store: Store, scope: Scope, day: string, from = 0): Promise<MinutePoint[]> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT minute, person, uniqExactMerge(events) AS n
    FROM checkin_minutes
    WHERE day = toDate(${day}) AND ${schoolFilter(scope)} AND minute >= ${from}
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

/** Even with every change signal seen, the whole curve is redrawn this often: signals over Redis pub/sub can be lost. */
export const FULL_CURVE_EVERY_MS = 60_000;

/**
 * One live room's attendance curve, redrawn from the earliest minute a change touched.
 *
 * Why: each minute's count is exact distinct event ids (a redelivered check-in counts once), so
 * the whole-day query merges every id of the day and its cost grows with the day (747 ms at 3
 * million check-ins). A duplicate carries its original's ts, so it falls in the same minute:
 * the minutes before the earliest touched one cannot have changed, and are kept.
 */
export class MinuteCurve {
  private points: MinutePoint[] | null = null;
  private drawnAt = 0;
  /** The earliest minute changed since the last draw; Infinity: none. */
  private from = Infinity;
  private chain: Promise<unknown> = Promise.resolve();

  /** Check-ins of the room's day from `minute` on were stored (0: anything may have changed). */
  touch(minute: number): void {
    if (minute < this.from) this.from = minute;
  }

  /** The curve as of now. Draws are serialised, so a join and a flush cannot interleave. */
  read(store: Store, scope: Scope, day: string, now: number): Promise<MinutePoint[]> {
    const next = this.chain.then(() => this.draw(store, scope, day, now));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async draw(store: Store, scope: Scope, day: string, now: number): Promise<MinutePoint[]> {
    const full = this.points === null || now - this.drawnAt >= FULL_CURVE_EVERY_MS;
    const from = full ? 0 : this.from;
    // Taken before the query: a change stored while it runs is drawn by the next read.
    this.from = Infinity;
    if (from === Infinity && this.points) return this.points;
    try {
      const fresh = await checkinMinutes(store, scope, day, from);
      this.points = full || !this.points ? fresh : spliceMinutes(this.points, from, fresh);
      if (full) this.drawnAt = now;
      return this.points;
    } catch (err) {
      this.touch(from);
      throw err;
    }
  }
}

/** `kept`'s minutes before `from`, then `fresh` (the minutes from `from` on). */
export function spliceMinutes(
  kept: readonly MinutePoint[],
  from: number,
  fresh: readonly MinutePoint[],
): MinutePoint[] {
  return [...kept.filter((p) => p.minute < from), ...fresh];
}
