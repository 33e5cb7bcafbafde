import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { LiveServer } from '../live/hub.ts';
import { quietErrors, subscriberOf } from './redis-state.ts';

/**
 * The Socket.IO Redis adapter, so several streamer instances serve screens as one: a broadcast
 * on one reaches the sockets of all. Its two connections are made from `redis` and closed by
 * `close`.
 */
export function redisAdapter(
  redis: Redis,
  key: string,
  log: (msg: string) => void = () => undefined,
): { attach: (io: LiveServer) => void; close: () => void } {
  const pub = redis.duplicate();
  quietErrors(pub, log);
  const sub = subscriberOf(redis);
  return {
    attach: (io) => void io.adapter(createAdapter(pub, sub, { key })),
    // QUIT, not a hard disconnect: a publish still in flight (a socket leaving as the server
    // closes) gets its reply instead of rejecting, unhandled, with "Connection is closed".
    close: () => {
      for (const c of [pub, sub]) c.quit().catch(() => c.disconnect());
    },
  };
}
