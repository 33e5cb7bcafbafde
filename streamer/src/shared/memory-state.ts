import { EventEmitter } from 'node:events';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import type { SharedState } from './state.ts';

/** SharedState for one process (the embedded default and unit tests). */
export class MemorySharedState implements SharedState {
  private readonly values = new Map<string, { value: string; expires: number | null }>();
  private readonly bus = new EventEmitter().setMaxListeners(1000);

  constructor(private readonly clock: Clock = systemClock) {}

  private live(key: string) {
    const e = this.values.get(key);
    if (e && e.expires !== null && e.expires <= this.clock.now()) {
      this.values.delete(key);
      return undefined;
    }
    return e;
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.values.set(key, { value, expires: ttlMs ? this.clock.now() + ttlMs : null });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    await this.set(key, value, ttlMs);
    return true;
  }

  async del(key: string): Promise<void> {
    this.values.delete(key);
  }

  async incr(key: string, ttlMs: number): Promise<number> {
    const e = this.live(key);
    const n = (e ? Number(e.value) : 0) + 1;
    this.values.set(key, { value: String(n), expires: e ? e.expires : this.clock.now() + ttlMs });
    return n;
  }

  async ttl(key: string): Promise<number | null> {
    const e = this.live(key);
    return e && e.expires !== null ? e.expires - this.clock.now() : null;
  }

  async publish(channel: string, message: string): Promise<void> {
    // Asynchronous like Redis: a publisher never runs its subscribers inside its own call.
    setImmediate(() => this.bus.emit(channel, message));
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>> {
    this.bus.on(channel, listener);
    return async () => {
      this.bus.off(channel, listener);
    };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.bus.removeAllListeners();
  }
}
