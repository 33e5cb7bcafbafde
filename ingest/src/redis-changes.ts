import { CHANGE_CHANNEL, type ChangePublisher, type ChangeSignal } from '@edu/analytics';
import type { Redis } from 'ioredis';

/** Publishes change signals to every streamer instance over Redis pub/sub. */
export function redisChangePublisher(redis: Redis, channel = CHANGE_CHANNEL): ChangePublisher {
  return {
    async publish(signal: ChangeSignal) {
      await redis.publish(channel, JSON.stringify(signal));
    },
  };
}
