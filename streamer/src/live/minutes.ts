import { num, schoolFilter, sql, type MinutePoint, type Scope, type Store } from '@edu/analytics';

/**
 * Check-ins per minute of the day, by person, from the checkin_curve materialized table;
 * from minute `from` on (0: the whole day).
 */
export async function checkinMinutes(store: Store, scope: Scope, day: string, from = 0): Promise<MinutePoint[]> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT minute, person, uniqExactMerge(events) AS n
    FROM checkin_curve
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
export const FULL_CURVE_EVERY_MS = 300_000;
/** After a draw that took d ms, the next waits SHARE × d (at most MAX_WAIT_MS): the curve gets at most a fifth of the time. */
const SHARE = 4;
const MAX_WAIT_MS = 10_000;

/**
 * One live room's attendance curve, redrawn from the earliest minute a change touched, and
 * paced by its own cost.
 *
 * Why: each minute's count is exact distinct event ids (a redelivered check-in counts once), so
 * a draw merges every id of the minutes it reads. A duplicate carries its original's ts, so it
 * falls in the same minute: the minutes before the earliest touched one cannot have changed,
 * and are kept. Even one minute can be large (1.2 million ids at 20,000 check-ins/s, about a
 * second to merge), so the curve may lag the numbers by a few seconds under such load, while
 * at a city's real volume (tens of ms a draw) it is redrawn with every update. `pendingIn`
 * tells the hub when to come back for changes that had to wait.
 */
export class MinuteCurve {
  private points: MinutePoint[] | null = null;
  /** Business time of the last whole-day draw. */
  private drawnAt = 0;
  /** The earliest minute changed since the last draw; Infinity: none. */
  private from = Infinity;
  /** On the elapsed clock: when the next partial draw may run. */
  private nextDrawAt = 0;
  private chain: Promise<unknown> = Promise.resolve();

  /** `elapsed`: real time for pacing (the hub's business clock may stand still in tests). */
  constructor(private readonly elapsed: () => number = () => performance.now()) {}

  /** Check-ins of the room's day from `minute` on were stored (0: anything may have changed). */
  touch(minute: number): void {
    if (minute < this.from) this.from = minute;
  }

  /** Milliseconds until touched changes may be drawn, or null when none are waiting. */
  pendingIn(): number | null {
    return this.from === Infinity ? null : Math.max(0, this.nextDrawAt - this.elapsed());
  }

  /** The curve as of now. Draws are serialised, so a join and a flush cannot interleave. */
  read(store: Store, scope: Scope, day: string, now: number): Promise<MinutePoint[]> {
    const next = this.chain.then(() => this.draw(store, scope, day, now));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async draw(store: Store, scope: Scope, day: string, now: number): Promise<MinutePoint[]> {
    const full = this.points === null || now - this.drawnAt >= FULL_CURVE_EVERY_MS;
    if (!full && this.points && (this.from === Infinity || this.elapsed() < this.nextDrawAt)) return this.points;
    const from = full ? 0 : this.from;
    // Taken before the query: a change stored while it runs is drawn by a later read.
    this.from = Infinity;
    const started = this.elapsed();
    try {
      const fresh = await checkinMinutes(store, scope, day, from);
      this.points = full || !this.points ? fresh : spliceMinutes(this.points, from, fresh);
      if (full) this.drawnAt = now;
      const ended = this.elapsed();
      this.nextDrawAt = ended + Math.min(MAX_WAIT_MS, SHARE * (ended - started));
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
