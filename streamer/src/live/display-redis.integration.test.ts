import type { PushedSnapshot, PushedUpdate, Store } from '@edu/analytics';
import { disposeTestStore, FIXTURE_DAY, fixtureCityEvents, openTestStore } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { createRedisClient, RedisSharedState } from '../shared/redis-state.ts';
import { ApiClient, connectScreen, OwnRedis, startTestStreamer, storeEvents } from '../testing/harness.ts';

// Issue 12 §3: a wall display survives a Redis restart without anyone touching it. Redis (a
// test's own, without persistence) is killed while the display is connected and comes back
// empty: a person's session is gone (they sign in again), the display's credential is not (it
// lives hashed in ClickHouse and in every instance's memory), so the wall reconnects, joins and
// gets its snapshot again by itself; while Redis is down its credential is still accepted.

const SIX_PM = Date.parse(`${FIXTURE_DAY}T18:00:00+08:00`);

describe('a wall display across a Redis restart', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('server', 'display_redis');
    await storeEvents(store, fixtureCityEvents());
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('keeps its credential and its wall while Redis restarts empty', async () => {
    const server = new OwnRedis(18_000 + Math.floor(Math.random() * 2000));
    await server.start();
    const redis = createRedisClient(server.url, () => {});
    const t = await startTestStreamer(store, {
      clock: new ManualClock(SIX_PM),
      shared: new RedisSharedState(redis, 'edu-test:'),
      // Rooms of today are pushed every second without events (the due tick).
      config: { live: { debounceMs: 20, maxWaitMs: 200, snapshotCacheSeconds: 60, dueTickMs: 1000 } },
    });
    const admin = await new ApiClient(t.url).login('13800000000');
    const reg = await admin.post<{ code: string }>('/api/v1/admin/displays', { name: '大厅屏', scope: 'district:d1' });
    const paired = await new ApiClient(t.url).post<{ token: string }>('/api/v1/displays/pair', { code: reg.body.code });
    expect(paired.status).toBe(200);
    const display = Object.assign(new ApiClient(t.url), { token: paired.body.token });
    // The wall: reconnects by itself and joins again on every connect, as screen/src/live/socket.ts does.
    const socket = connectScreen(t.url, paired.body.token, { reconnect: true });
    const snapshots: PushedSnapshot[] = [];
    socket.on('snapshot', (s) => snapshots.push(s));
    const updates: PushedUpdate[] = [];
    socket.on('update', (s) => updates.push(s));
    socket.on('connect', () => socket.emit('join', { scope: 'district:d1', date: FIXTURE_DAY }, () => {}));
    try {
      await expect.poll(() => snapshots.length, { timeout: 5000 }).toBe(1);
      await server.stop('SIGKILL');
      // Down: a person's session cannot be checked (503), the display's credential still is.
      expect((await admin.get('/api/v1/me')).status).toBe(503);
      expect((await display.get('/api/v1/me')).status).toBe(200);
      await server.start();
      await expect.poll(async () => (await fetch(`${t.url}/healthz`)).status, { timeout: 15_000 }).toBe(200);
      // Back, empty: the person signs in again; the display does not.
      expect((await admin.get('/api/v1/me')).status).toBe(401);
      expect((await display.get<{ name: string }>('/api/v1/me')).body.name).toBe('大厅屏');
      // Its wall goes on being updated on the same connection: the updates' versions go on
      // rising (a screen drops an update not newer than what it shows), though the room's
      // counter in Redis started again from nothing.
      const shown = Math.max(...snapshots.map((s) => s.version), ...updates.map((u) => u.version));
      const before = updates.length;
      await expect.poll(() => updates.slice(before).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      expect(updates.slice(before).every((u) => u.version > shown)).toBe(true);
      // Its connection drops (a network cut) and comes back: a fresh snapshot, nobody touching it.
      socket.io.engine.close();
      await expect.poll(() => snapshots.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      expect(snapshots.at(-1)?.overview.scope).toBe('district:d1');
      expect(socket.connected).toBe(true);
    } finally {
      socket.disconnect();
      await t.close();
      redis.disconnect();
      await server.stop('SIGKILL');
    }
  });
});
