import type { Snapshot, Store } from '@edu/analytics';
import { disposeTestStore, FIXTURE_DAY, fixtureCityEvents, openTestStore } from '@edu/analytics/testing';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { redisAdapter } from '../shared/redis-adapter.ts';
import { createRedisClient, RedisSharedState } from '../shared/redis-state.ts';
import { tcpBalancer } from '../testing/balancer.ts';
import { ApiClient, OwnRedis, startTestStreamer, storeEvents, testRedisUrl, uniquePrefix } from '../testing/harness.ts';

// Faults around the streamer: one of two instances dies while screens are connected (they
// reconnect through the load balancer to the other and resync from a fresh snapshot), and
// the Redis they share stops and comes back (refusals while it is down, recovery after).

const SIX_PM = Date.parse(`${FIXTURE_DAY}T18:00:00+08:00`);

describe('streamer faults', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('server', 'failover');
    await storeEvents(store, fixtureCityEvents());
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('moves screens of a killed instance to the other one, with a fresh snapshot', async () => {
    const prefix = uniquePrefix('failover');
    const redis = createRedisClient(testRedisUrl());
    const start = async () => {
      const adapter = redisAdapter(redis, `${prefix}socket.io`);
      const shared = new RedisSharedState(redis, prefix);
      const t = await startTestStreamer(store, {
        clock: new ManualClock(SIX_PM),
        shared,
        adapter: adapter.attach,
      });
      return { t, close: async () => (await t.close(), adapter.close(), await shared.close()) };
    };
    const a = await start();
    const b = await start();
    const lb = await tcpBalancer();
    lb.target(Number(new URL(a.t.url).port));
    const api = await new ApiClient(`http://127.0.0.1:${lb.port}`).login('13800000001');
    const socket = io(`http://127.0.0.1:${lb.port}`, {
      auth: { token: api.token },
      transports: ['websocket'],
      reconnectionDelay: 100,
      reconnectionDelayMax: 200,
    });
    const snapshots: Snapshot[] = [];
    socket.on('snapshot', (s) => snapshots.push(s));
    socket.on('connect', () => socket.emit('join', { scope: 'city', date: FIXTURE_DAY }, () => {}));
    try {
      await expect.poll(() => snapshots.length, { timeout: 5000 }).toBe(1);
      // A dies; the balancer sends new connections to B; the screen reconnects by itself.
      lb.target(Number(new URL(b.t.url).port));
      const killedAt = Date.now();
      await a.close();
      await expect.poll(() => snapshots.length, { timeout: 10_000 }).toBe(2);
      const recovered = Date.now() - killedAt;
      expect(recovered).toBeLessThan(5000);
      // The same numbers, served by B (its session store is the same Redis: no new login).
      expect(snapshots[1]?.overview.metrics).toEqual(snapshots[0]?.overview.metrics);
      expect(b.t.streamer.hub.stats().sockets).toBe(1);
    } finally {
      socket.disconnect();
      lb.close();
      await b.close();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit(); // after the replies of whatever the instances still had in flight
    }
  });

  it('refuses with a reason while Redis is down, and recovers when it is back', async () => {
    const server = new OwnRedis(16_000 + Math.floor(Math.random() * 2000));
    await server.start();
    const redis = createRedisClient(server.url, () => {});
    const shared = new RedisSharedState(redis, 'edu-test:');
    const t = await startTestStreamer(store, { clock: new ManualClock(SIX_PM), shared });
    try {
      const api = await new ApiClient(t.url).login('13800000001');
      expect((await api.get('/api/v1/overview?scope=city')).status).toBe(200);
      await server.stop('SIGKILL');
      const health = await fetch(`${t.url}/healthz`);
      expect(health.status).toBe(503);
      const down = await api.get<{ code: string }>('/api/v1/overview?scope=city');
      expect(down.status).toBe(503);
      expect(down.body.code).toBe('unavailable');
      // Back (empty: sessions were in it, so the screen logs in again).
      await server.start();
      await expect.poll(async () => (await fetch(`${t.url}/healthz`)).status, { timeout: 15_000 }).toBe(200);
      expect((await api.get('/api/v1/overview?scope=city')).status).toBe(401);
      const again = await new ApiClient(t.url).login('13800000001');
      expect((await again.get('/api/v1/overview?scope=city')).status).toBe(200);
    } finally {
      await t.close();
      await shared.close();
      redis.disconnect();
      await server.stop('SIGKILL');
    }
  });
});
