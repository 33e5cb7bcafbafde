// Debounce with a maximum wait: fires `delayMs` after the last poke, but never later than
// `maxWaitMs` after the first poke of a burst, so a steady stream of events still updates
// the screens at least once per `maxWaitMs`.

export class Debouncer {
  private timer: NodeJS.Timeout | null = null;
  private firstAt = 0;

  constructor(
    private readonly delayMs: number,
    private readonly maxWaitMs: number,
    private readonly fire: () => void,
  ) {}

  poke(): void {
    const now = Date.now();
    if (this.timer === null) this.firstAt = now;
    else clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.delayMs, this.firstAt + this.maxWaitMs - now));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fire();
    }, wait);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
