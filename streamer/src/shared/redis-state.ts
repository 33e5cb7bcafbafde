import { at, createLogger } from '@edu/analytics/log';
import { Redis } from 'ioredis';
import type { SharedState } from './state.ts';

// SharedState on Redis. One connection for commands and one for subscriptions (a subscribed
// Redis connection can do nothing else). Every key and channel gets `prefix`, so tests and
// deployments sharing a Redis never see each other's state.

export function createRedisClient(
  url: string,
  log: (msg: string) => void = at(createLogger({ name: 'streamer' }).child({ component: 'streamer.redis' }), 'warn'),
): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false, enableAutoPipelining: true });
  quietErrors(redis, log);
  return redis;
}

/**
 * A connection for SUBSCRIBE only. No ready check: ioredis's check (INFO) can land after a
 * SUBSCRIBE on a fresh connection and fail with "Connection in subscriber mode"; and its
 * errors are handled, so a reconnect never throws from an unhandled 'error' event.
 */
export function subscriberOf(redis: Redis, log: (msg: string) => void = () => {}): Redis {
  const sub = redis.duplicate({ enableReadyCheck: false });
  quietErrors(sub, log);
  return sub;
}

/** While Redis is down ioredis reports every reconnect attempt: say it once per 10 s instead. */
export function quietErrors(redis: Redis, log: (msg: string) => void): void {
  let last = 0;
  redis.on('error', (err: Error) => {
    if (Date.now() - last < 10_000) return;
    last = Date.now();
    log(`unavailable: ${err.message} (retrying)`);
  });
}

export class RedisSharedState implements SharedState {
  private readonly sub: Redis;
  private readonly listeners = new Map<string, Set<(m: string) => void>>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.sub = subscriberOf(redis);
    this.sub.on('message', (channel: string, message: string) => {
      for (const l of this.listeners.get(channel) ?? []) l(message);
    });
  }

  private k(key: string): string {
    return this.prefix + key;
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(this.k(key));
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs) await this.redis.set(this.k(key), value, 'PX', Math.max(1, Math.round(ttlMs)));
    else await this.redis.set(this.k(key), value);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const r = await this.redis.set(this.k(key), value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX');
    return r === 'OK';
  }

  async del(key: string): Promise<void> {
    await this.redis.del(this.k(key));
  }

  async incr(key: string, ttlMs: number): Promise<number> {
    const [[, n]] = (await this.redis
      .multi()
      .incr(this.k(key))
      .pexpire(this.k(key), Math.max(1, Math.round(ttlMs)), 'NX')
      .exec()) as [[Error | null, number]];
    return n;
  }

  async ttl(key: string): Promise<number | null> {
    const ms = await this.redis.pttl(this.k(key));
    return ms >= 0 ? ms : null;
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.redis.publish(this.k(channel), message);
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>> {
    const full = this.k(channel);
    let set = this.listeners.get(full);
    if (!set) {
      this.listeners.set(full, (set = new Set()));
      await this.sub.subscribe(full);
    }
    set.add(listener);
    return async () => {
      set.delete(listener);
      if (set.size === 0) {
        this.listeners.delete(full);
        await this.sub.unsubscribe(full);
      }
    };
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  // QUIT, not a hard disconnect: an unsubscribe still in flight (a screen leaving as the
  // streamer closes) gets its reply instead of rejecting, unhandled, with "Connection is closed".
  async close(): Promise<void> {
    await this.sub.quit().catch(() => this.sub.disconnect());
  }
}
