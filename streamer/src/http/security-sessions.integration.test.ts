import type { Store } from '@edu/analytics';
import { disposeTestStore, FIXTURE_DAY, fixtureCityEvents, openTestStore } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { createRedisClient, RedisSharedState } from '../shared/redis-state.ts';
import {
  ApiClient,
  connectScreen,
  join,
  nextEvent,
  startTestStreamer,
  storeEvents,
  testRedisUrl,
  TEST_PASSWORD,
  uniquePrefix,
  type ScreenSocket,
  type TestStreamer,
} from '../testing/harness.ts';

// Issue 16, sessions that end when they should: a password change, a disable, a role or scope
// change end every session of the user and cut their sockets; a token obtained with the
// initial password can only change it and dies with the change; disable → enable brings no
// old token back; logout cuts the socket. Sessions in a real Redis, as in production. Part of
// the security suite's reduced form (deploy/bench/security.ts).

const SIX_PM = Date.parse(`${FIXTURE_DAY}T18:00:00+08:00`);

describe('sessions end when they should (Redis)', () => {
  const prefix = uniquePrefix('sessions');
  const redis = createRedisClient(testRedisUrl());
  const sockets: ScreenSocket[] = [];
  let store: Store;
  let shared: RedisSharedState;
  let t: TestStreamer;
  let admin: ApiClient;
  let phone = 13700000000;

  /** A new staff member of d1, created by the administrator (initial password 123456). */
  const newUser = async (): Promise<{ id: string; phone: string }> => {
    const p = String(++phone);
    const r = await admin.post<{ user_id: string }>('/api/v1/admin/users', {
      phone: p,
      name: `测试${p.slice(-2)}`,
      role: 'staff',
      districts: ['d1'],
    });
    expect(r.status).toBe(201);
    return { id: r.body.user_id, phone: p };
  };
  const withToken = (token: string) => Object.assign(new ApiClient(t.url), { token });
  const status = async (token: string) => (await withToken(token).get('/api/v1/me')).status;
  /** A joined screen, and a promise of its disconnection. */
  const screen = async (token: string) => {
    const socket = connectScreen(t.url, token);
    sockets.push(socket);
    const cut = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    const snapshot = nextEvent(socket, 'snapshot');
    expect(await join(socket, 'district:d1', FIXTURE_DAY)).toEqual({ ok: true });
    await snapshot;
    return { socket, cut };
  };
  /** Resolves with the connect error's message (or 'connected'). */
  const handshake = (token: string) =>
    new Promise<string>((resolve) => {
      const socket = connectScreen(t.url, token);
      sockets.push(socket);
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (e) => resolve(e.message));
    });
  const within = <T>(p: Promise<T>, ms = 3000) =>
    Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);

  beforeAll(async () => {
    store = await openTestStore('chdb', 'sessions');
    await storeEvents(store, fixtureCityEvents());
    shared = new RedisSharedState(redis, prefix);
    t = await startTestStreamer(store, { clock: new ManualClock(SIX_PM), shared });
    admin = await new ApiClient(t.url).login('13800000000');
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
    await shared?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    if (store) await disposeTestStore(store);
  });

  it('a password change ends every session of the user, and their sockets', async () => {
    const u = await newUser();
    const a = await new ApiClient(t.url).login(u.phone); // first login: 123456 → TEST_PASSWORD
    const b = await new ApiClient(t.url).login(u.phone); // a second session
    const { cut } = await screen(b.token as string);
    const r = await a.post<{ token: string }>('/api/v1/auth/password', {
      old_password: TEST_PASSWORD,
      new_password: 'Changed-pass-2',
    });
    expect(r.status).toBe(200);
    expect(await status(a.token as string)).toBe(401);
    expect(await status(b.token as string)).toBe(401);
    expect(await status(r.body.token)).toBe(200);
    expect(await within(cut)).not.toBe('timeout');
  });

  it('a token obtained with the initial password can only change it, and dies with the change', async () => {
    const u = await newUser();
    // Someone who knows the published initial password signs in before the owner does.
    const early = await new ApiClient(t.url).post<{ token: string }>('/api/v1/auth/login', {
      phone: u.phone,
      password: '123456',
    });
    expect(early.status).toBe(200);
    const stolen = early.body.token;
    expect((await withToken(stolen).get<{ code: string }>('/api/v1/me')).body.code).toBe('password_change_required');
    expect(await handshake(stolen)).toBe('password_change_required');
    // The owner signs in and changes the password.
    const owner = await new ApiClient(t.url).login(u.phone);
    expect(await status(owner.token as string)).toBe(200);
    // The early token is no session at all now: not a full one, and it cannot change it again.
    expect(await status(stolen)).toBe(401);
    const again = await withToken(stolen).post('/api/v1/auth/password', {
      old_password: TEST_PASSWORD,
      new_password: 'Taken-over-3',
    });
    expect(again.status).toBe(401);
    expect(await handshake(stolen)).toBe('unauthorized');
  });

  it('disable ends the sessions; enabling again brings none of them back', async () => {
    const u = await newUser();
    const c = await new ApiClient(t.url).login(u.phone);
    const { cut } = await screen(c.token as string);
    expect((await admin.call('PATCH', `/api/v1/admin/users/${u.id}`, { disabled: true })).status).toBe(200);
    expect([401, 403]).toContain(await status(c.token as string));
    expect(await within(cut)).not.toBe('timeout');
    expect((await admin.call('PATCH', `/api/v1/admin/users/${u.id}`, { disabled: false })).status).toBe(200);
    expect(await status(c.token as string)).toBe(401);
    expect(await status((await new ApiClient(t.url).login(u.phone)).token as string)).toBe(200);
  });

  it('a role or scope change ends the sessions; a new name does not', async () => {
    const u = await newUser();
    const c = await new ApiClient(t.url).login(u.phone);
    expect((await admin.call('PATCH', `/api/v1/admin/users/${u.id}`, { name: '新名字' })).status).toBe(200);
    expect(await status(c.token as string)).toBe(200);
    const { cut } = await screen(c.token as string);
    expect((await admin.call('PATCH', `/api/v1/admin/users/${u.id}`, { districts: ['d2'] })).status).toBe(200);
    expect(await status(c.token as string)).toBe(401);
    expect(await within(cut)).not.toBe('timeout');
    const d = await new ApiClient(t.url).login(u.phone);
    expect((await admin.call('PATCH', `/api/v1/admin/users/${u.id}`, { role: 'leader' })).status).toBe(200);
    expect(await status(d.token as string)).toBe(401);
  });

  it('logout cuts the socket, and the token cannot connect or join again', async () => {
    const u = await newUser();
    const c = await new ApiClient(t.url).login(u.phone);
    const { socket, cut } = await screen(c.token as string);
    const told = nextEvent(socket, 'access', 3000);
    expect((await c.post('/api/v1/auth/logout')).status).toBe(204);
    expect(await told).toMatchObject({ scopes: [], reason: 'session ended' });
    expect(await within(cut)).not.toBe('timeout');
    expect(await handshake(c.token as string)).toBe('unauthorized');
  });
});
