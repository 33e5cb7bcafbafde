// Simulated time. The player emits an event when its clock reaches the event's ts; the
// embedded product hands the same clock to ingest and the streamer, so that validation, the
// alert rules and "today" all agree with the simulated city.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface VirtualClockOptions {
  /** Simulated epoch ms at the moment the clock is created. */
  start: number;
  /** Simulated ms per real ms: 1 = real time, 7.5 = a 150-minute window in 20 minutes. */
  speed: number;
  /** The real clock (tests pass a fake one). */
  realNow?: () => number;
}

/** now() = start + (real time elapsed since creation) × speed. */
export class VirtualClock implements Clock {
  private startMs: number;
  readonly speed: number;
  private readonly realNow: () => number;
  private realStart: number;

  constructor(options: VirtualClockOptions) {
    if (!(options.speed > 0) || !Number.isFinite(options.speed)) {
      throw new RangeError(`speed must be a positive number, got ${options.speed}`);
    }
    this.startMs = options.start;
    this.speed = options.speed;
    this.realNow = options.realNow ?? Date.now;
    this.realStart = this.realNow();
  }

  /** Simulated time when the clock was (re)started. */
  get start(): number {
    return this.startMs;
  }

  /** Whole milliseconds, like Date.now(): times go into Int64 columns and event ids. */
  now(): number {
    return Math.floor(this.startMs + (this.realNow() - this.realStart) * this.speed);
  }

  /**
   * Moves simulated time to `start` from this real moment on, e.g. to the next day's window:
   * whoever holds this clock (ingest, the streamer) moves with it.
   */
  restart(start: number): void {
    this.startMs = start;
    this.realStart = this.realNow();
  }

  /** Real ms until the simulated clock reaches `simMs` (0 when it already has). */
  realMsUntil(simMs: number): number {
    return Math.max(0, (simMs - this.now()) / this.speed);
  }
}
