import type { SharedState } from '../shared/state.ts';

// Login throttling in SharedState, so it holds across instances. Failures are counted
// per (phone, source), per source and per phone within the window:
//   - `maxFailures` failures for one phone from one source lock that phone *for that source*:
//     someone guessing from elsewhere does not lock the owner out;
//   - `maxFailuresPerIp` failures from one source (any phones) lock the source;
//   - `maxFailuresPerPhone` failures for one phone from all sources together (a guess spread
//     over many addresses) lock the phone everywhere; set well above `maxFailures`.
// Each further failure over a limit locks for base · 2^(failures − limit) seconds, capped.
// The source is the client address as the configured proxy hops report it (http/app.ts).
// Wrong old passwords on a password change count as failed logins of that phone.

export interface ThrottleConfig {
  maxFailures: number;
  maxFailuresPerIp: number;
  maxFailuresPerPhone: number;
  failureWindowSeconds: number;
  lockoutBaseSeconds: number;
  lockoutMaxSeconds: number;
}

export class LoginThrottle {
  constructor(
    private readonly shared: SharedState,
    private readonly cfg: ThrottleConfig,
  ) {}

  /** Milliseconds until a login may be tried again; 0 when allowed. */
  async retryAfterMs(phone: string, ip: string): Promise<number> {
    const ttls = await Promise.all([
      this.shared.ttl(`login:lock:pair:${phone}|${ip}`),
      this.shared.ttl(`login:lock:ip:${ip}`),
      this.shared.ttl(`login:lock:phone:${phone}`),
    ]);
    return Math.max(0, ...ttls.map((t) => t ?? 0));
  }

  async failed(phone: string, ip: string): Promise<void> {
    const window = this.cfg.failureWindowSeconds * 1000;
    const [byPair, byIp, byPhone] = await Promise.all([
      this.shared.incr(`login:fail:pair:${phone}|${ip}`, window),
      this.shared.incr(`login:fail:ip:${ip}`, window),
      this.shared.incr(`login:fail:phone:${phone}`, window),
    ]);
    const locks: Promise<void>[] = [];
    if (byPair >= this.cfg.maxFailures)
      locks.push(this.shared.set(`login:lock:pair:${phone}|${ip}`, '1', this.lockMs(byPair - this.cfg.maxFailures)));
    if (byIp >= this.cfg.maxFailuresPerIp)
      locks.push(this.shared.set(`login:lock:ip:${ip}`, '1', this.lockMs(byIp - this.cfg.maxFailuresPerIp)));
    if (byPhone >= this.cfg.maxFailuresPerPhone)
      locks.push(
        this.shared.set(`login:lock:phone:${phone}`, '1', this.lockMs(byPhone - this.cfg.maxFailuresPerPhone)),
      );
    await Promise.all(locks);
  }

  /** A successful login forgets that source's failures for the phone. */
  async succeeded(phone: string, ip: string): Promise<void> {
    await this.shared.del(`login:fail:pair:${phone}|${ip}`);
  }

  private lockMs(over: number): number {
    const s = Math.min(this.cfg.lockoutMaxSeconds, this.cfg.lockoutBaseSeconds * 2 ** Math.min(over, 20));
    return s * 1000;
  }
}
