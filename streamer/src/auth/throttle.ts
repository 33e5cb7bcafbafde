import type { SharedState } from '../shared/state.ts';

// Login throttling per phone number and per client address, in SharedState so it holds across
// instances. After `maxFailures` failures within the window, each further failure locks the
// phone for base · 2^(failures − max) seconds, capped.

export interface ThrottleConfig {
  maxFailures: number;
  maxFailuresPerIp: number;
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
    const [p, i] = await Promise.all([
      this.shared.ttl(`login:lock:phone:${phone}`),
      this.shared.ttl(`login:lock:ip:${ip}`),
    ]);
    return Math.max(p ?? 0, i ?? 0);
  }

  async failed(phone: string, ip: string): Promise<void> {
    const window = this.cfg.failureWindowSeconds * 1000;
    const [byPhone, byIp] = await Promise.all([
      this.shared.incr(`login:fail:phone:${phone}`, window),
      this.shared.incr(`login:fail:ip:${ip}`, window),
    ]);
    if (byPhone >= this.cfg.maxFailures) {
      await this.shared.set(`login:lock:phone:${phone}`, '1', this.lockMs(byPhone - this.cfg.maxFailures));
    }
    if (byIp >= this.cfg.maxFailuresPerIp) {
      await this.shared.set(`login:lock:ip:${ip}`, '1', this.lockMs(byIp - this.cfg.maxFailuresPerIp));
    }
  }

  async succeeded(phone: string): Promise<void> {
    await this.shared.del(`login:fail:phone:${phone}`);
  }

  private lockMs(over: number): number {
    const s = Math.min(this.cfg.lockoutMaxSeconds, this.cfg.lockoutBaseSeconds * 2 ** Math.min(over, 20));
    return s * 1000;
  }
}
