import { findAudit, insertDisplayVersion, loadDisplays, type Store } from '@edu/analytics';
import { disposeTestStore, FIXTURE_DAY, fixtureCityEvents, openTestStore, TEST_ENGINES } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAIRING_ALPHABET, PAIRING_CODE_LENGTH, PAIRING_CODE_TTL_MS } from '../auth/displays.ts';
import { ManualClock } from '../clock.ts';
import { MemorySharedState } from '../shared/memory-state.ts';
import {
  ApiClient,
  connectScreen,
  join,
  nextEvent,
  startTestStreamer,
  storeEvents,
  type ScreenSocket,
  type TestStreamer,
} from '../testing/harness.ts';

// Wall displays (issue 12 §3): an administrator registers a display and gets a pairing code;
// the wall pairs with it (no login) and holds a read-only credential bound to the display's
// scope: it reads that scope's wall (socket and read API) and nothing else, writes nothing,
// survives a restart of the streamer and of its shared state (ClickHouse keeps the hashed
// credential), and is cut at once when revoked. Wrong, expired and used codes are refused
// with their codes; every step is audited.

const SIX_PM = Date.parse(`${FIXTURE_DAY}T18:00:00+08:00`);

interface Registered {
  display: { display_id: string; name: string; scope_name: string; state: string };
  code: string;
  expires_at: string;
}
interface Paired {
  token: string;
  display: { display_id: string; name: string; scope: string; scope_name: string; rotate: boolean; sound: boolean };
}

describe.each(TEST_ENGINES)('wall displays on %s', (engine) => {
  let store: Store;
  let t: TestStreamer;
  let admin: ApiClient;
  const real = new ManualClock(Date.now());
  const sockets: ScreenSocket[] = [];
  const city = new ManualClock(SIX_PM);
  const start = async () => {
    t = await startTestStreamer(store, {
      clock: city,
      realClock: real,
      shared: new MemorySharedState(real),
    });
    admin = await new ApiClient(t.url).login('13800000000');
  };
  const register = async (name: string, scope: string, extra: Record<string, unknown> = {}) => {
    const r = await admin.post<Registered>('/api/v1/admin/displays', { name, scope, ...extra });
    expect(r.status).toBe(201);
    return r.body;
  };
  const pair = (code: string) =>
    new ApiClient(t.url).post<Paired & { code?: string }>('/api/v1/displays/pair', { code });
  const as = (token: string) => Object.assign(new ApiClient(t.url), { token });
  const screen = (token: string) => {
    const s = connectScreen(t.url, token);
    sockets.push(s);
    return s;
  };
  const handshake = (token: string) =>
    new Promise<string>((resolve) => {
      const s = screen(token);
      s.once('connect', () => resolve('connected'));
      s.once('connect_error', (e) => resolve(e.message));
    });

  beforeAll(async () => {
    store = await openTestStore(engine, 'displays');
    await storeEvents(store, fixtureCityEvents());
    await start();
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  it('registers a display with a short code, pairs it without a login, and reads its scope only', async () => {
    const reg = await register('指挥中心一号屏', 'district:d1', { rotate: true, sound: true });
    expect(reg.code).toMatch(new RegExp(`^[${PAIRING_ALPHABET}]{${PAIRING_CODE_LENGTH}}$`));
    expect(Date.parse(reg.expires_at) - real.now()).toBe(PAIRING_CODE_TTL_MS);
    expect(reg.display).toMatchObject({ state: 'pending', name: '指挥中心一号屏' });
    expect(reg.display.scope_name).not.toBe('');

    // Typed in lower case with a space: the same code.
    const typed = `${reg.code.slice(0, 3).toLowerCase()} ${reg.code.slice(3)}`;
    const p = await pair(typed);
    expect(p.status).toBe(200);
    expect(p.body.display).toMatchObject({ name: '指挥中心一号屏', scope: 'district:d1', rotate: true, sound: true });
    const d = as(p.body.token);

    const me = await d.get<{ scopes: string[]; display: { scope: string } }>('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.scopes).toEqual(['district:d1']);
    expect((await d.get(`/api/v1/overview?scope=district:d1&date=${FIXTURE_DAY}`)).status).toBe(200);
    expect((await d.get(`/api/v1/snapshot?scope=district:d1&date=${FIXTURE_DAY}`)).status).toBe(200);
    // Its own scope without naming it, and nothing outside it.
    const own = await d.get<{ scope: string }>(`/api/v1/overview?date=${FIXTURE_DAY}`);
    expect(own.body.scope).toBe('district:d1');
    const other = await d.get<{ code: string }>(`/api/v1/overview?scope=district:d2&date=${FIXTURE_DAY}`);
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('outside_display_scope');
    expect((await d.get<{ code: string }>(`/api/v1/overview?scope=city`)).body.code).toBe('outside_display_scope');
    const geo = await d.get<{ districts: { id: string }[] }>('/api/v1/geo');
    expect(geo.body.districts.map((x) => x.id)).toEqual(['d1']);

    // The socket: its scope joins and gets the snapshot, another district is refused.
    const s = screen(p.body.token);
    const snap = nextEvent(s, 'snapshot');
    expect(await join(s, 'district:d1', FIXTURE_DAY)).toEqual({ ok: true });
    expect((await snap).overview.scope).toBe('district:d1');
    expect(await join(s, 'district:d2', FIXTURE_DAY)).toMatchObject({ ok: false, code: 'outside_display_scope' });
    expect(await join(s, 'city', FIXTURE_DAY)).toMatchObject({ ok: false, code: 'outside_display_scope' });
  });

  it('a zone display reads its zone: its places, its alerts, its schools, nothing beside them', async () => {
    // The alert rules raise a condition once it has held its pending period.
    for (let i = 0; i < 4 && !t.streamer.alerts.all().some((x) => x.school_id === 's1'); i++) {
      await t.streamer.evaluator.evaluate();
      city.advance(10 * 60_000);
    }
    city.set(SIX_PM);
    const all = await admin.get<{ alerts: { school_id: string }[] }>('/api/v1/alerts');
    expect(all.body.alerts.some((a) => a.school_id === 's1')).toBe(true); // so the filter below can fail
    const reg = await register('二学区屏', 'zone:z2');
    const p = await pair(reg.code);
    const d = as(p.body.token);
    const alerts = await d.get<{ alerts: { school_id: string }[] }>('/api/v1/alerts');
    expect(alerts.status).toBe(200);
    for (const a of alerts.body.alerts) expect(['s2', 's5']).toContain(a.school_id);
    const geo = await d.get<{ districts: { id: string }[]; zones: { id: string }[]; schools: { id: string }[] }>(
      '/api/v1/geo',
    );
    expect(geo.body.districts.map((x) => x.id)).toEqual(['d1']); // its name, for the breadcrumb
    expect(geo.body.zones.map((x) => x.id)).toEqual(['z2']);
    expect(geo.body.schools.map((x) => x.id).sort()).toEqual(['s2', 's5']);
    expect((await d.get(`/api/v1/overview?scope=school:s2&date=${FIXTURE_DAY}`)).status).toBe(200);
    for (const scope of ['school:s1', 'zone:z1', 'district:d1'])
      expect((await d.get<{ code: string }>(`/api/v1/overview?scope=${scope}&date=${FIXTURE_DAY}`)).body.code).toBe(
        'outside_display_scope',
      );
  });

  it('can never write: no notices, no acknowledgements, no decisions, no administration', async () => {
    const reg = await register('只读屏', 'city');
    const d = as((await pair(reg.code)).body.token);
    const refused = [
      await d.post<{ code: string }>('/api/v1/notices', {
        target_id: 's1',
        dimension: 'safety',
        deadline: '2099-01-01',
      }),
      await d.post<{ code: string }>('/api/v1/alerts/any/ack', { comment: 'x' }),
      await d.post<{ code: string }>('/api/v1/admin/displays', { name: 'x', scope: 'city' }),
      await d.get<{ code: string }>('/api/v1/admin/displays'),
      await d.get<{ code: string }>('/api/v1/audit'),
      await d.post<{ code: string }>('/api/v1/auth/logout'),
      await d.post<{ code: string }>('/api/v1/auth/password', { old_password: 'x', new_password: 'Abcdefg123' }),
    ];
    for (const r of refused) expect([r.status, r.body.code]).toEqual([403, 'display_read_only']);
    const entries = await findAudit(store, { action: 'write_refused' }, 50);
    expect(entries.some((e) => e.actor_id === `display:${reg.display.display_id}`)).toBe(true);
  });

  it('refuses a wrong, a used and an expired code, each with its code', async () => {
    const reg = await register('二号屏', 'city');
    const wrongCode = reg.code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ';
    const wrong = await pair(wrongCode);
    expect([wrong.status, wrong.body.code]).toEqual([401, 'pairing_code_wrong']);
    expect((await pair(reg.code)).status).toBe(200);
    const again = await pair(reg.code);
    expect([again.status, again.body.code]).toEqual([409, 'pairing_code_used']);

    const late = await register('三号屏', 'city');
    real.advance(PAIRING_CODE_TTL_MS + 1000);
    const expired = await pair(late.code);
    expect([expired.status, expired.body.code]).toEqual([410, 'pairing_code_expired']);
    // A new code for it works; the earlier one is forgotten.
    const fresh = await admin.post<{ code: string }>(`/api/v1/admin/displays/${late.display.display_id}/code`);
    expect(fresh.status).toBe(200);
    expect((await pair(fresh.body.code)).status).toBe(200);
    expect((await pair(late.code)).body.code).toBe('pairing_code_wrong');
  });

  it('throttles pairing attempts like logins', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await pair(`QQQQQ${PAIRING_ALPHABET[i]}`)).status);
    expect(codes).toContain(429);
    // The lock is per source and desk: it passes with time.
    real.advance(3_600_000);
  });

  it('revoking cuts the open socket at once, and the credential is dead', async () => {
    const reg = await register('四号屏', 'district:d1');
    const p = await pair(reg.code);
    const s = screen(p.body.token);
    const snap = nextEvent(s, 'snapshot');
    expect(await join(s, 'district:d1', FIXTURE_DAY)).toEqual({ ok: true });
    await snap;
    const access = nextEvent(s, 'access', 3000);
    const cut = new Promise<void>((resolve) => s.once('disconnect', () => resolve()));
    const r = await admin.post<{ display: { state: string } }>(
      `/api/v1/admin/displays/${reg.display.display_id}/revoke`,
    );
    expect(r.body.display.state).toBe('revoked');
    expect((await access).code).toBe('unauthorized');
    await cut;
    expect((await as(p.body.token).get('/api/v1/me')).status).toBe(401);
    expect(await handshake(p.body.token)).toBe('unauthorized');
    // A revocation is final: a later version racing it (a pairing on another instance) cannot undo it.
    const [row] = await loadDisplays(store, reg.display.display_id);
    if (!row) throw new Error('no display row');
    await insertDisplayVersion(store, { ...row, version: row.version + 1, revoked: false, revoked_ms: 0 });
    expect((await loadDisplays(store, reg.display.display_id))[0]?.revoked).toBe(true);
    // A code for a revoked display is refused.
    const code = await admin.post<{ code: string }>(`/api/v1/admin/displays/${reg.display.display_id}/code`);
    expect([code.status, code.body.code]).toEqual([409, 'display_revoked']);
  });

  it('lists displays with scope names, state, last seen and build; audits every step', async () => {
    const reg = await register('五号屏', 'city');
    const p = await pair(reg.code);
    const s = connectScreen(t.url, p.body.token);
    sockets.push(s);
    (s.auth as Record<string, unknown>).build = 'build-test-1';
    await new Promise<void>((resolve) => s.once('connect', () => resolve()));
    let row: Record<string, unknown> | undefined;
    for (let i = 0; i < 50 && !row?.build; i++) {
      const list = await admin.get<{ displays: Record<string, unknown>[] }>('/api/v1/admin/displays');
      row = list.body.displays.find((x) => x.display_id === reg.display.display_id);
      if (!row?.build) await new Promise((r) => setTimeout(r, 50));
    }
    expect(row).toMatchObject({ name: '五号屏', scope_name: '全市', state: 'paired', build: 'build-test-1' });
    expect(row?.last_seen_at).toEqual(expect.any(String));
    const audit = await findAudit(store, {}, 500);
    const actions = new Set(audit.filter((e) => e.action.startsWith('display_')).map((e) => `${e.action}:${e.ok}`));
    for (const a of ['display_register:true', 'display_pair:true', 'display_pair:false', 'display_revoke:true'])
      expect(actions).toContain(a);
  });

  it('keeps its credential across a restart of the streamer and of its shared state', async () => {
    const reg = await register('六号屏', 'district:d1');
    const p = await pair(reg.code);
    await t.close();
    await start(); // a fresh MemorySharedState: what Redis held is gone
    const d = as(p.body.token);
    expect((await d.get<{ name: string }>('/api/v1/me')).body.name).toBe('六号屏');
    const s = screen(p.body.token);
    const snap = nextEvent(s, 'snapshot');
    expect(await join(s, 'district:d1', FIXTURE_DAY)).toEqual({ ok: true });
    expect((await snap).overview.scope).toBe('district:d1');
  });
});
