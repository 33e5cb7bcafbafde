import type { Redis } from 'ioredis';
import { subscriberOf } from './redis-state.ts';
import { CHANGE_CHANNEL, type ChangePublisher, type ChangeSignal, type ChangeSubscriber } from '@edu/analytics';

/**
 * Change signals from ingest over Redis pub/sub (channel CHANGE_CHANNEL, one JSON ChangeSignal
 * per message). Uses its own subscriber connection.
 */
export class RedisChangeSubscriber implements ChangeSubscriber {
  private readonly sub: Redis;
  private readonly listeners = new Set<(s: ChangeSignal) => void>();
  private subscribed: Promise<unknown> | null = null;

  constructor(
    redis: Redis,
    private readonly channel: string = CHANGE_CHANNEL,
  ) {
    this.sub = subscriberOf(redis);
    this.sub.on('message', (_channel: string, message: string) => {
      let signal: ChangeSignal;
      try {
        signal = JSON.parse(message) as ChangeSignal;
      } catch {
        return; // not a signal: nothing to recompute
      }
      if (!Array.isArray(signal.schools) || !Array.isArray(signal.days)) return;
      for (const l of this.listeners) l(signal);
    });
  }

  subscribe(listener: (signal: ChangeSignal) => void): () => void {
    this.listeners.add(listener);
    void this.ready();
    return () => this.listeners.delete(listener);
  }

  /** Resolves once Redis has confirmed the subscription (tests publish right after). */
  async ready(): Promise<void> {
    this.subscribed ??= this.sub.subscribe(this.channel);
    await this.subscribed;
  }

  /** QUIT (as RedisSharedState.close): a subscribe in flight gets its reply, not a rejection. */
  close(): void {
    this.sub.quit().catch(() => this.sub.disconnect());
  }
}

/**
 * The streamer's own signals (a recorded decision, analytics' decisionSignal) on the channel
 * ingest publishes to, so every instance recomputes; the same message ingest's
 * redisChangePublisher writes.
 */
export function redisChangePublisher(redis: Redis, channel: string = CHANGE_CHANNEL): ChangePublisher {
  return {
    async publish(signal: ChangeSignal) {
      await redis.publish(channel, JSON.stringify(signal));
    },
  };
}
