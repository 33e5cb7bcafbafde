import type { Store } from '@edu/analytics';
import { disposeTestStore, FIXTURE_DAY, fixtureCityEvents, openTestStore, TEST_ENGINES } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import {
  ApiClient,
  connectScreen,
  nextEvent,
  startTestStreamer,
  storeEvents,
  TEST_PASSWORD,
  type ScreenSocket,
  type TestStreamer,
} from '../testing/harness.ts';

// User administration and the audit page's API (manual §2.1): create with a duplicate phone
// refused, a password reset back to 123456 with a forced change (and every session and
// socket of the user ended), the audit read filtered by actor, action, outcome and day, names
// beside ids, refusals included; staff and leaders refused the administrators' routes, and
// those refusals audited too.

const NOW = Date.parse(`${FIXTURE_DAY}T16:00:00+08:00`);

interface Entry {
  ts: string;
  actor_id: string;
  actor_name: string | null;
  action: string;
  target: string;
  target_name: string | null;
  ok: boolean;
}
interface AuditAnswer {
  entries: Entry[];
  actors: { user_id: string; name: string }[];
}

describe.each(TEST_ENGINES)('user administration and the audit on %s', (engine) => {
  let store: Store;
  let t: TestStreamer;
  let admin: ApiClient;
  let leader: ApiClient;
  let staff: ApiClient;
  const sockets: ScreenSocket[] = [];
  /** The seeded staff member of d1, by the name the directory gives them. */
  const staffName = () => t.streamer.users.get('seed-staff-d1')?.name;

  beforeAll(async () => {
    store = await openTestStore(engine, 'admin');
    await storeEvents(store, fixtureCityEvents());
    t = await startTestStreamer(store, { clock: new ManualClock(NOW) });
    admin = await new ApiClient(t.url).login('13800000000');
    leader = await new ApiClient(t.url).login('13800000001');
    staff = await new ApiClient(t.url).login('13900000001');
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  it('creates a user, and refuses a second one with the same phone (409 user_exists)', async () => {
    const body = { phone: '13700000101', name: '新专干', role: 'staff', districts: ['d1'], dimensions: ['safety'] };
    const made = await admin.post<{ user_id: string; must_change_password: boolean; disabled: boolean }>(
      '/api/v1/admin/users',
      body,
    );
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ must_change_password: true, disabled: false });
    const again = await admin.post<{ code: string }>('/api/v1/admin/users', { ...body, name: '另一人' });
    expect([again.status, again.body.code]).toEqual([409, 'user_exists']);
    const bad = await admin.post<{ code: string }>('/api/v1/admin/users', { ...body, phone: '12345' });
    expect([bad.status, bad.body.code]).toEqual([400, 'bad_request']);
    const list = await admin.get<{ users: { phone: string; disabled: boolean }[] }>('/api/v1/admin/users');
    expect(list.body.users.filter((u) => u.phone === body.phone)).toEqual([
      expect.objectContaining({ phone: body.phone, disabled: false }),
    ]);
  });

  it("resets a password to 123456: the user's sessions and sockets end, the next login must change it", async () => {
    const made = await admin.post<{ user_id: string }>('/api/v1/admin/users', {
      phone: '13700000102',
      name: '待重置',
      role: 'staff',
      districts: ['d1'],
    });
    const user = await new ApiClient(t.url).login('13700000102'); // now on TEST_PASSWORD
    const socket = connectScreen(t.url, user.token as string);
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const told = nextEvent(socket, 'access', 5000);

    const r = await admin.post<{ must_change_password: boolean }>(
      `/api/v1/admin/users/${made.body.user_id}/password-reset`,
    );
    expect([r.status, r.body.must_change_password]).toEqual([200, true]);
    expect(await told).toMatchObject({ scopes: [] });
    expect((await user.get('/api/v1/me')).status).toBe(401);
    // The old password no longer works; the initial one signs in only to change it.
    const old = await new ApiClient(t.url).post('/api/v1/auth/login', {
      phone: '13700000102',
      password: TEST_PASSWORD,
    });
    expect(old.status).toBe(401);
    const init = await new ApiClient(t.url).post<{ user: { must_change_password: boolean } }>('/api/v1/auth/login', {
      phone: '13700000102',
      password: '123456',
    });
    expect([init.status, init.body.user.must_change_password]).toEqual([200, true]);

    const missing = await admin.post<{ code: string }>('/api/v1/admin/users/no-such-user/password-reset');
    expect([missing.status, missing.body.code]).toEqual([404, 'no_user']);
  });

  it('refuses staff and leaders the administrators’ routes, and audits each refusal', async () => {
    const tries: [ApiClient, string, string, unknown][] = [
      [staff, 'POST', '/api/v1/admin/users', { phone: '13700000199', name: 'x', role: 'admin' }],
      [staff, 'POST', '/api/v1/admin/users/seed-staff-d1/password-reset', undefined],
      [leader, 'POST', '/api/v1/admin/users/seed-admin/password-reset', undefined],
      [leader, 'PATCH', '/api/v1/admin/users/seed-staff-d1', { districts: ['d1', 'd2'] }],
      [staff, 'GET', '/api/v1/audit', undefined],
      [leader, 'GET', '/api/v1/admin/users', undefined],
    ];
    for (const [who, method, path, body] of tries) {
      const r = await who.call<{ code: string }>(method, path, body);
      expect([path, r.status, r.body.code]).toEqual([path, 403, 'role_required']);
    }
    const refused = await admin.get<AuditAnswer>('/api/v1/audit?outcome=refused&action=write_refused');
    const targets = refused.body.entries.map((e) => [e.actor_name, e.target]);
    expect(targets).toEqual(
      expect.arrayContaining([
        [staffName(), '/api/v1/admin/users'],
        ['局领导', '/api/v1/admin/users/seed-admin/password-reset'],
        ['局领导', '/api/v1/admin/users/seed-staff-d1'],
      ]),
    );
    expect(refused.body.entries.every((e) => !e.ok && e.action === 'write_refused')).toBe(true);
  });

  it('filters the audit by actor, action, outcome and day, naming actors and users', async () => {
    const all = await leader.get<AuditAnswer>('/api/v1/audit');
    expect(all.status).toBe(200);
    expect(all.body.actors.map((a) => a.name)).toEqual(expect.arrayContaining(['系统管理员', '局领导', '待重置']));
    // Newest first.
    const times = all.body.entries.map((e) => Date.parse(e.ts));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const resets = await leader.get<AuditAnswer>('/api/v1/audit?actor=seed-admin&action=password_reset&outcome=ok');
    expect(resets.body.entries.map((e) => [e.actor_name, e.action, e.target_name, e.ok])).toEqual([
      ['系统管理员', 'password_reset', '待重置', true],
    ]);
    const failedReset = await leader.get<AuditAnswer>('/api/v1/audit?action=password_reset&outcome=refused');
    expect(failedReset.body.entries.map((e) => e.target)).toEqual(['no-such-user']);

    // The audit's day is the Asia/Shanghai day of the server's clock (the fixture's day here).
    const today = await leader.get<AuditAnswer>(`/api/v1/audit?from=${FIXTURE_DAY}&to=${FIXTURE_DAY}`);
    expect(today.body.entries.length).toBe(all.body.entries.length);
    const before = await leader.get<AuditAnswer>('/api/v1/audit?to=2020-01-01');
    expect(before.body.entries).toEqual([]);

    // A refused notice to another district's school names the school, not its id.
    const notice = await staff.post('/api/v1/notices', {
      target_type: 'school',
      target_id: 's3',
      dimension: 'safety',
      subject_id: 'school:s3',
      content: '越权督办',
    });
    expect(notice.status).toBe(403);
    const geo = await leader.get<{ schools: { id: string; name: string }[] }>('/api/v1/geo');
    const s3 = geo.body.schools.find((s) => s.id === 's3')?.name;
    const refusedNotice = await leader.get<AuditAnswer>('/api/v1/audit?action=notice_issue&outcome=refused');
    expect(refusedNotice.body.entries.map((e) => [e.actor_name, e.target_name])).toEqual([[staffName(), s3]]);
    expect(s3).toBeTruthy();

    const bad = await leader.get<{ code: string }>('/api/v1/audit?from=yesterday');
    expect([bad.status, bad.body.code]).toEqual([400, 'bad_request']);
    const injected = await leader.get<AuditAnswer>(`/api/v1/audit?actor=${encodeURIComponent("x' OR 1=1 --")}`);
    expect([injected.status, injected.body.entries]).toEqual([200, []]);
  });
});
