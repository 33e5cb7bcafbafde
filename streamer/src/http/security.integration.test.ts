import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { recentAudit, type Store } from '@edu/analytics';
import {
  disposeTestStore,
  FIXTURE_DAY,
  fixtureCityEvents,
  fixtureDimensionEvents,
  openTestStore,
} from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import {
  ApiClient,
  captureStderr,
  connectScreen,
  join,
  nextEvent,
  startTestStreamer,
  storeEvents,
  TEST_PASSWORD,
  type TestStreamer,
} from '../testing/harness.ts';

// Security of the HTTP surface: sessions, tokens, escalation attempts, cross-site writes,
// write rate limits, and what reaches the logs; and the items of issue 16 that are not about
// where a write's subject lives (security-scope) or sessions on Redis (security-sessions):
// login throttling and timing, trusted proxy hops, the last administrator, unknown districts,
// student ids, Origin, security headers, /metrics and /healthz, expires_at, socket expiry.

const METRICS_TOKEN = 'metrics-token-for-the-security-test';

/** A free TCP port on 127.0.0.1. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });

describe('streamer security', () => {
  let store: Store;
  let t: TestStreamer;
  const clock = new ManualClock(Date.parse(`${FIXTURE_DAY}T18:00:00+08:00`));
  const logs: string[] = [];
  let stopCapture: (() => void) | undefined;
  const screenDir = mkdtempSync(joinPath(tmpdir(), 'edu-security-screen-'));
  let internalPort = 0;

  beforeAll(async () => {
    store = await openTestStore('chdb', 'security');
    await storeEvents(store, [...fixtureCityEvents(), ...fixtureDimensionEvents()]);
    writeFileSync(joinPath(screenDir, 'index.html'), '<!doctype html><title>wall</title><div id="root"></div>');
    internalPort = await freePort();
    t = await startTestStreamer(store, {
      clock,
      config: { sessionTtlSeconds: 3600, metricsToken: METRICS_TOKEN, internalPort } as never,
      log: (m) => logs.push(m),
      staticDir: screenDir,
    });
    // Capture everything the streamer logs from here on.
    stopCapture = captureStderr(logs);
  });
  afterAll(async () => {
    stopCapture?.();
    await t?.close();
    if (store) await disposeTestStore(store);
    rmSync(screenDir, { recursive: true, force: true });
  });

  it('refuses tampered and expired tokens', async () => {
    const c = await new ApiClient(t.url).login('13800000001');
    const good = c.token as string;
    expect((await c.get('/api/v1/me')).status).toBe(200);
    c.token = good.slice(0, -2) + (good.endsWith('A') ? 'BB' : 'AA');
    expect((await c.get('/api/v1/me')).status).toBe(401);
    c.token = `${good}' OR '1'='1`;
    expect((await c.get('/api/v1/me')).status).toBe(401);
    c.token = good;
    clock.advance(3601_000);
    const expired = await c.get<{ code: string }>('/api/v1/me');
    expect([expired.status, expired.body.code]).toEqual([401, 'unauthorized']);
  });

  it('refuses and audits staff escalation attempts', async () => {
    const staff = await new ApiClient(t.url).login('13900000001'); // district d1
    const attempts: [string, string, unknown][] = [
      ['PATCH', '/api/v1/admin/users/seed-staff-d1', { districts: ['d1', 'd2'] }],
      [
        'POST',
        '/api/v1/decisions',
        {
          target_type: 'school',
          target_id: 's1',
          dimension: 'safety',
          subject_id: 'x',
          decision: 'voided',
          content: '否定',
        },
      ],
      [
        'POST',
        '/api/v1/notices',
        { target_type: 'school', target_id: 's3', dimension: 'safety', subject_id: 'x', content: '越权' },
      ],
    ];
    for (const [method, path, body] of attempts)
      expect([path, (await staff.call(method, path, body)).status]).toEqual([path, 403]);
    // Reads out of scope are escalation attempts too, over HTTP and on a live socket.
    expect((await staff.get(`/api/v1/overview?scope=district:d2&date=${FIXTURE_DAY}`)).status).toBe(403);
    const socket = connectScreen(t.url, staff.token as string);
    try {
      expect(await join(socket, 'district:d2', FIXTURE_DAY)).toMatchObject({ ok: false });
    } finally {
      socket.disconnect();
    }
    const audit = await recentAudit(store, 50);
    const refused = audit.filter((a) => a.actor_id === 'seed-staff-d1' && !a.ok);
    expect(refused.map((a) => a.action)).toEqual(
      expect.arrayContaining(['decision_voided', 'notice_issue', 'read_refused', 'join_refused']),
    );
    expect(refused.find((a) => a.action === 'read_refused')?.target).toContain('scope=district:d2');
    expect(refused.find((a) => a.action === 'join_refused')?.target).toBe('scope=district:d2');
    // The staff member's own record is unchanged.
    expect(t.streamer.users.get('seed-staff-d1')?.districts).toEqual(['d1']);
  });

  it('refuses writes from another site, and sends no CORS grant', async () => {
    const c = await new ApiClient(t.url).login('13800000001');
    const r = await c.post<{ code: string }>(
      '/api/v1/notices',
      { target_type: 'school', target_id: 's1', dimension: 'safety', subject_id: 'a', content: 'x' },
      { origin: 'https://evil.example' },
    );
    expect([r.status, r.body.code]).toEqual([403, 'cross_origin']);
    const pre = await fetch(`${t.url}/api/v1/notices`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits the rate of writes per user', async () => {
    const c = await new ApiClient(t.url).login('13800000001');
    const statuses: number[] = [];
    for (let i = 0; i < 125; i++) statuses.push((await c.post('/api/v1/alerts/nope/ack', { comment: '' })).status);
    expect(statuses.slice(0, 100).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('refuses oversize and malformed bodies with a reason', async () => {
    const c = await new ApiClient(t.url).login('13800000001');
    const big = await fetch(`${t.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '13800000001', password: 'x'.repeat(10 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
    const bad = await fetch(`${t.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"phone":',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/JSON/);
    expect((await c.get('/api/v1/me')).status).toBe(200);
  });

  it('never logs or audits passwords or tokens', async () => {
    const c = await new ApiClient(t.url).login('13800000001');
    await c.post('/api/v1/auth/login', { phone: '13800000001', password: 'Wrong-Secret-991' });
    await c.post('/api/v1/auth/password', { old_password: 'Wrong-Secret-991', new_password: 'Another-Secret-992' });
    const audit = await recentAudit(store, 1000);
    expect(audit.filter((a) => a.action === 'login').length).toBeGreaterThan(3);
    const all = logs.join('') + JSON.stringify(audit);
    // (The initial password 123456 is public, in the manual; the seeding log names it.)
    for (const secret of [TEST_PASSWORD, 'Wrong-Secret-991', 'Another-Secret-992', c.token as string])
      expect(all).not.toContain(secret);
  });

  // ---- issue 16 ----

  it('refuses a write whose Origin is `null` or another scheme; same-origin passes', async () => {
    clock.advance(61_000); // past the write-rate window of the test above
    const c = await new ApiClient(t.url).login('13800000001');
    const host = new URL(t.url).host;
    for (const origin of ['null', `https://${host}`, `ftp://${host}`, `http://${host}.evil.example`]) {
      const r = await c.post<{ code: string }>('/api/v1/alerts/nope/ack', { comment: '' }, { origin });
      expect([origin, r.status, r.body.code]).toEqual([origin, 403, 'cross_origin']);
    }
    const same = await c.post('/api/v1/alerts/nope/ack', { comment: '' }, { origin: `http://${host}` });
    expect(same.status).toBe(404);
    // A live screen from a `null` origin is refused at the handshake.
    const socket = connectScreen(t.url, c.token as string);
    socket.io.opts.extraHeaders = { origin: 'null' };
    socket.disconnect().connect();
    const answer = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (e) => resolve(e.message));
    });
    socket.disconnect();
    expect(answer).not.toBe('connected');
  });

  it('sends a Content-Security-Policy and the usual headers on the HTML, the API and Socket.IO', async () => {
    const html = await fetch(`${t.url}/`);
    expect(html.headers.get('content-type')).toMatch(/html/);
    const api = await fetch(`${t.url}/api/v1/me`);
    const io = await fetch(`${t.url}/socket.io/?EIO=4&transport=polling`);
    for (const [name, res] of [
      ['html', html],
      ['api', api],
      ['socket.io', io],
    ] as const) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect([name, csp]).toEqual([name, expect.stringContaining("script-src 'self'")]);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect([name, res.headers.get('x-content-type-options')]).toEqual([name, 'nosniff']);
      expect([name, res.headers.get('x-frame-options')]).toEqual([name, 'DENY']);
      expect([name, res.headers.get('referrer-policy')]).toEqual([name, 'no-referrer']);
    }
  });

  it('shows /metrics and the details of /healthz only with the token or on the internal port', async () => {
    const metrics = await fetch(`${t.url}/metrics`);
    expect(metrics.status).toBe(404);
    expect(await metrics.text()).not.toMatch(/edu_|login/);
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    const auth = { authorization: `Bearer ${METRICS_TOKEN}` };
    expect((await fetch(`${t.url}/metrics`, { headers: auth })).status).toBe(200);
    expect(await (await fetch(`${t.url}/healthz`, { headers: auth })).json()).toMatchObject({
      ok: true,
      checks: { clickhouse: 'ok' },
    });
    const wrong = { authorization: `Bearer ${METRICS_TOKEN.replace(/.$/, 'X')}` };
    expect((await fetch(`${t.url}/metrics`, { headers: wrong })).status).toBe(404);
    const internal = `http://127.0.0.1:${internalPort}`;
    expect((await fetch(`${internal}/metrics`)).status).toBe(200);
    expect(await (await fetch(`${internal}/healthz`)).json()).toHaveProperty('checks');
  });

  it('gives expires_at on the real clock, not the service clock', async () => {
    const r = await new ApiClient(t.url).post<{ expires_at: string }>('/api/v1/auth/login', {
      phone: '13800000001',
      password: TEST_PASSWORD,
    });
    expect(r.status).toBe(200);
    // The service clock stands at the fixture day; the session lasts an hour from now.
    expect(Math.abs(Date.parse(r.body.expires_at) - (Date.now() + 3600_000))).toBeLessThan(120_000);
  });

  it('answers the same 404 for another school’s student as for a missing one', async () => {
    const staff = await new ApiClient(t.url).login('13900000001'); // d1, every dimension
    const path = (student: string) => `/api/v1/dimensions/process/schools/s1/students/${student}/timetable`;
    expect((await staff.get(path('st1'))).status).toBe(200);
    const other = await staff.get<{ code: string }>(path('st7')); // a real student, of s3 (d2)
    const missing = await staff.get<{ code: string }>(path('st-none'));
    expect([other.status, other.body.code]).toEqual([404, 'no_student']);
    expect([missing.status, missing.body.code]).toEqual([404, 'no_student']);
  });

  it('refuses district ids the registry does not know, on create and on change', async () => {
    const admin = await new ApiClient(t.url).login('13800000000');
    const created = await admin.post('/api/v1/admin/users', {
      phone: '13600000001',
      name: '某区专干',
      role: 'staff',
      districts: ['d1', 'd99'],
    });
    expect(created.status).toBe(400);
    expect(t.streamer.users.list().some((u) => u.phone === '13600000001')).toBe(false);
    const changed = await admin.call('PATCH', '/api/v1/admin/users/seed-staff-d2', { districts: ['no-such'] });
    expect(changed.status).toBe(400);
    expect(t.streamer.users.get('seed-staff-d2')?.districts).toEqual(['d2']);
  });

  it('keeps an enabled administrator: the last one cannot demote or disable itself', async () => {
    const admin = await new ApiClient(t.url).login('13800000000');
    for (const change of [{ role: 'leader' }, { disabled: true }]) {
      const r = await admin.call<{ code: string }>('PATCH', '/api/v1/admin/users/seed-admin', change);
      expect([JSON.stringify(change), r.status, r.body.code]).toEqual([JSON.stringify(change), 409, 'last_admin']);
    }
    expect(t.streamer.users.get('seed-admin')).toMatchObject({ role: 'admin', disabled: false });
    expect((await admin.get('/api/v1/admin/users')).status).toBe(200);
    // With a second administrator, either may step down.
    const second = await admin.post<{ user_id: string }>('/api/v1/admin/users', {
      phone: '13600000002',
      name: '第二管理员',
      role: 'admin',
    });
    expect(second.status).toBe(201);
    expect((await admin.call('PATCH', `/api/v1/admin/users/${second.body.user_id}`, { disabled: true })).status).toBe(
      200,
    );
  });

  it('re-checks the session on every join: an expired session cannot join', async () => {
    const c = await new ApiClient(t.url).login('13800000001');
    const socket = connectScreen(t.url, c.token as string);
    try {
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      clock.advance(3601_000); // the session's TTL passes; the socket stays connected
      const answer = await Promise.race([
        join(socket, 'city', FIXTURE_DAY),
        new Promise((resolve) => socket.once('disconnect', () => resolve({ ok: false, error: 'disconnected' }))),
      ]);
      expect(answer).toMatchObject({ ok: false });
    } finally {
      socket.disconnect();
    }
  });

  it('does not trust X-Forwarded-For from a client: fresh addresses do not escape the limit', async () => {
    // 60 failed logins, each claiming another address (and a phone of no account).
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const r = await new ApiClient(t.url).post(
        '/api/v1/auth/login',
        { phone: `1550000${String(i).padStart(4, '0')}`, password: 'guess-it' },
        { 'x-forwarded-for': `203.0.113.${i}` },
      );
      statuses.push(r.status);
    }
    expect(statuses).toContain(429);
    clock.advance(2 * 3600_000); // the locks pass, for the tests after this one
  });
});

describe('login: per source, in constant time, and the old password throttled', () => {
  // Behind one trusted proxy hop (EDU_TRUST_PROXY=loopback here), X-Forwarded-For names the
  // source: the way to try several sources from one test.
  let store: Store;
  let t: TestStreamer;
  const clock = new ManualClock(Date.parse(`${FIXTURE_DAY}T18:00:00+08:00`));
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  beforeAll(async () => {
    store = await openTestStore('chdb', 'login');
    await storeEvents(store, fixtureCityEvents());
    t = await startTestStreamer(store, {
      clock,
      config: { sessionTtlSeconds: 3600, trustProxy: 'loopback', sessionCheckMs: 200 } as never,
    });
  });
  afterAll(async () => {
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  it('locks a phone for the source that guesses, not for its owner elsewhere', async () => {
    await new ApiClient(t.url).login('13800000001');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await new ApiClient(t.url).post(
            '/api/v1/auth/login',
            { phone: '13800000001', password: `guess-${i}` },
            from('203.0.113.66'),
          )
        ).status,
      );
    expect(statuses.at(-1)).toBe(429);
    const owner = await new ApiClient(t.url).post(
      '/api/v1/auth/login',
      { phone: '13800000001', password: TEST_PASSWORD },
      from('198.51.100.7'),
    );
    expect(owner.status).toBe(200);
  });

  it('takes as long for a phone without an account as for one with', async () => {
    const time = async (phone: string, i: number) => {
      const started = performance.now();
      const r = await new ApiClient(t.url).post(
        '/api/v1/auth/login',
        { phone, password: 'Wrong-pass-1' },
        from(`192.0.2.${i}`),
      );
      expect(r.status).toBe(401);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 8; i++) {
      // Two phones with accounts, four tries each: below any per-phone limit, old or new.
      known.push(await time(i % 2 ? '13900000002' : '13800000000', 2 * i));
      unknown.push(await time(`1590000${String(i).padStart(4, '0')}`, 2 * i + 1));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    // Without the dummy hash: about 40 ms against 6 ms.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  });

  it('throttles wrong old passwords on a password change', async () => {
    const c = await new ApiClient(t.url).login('13900000003');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (
          await c.call(
            'POST',
            '/api/v1/auth/password',
            { old_password: `guess-${i}`, new_password: 'Another-pass-9' },
            from('203.0.113.77'),
          )
        ).status,
      );
    expect(statuses.slice(0, 4)).toEqual([403, 403, 403, 403]);
    expect(statuses.at(-1)).toBe(429);
  });

  it('cuts a socket whose session expired, without waiting for it to join', async () => {
    const c = await new ApiClient(t.url).login('13800000001');
    const socket = connectScreen(t.url, c.token as string);
    try {
      const snapshot = nextEvent(socket, 'snapshot');
      expect(await join(socket, 'city', FIXTURE_DAY)).toEqual({ ok: true });
      await snapshot;
      const cut = new Promise((resolve) => socket.once('disconnect', resolve));
      clock.advance(3601_000);
      expect(
        await Promise.race([cut.then(() => 'cut'), new Promise((r) => setTimeout(() => r('still open'), 3000))]),
      ).toBe('cut');
    } finally {
      socket.disconnect();
    }
  });
});
