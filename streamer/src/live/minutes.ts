import { checkinMinutes, type MinutePoint, type Scope, type Store } from '@edu/analytics';

// The curve's query is analytics' (`checkinMinutes`, analytics/src/live/curve.ts); here, only
// when to redraw it.
export { checkinMinutes };

/** Even with every change signal seen, the whole curve is redrawn this often: signals over Redis pub/sub can be lost. */
export const FULL_CURVE_EVERY_MS = 300_000;
/** After a draw that took d ms, the next waits SHARE × d (at most MAX_WAIT_MS): the curve gets at most a fifth of the time. */
const SHARE = 4;
const MAX_WAIT_MS = 10_000;
/** After a failed draw, the changes it held are retried this much later. */
const RETRY_MS = 1_000;

export interface CurveDeps {
  store: Store;
  scope: Scope;
  day: string;
  /** A background draw landed: the minutes from `from` on (the rest unchanged). */
  drawn: (from: number, fresh: MinutePoint[]) => void;
  onError: (err: unknown) => void;
  /** Real time for pacing (the hub's business clock may stand still in tests). */
  elapsed?: () => number;
}

/**
 * One live room's attendance curve: drawn whole when the room opens, then redrawn in the
 * background from the earliest minute a change touched, paced by its own cost.
 *
 * Why: each minute's count is exact distinct event ids (a redelivered check-in counts once), so
 * a draw merges every id of the minutes it reads. A duplicate carries its original's ts, so it
 * falls in the same minute: the minutes before the earliest touched one cannot have changed,
 * and are kept. Even one minute can be large (1.2 million ids at 20,000 check-ins/s, about a
 * second to merge), so a snapshot never waits for a redraw: it takes the curve as last drawn,
 * and the room is recomputed again when the redraw lands. At a city's real volume a draw takes
 * tens of ms and the curve trails the numbers by one update; under extreme load, by seconds.
 */
export class MinuteCurve {
  private points: MinutePoint[] | null = null;
  /** Wall-clock ms when `points` was last drawn: screens keep the newest of a push and a snapshot. */
  drawnAtMs = 0;
  private first: Promise<MinutePoint[]> | null = null;
  /** Business time of the last whole-day draw. */
  private drawnAt = 0;
  /** The earliest minute changed since the last draw began; Infinity: none. */
  private from = Infinity;
  private drawing = false;
  /** On the elapsed clock: when the next draw may start. */
  private nextDrawAt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly elapsed: () => number;

  constructor(private readonly d: CurveDeps) {
    this.elapsed = d.elapsed ?? (() => performance.now());
  }

  /** Check-ins of the room's day from `minute` on were stored (0: anything may have changed). */
  touch(minute: number): void {
    if (minute < this.from) this.from = minute;
    this.schedule();
  }

  /** The curve as last drawn (the first call waits for the whole day). */
  async read(now: number): Promise<MinutePoint[]> {
    if (!this.points) {
      this.first ??= this.drawWhole(now);
      try {
        return await this.first;
      } finally {
        this.first = null;
      }
    }
    if (now - this.drawnAt >= FULL_CURVE_EVERY_MS) {
      this.drawnAt = now;
      this.touch(0);
    }
    return this.points;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async drawWhole(now: number): Promise<MinutePoint[]> {
    const points = await checkinMinutes(this.d.store, this.d.scope, this.d.day);
    this.points = points;
    this.drawnAtMs = Date.now();
    this.drawnAt = now;
    this.schedule(); // for changes touched while it ran
    return points;
  }

  private schedule(): void {
    if (this.stopped || this.drawing || this.timer || this.from === Infinity || !this.points) return;
    const wait = this.nextDrawAt - this.elapsed();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.schedule();
      }, wait);
      return;
    }
    void this.drawFrom();
  }

  private async drawFrom(): Promise<void> {
    const from = this.from;
    // Taken before the query: a change stored while it runs is drawn by the next one.
    this.from = Infinity;
    this.drawing = true;
    const started = this.elapsed();
    try {
      const fresh = await checkinMinutes(this.d.store, this.d.scope, this.d.day, from);
      this.points = spliceMinutes(this.points ?? [], from, fresh);
      this.drawnAtMs = Date.now();
      const ended = this.elapsed();
      this.nextDrawAt = ended + Math.min(MAX_WAIT_MS, SHARE * (ended - started));
      if (!this.stopped) this.d.drawn(from, fresh);
    } catch (err) {
      this.from = Math.min(this.from, from);
      this.nextDrawAt = this.elapsed() + RETRY_MS;
      this.d.onError(err);
    } finally {
      this.drawing = false;
    }
    this.schedule();
  }
}

/** `kept`'s minutes before `from`, then `fresh` (the minutes from `from` on). */
function spliceMinutes(kept: readonly MinutePoint[], from: number, fresh: readonly MinutePoint[]): MinutePoint[] {
  return [...kept.filter((p) => p.minute < from), ...fresh];
}
