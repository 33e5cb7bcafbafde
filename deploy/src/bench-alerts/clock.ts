import type { Clock } from '@edu/ingest/simulator';

// The benchmark's simulated clock. It stands still while the city is set up, then runs at
// `speed` times real time — but holds whenever the product falls behind (the next event to
// send is older than now − slack): a machine too slow for the speed must not make the rules
// judge a day whose events were due but not yet stored, which would measure the machine, not
// the alerts. Time only moves forward.

export class GovernedClock implements Clock {
  private speed = 0;
  private realStart = 0;
  private heldMs = 0;
  private heldSince: number | null = null;
  /** Real ms the clock was held, in total. */
  private heldTotal = 0;

  constructor(
    private readonly start: number,
    private readonly realNow: () => number = Date.now,
  ) {}

  get running(): boolean {
    return this.speed > 0;
  }

  /** Starts the clock from `start` at `speed` simulated ms per real ms. */
  run(speed: number): void {
    if (!(speed > 0)) throw new RangeError(`speed must be positive, got ${speed}`);
    this.speed = speed;
    this.realStart = this.realNow();
  }

  now(): number {
    if (!this.running) return this.start;
    const real = this.heldSince ?? this.realNow();
    return Math.floor(this.start + (real - this.realStart - this.heldMs) * this.speed);
  }

  hold(): void {
    if (this.running && this.heldSince === null) this.heldSince = this.realNow();
  }

  release(): void {
    if (this.heldSince === null) return;
    const held = this.realNow() - this.heldSince;
    this.heldMs += held;
    this.heldTotal += held;
    this.heldSince = null;
  }

  /** Holds while `behind()` says the product lags, checked every `everyMs`; returns the stop function. */
  govern(behind: (now: number) => boolean, everyMs = 100): () => void {
    const timer = setInterval(() => (behind(this.now()) ? this.hold() : this.release()), everyMs);
    return () => {
      clearInterval(timer);
      this.release();
    };
  }

  /** Real ms held so far (including a hold in progress). */
  held(): number {
    return this.heldTotal + (this.heldSince === null ? 0 : this.realNow() - this.heldSince);
  }

  /** Real ms until the clock reaches `sim`, if it is not held (Infinity before it runs). */
  realMsUntil(sim: number): number {
    return this.running ? Math.max(0, (sim - this.now()) / this.speed) : Infinity;
  }
}
