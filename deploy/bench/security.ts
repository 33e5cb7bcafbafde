import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { loadNotices, recentAudit, type Notice } from '@edu/analytics';
import {
  disposeTestStore,
  FIXTURE_DAY,
  fixtureCityEvents,
  fixtureDimensionEvents,
  openTestStore,
} from '@edu/analytics/testing';
import { createIngest } from '@edu/ingest';
import { goodCheckin } from '@edu/ingest/testing/hostile';
import { postToIntake } from '@edu/ingest/testing/intake';
import { testIngestConfig } from '@edu/ingest/testing/kafka';
import { ManualClock } from '@edu/streamer';
import {
  ApiClient,
  captureStderr,
  connectScreen,
  join,
  nextEvent,
  startTestStreamer,
  storeEvents,
  TEST_PASSWORD,
  type ScreenSocket,
} from '@edu/streamer/testing';

// The security suite (brute force, tampered and expired tokens, staff escalation, cross-site
// writes, write rate limits, secrets in logs; and issue 16: writes placed by where their subject
// lives, sessions that end when they should, login per source and in constant time, the last
// administrator, unknown districts, student ids, Idempotency-Key reuse, Origin, security
// headers, /metrics and /healthz, expires_at, forged check-ins; issue 14: source keys of the HTTP
// intake; issue 11: 一师一表 and the chart module kept to the reader's scope and dimensions, the
// administrators' user routes and the audit refused to staff and leaders):
// every attempt against a real streamer (and ingest's intake) over HTTP,
// with the answer it got and whether the refusal was audited. Injected HTML rendered inert on
// the screens is shown by the browser tests (screen/e2e: hostile names).
//
//   npx tsx deploy/bench/security.ts     (needs nothing running: chDB in-process; about 20 s)
// Its reduced form in the suite: streamer/src/http/security.integration.test.ts,
// security-scope.integration.test.ts (both engines, Kafka, Redis),
// security-sessions.integration.test.ts (Redis), security-attendance.integration.test.ts
// (both engines), security-reads.integration.test.ts (both engines), admin.integration.test.ts
// (both engines: the administrators' routes refused and audited), and the staff-scope tests of
// api.integration.test.ts and dimensions.integration.test.ts.

const SIX_PM = Date.parse(`${FIXTURE_DAY}T18:00:00+08:00`);
const METRICS_TOKEN = 'metrics-token-of-the-security-suite';
const clock = new ManualClock(SIX_PM);
const logs: string[] = [];
const store = await openTestStore('chdb', 'security_suite');
// Issue 11: teacher t4 (d2's s3 and s4) also teaches one class at d1's s1, on the fixture week's
// Saturday (the day's figures are untouched).
const t4AtS1 = {
  id: 'sec-t4-s1',
  type: 'session_scheduled' as const,
  ts: '2026-11-20T08:00:00+08:00',
  school_id: 's1',
  session_id: 'se-t4-s1',
  offering_id: 'o1',
  course_id: 'c-o1',
  teacher_id: 't4',
  room: '102',
  planned_start: '2026-11-28T09:00:00+08:00',
  planned_end: '2026-11-28T10:00:00+08:00',
};
await storeEvents(store, [...fixtureCityEvents(), ...fixtureDimensionEvents(), t4AtS1]);
const screenDir = mkdtempSync(joinPath(tmpdir(), 'edu-security-screen-'));
writeFileSync(joinPath(screenDir, 'index.html'), '<!doctype html><title>wall</title><div id="root"></div>');
const t = await startTestStreamer(store, {
  clock,
  config: { sessionTtlSeconds: 3600, sessionCheckMs: 200, metricsToken: METRICS_TOKEN } as never,
  log: (m) => logs.push(m),
  staticDir: screenDir,
});
// A second streamer behind one trusted proxy hop (EDU_TRUST_PROXY=loopback): X-Forwarded-For
// names the source, the way to try several sources from one machine.
const proxied = await startTestStreamer(store, {
  clock: new ManualClock(SIX_PM),
  config: { sessionTtlSeconds: 3600, trustProxy: 'loopback' } as never,
});
const stopCapture = captureStderr(logs);

const rows: string[] = ['| attempt | answer | required | audited |', '|---|---|---|---|'];
let failures = 0;
const row = (attempt: string, got: string, ok: boolean, required: string, audited = '—') => {
  if (!ok) failures++;
  rows.push(`| ${attempt} | ${got} | ${required}${ok ? '' : ' — **NOT MET**'} | ${audited} |`);
};
const auditedRefusal = async (actor: string, action: string) =>
  (await recentAudit(store, 500)).some((a) => a.actor_id === actor && a.action === action && !a.ok) ? 'yes' : 'no';
const sockets: ScreenSocket[] = [];
const within = <T>(p: Promise<T>, ms = 3000) =>
  Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);
const withToken = (token: string | null) => Object.assign(new ApiClient(t.url), { token });
const meStatus = async (token: string | null) => (await withToken(token).get('/api/v1/me')).status;

// Brute force: failed logins for one phone are throttled.
{
  const c = new ApiClient(t.url);
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++)
    statuses.push((await c.post('/api/v1/auth/login', { phone: '13800000001', password: `guess-${i}` })).status);
  const first429 = statuses.indexOf(429);
  row(
    '10 wrong passwords for one phone',
    statuses.join(' '),
    first429 > 0 && first429 <= 6,
    'throttled (429) within 6 tries',
  );
  clock.advance(3600_000); // the throttle window passes
}

const leader = await new ApiClient(t.url).login('13800000001');
const admin = await new ApiClient(t.url).login('13800000000');
const token = leader.token as string;
// Tokens.
for (const [name, forged] of [
  ['tampered token (last characters changed)', token.slice(0, -2) + (token.endsWith('A') ? 'BB' : 'AA')],
  ["token with SQL appended (' OR '1'='1)", `${token}' OR '1'='1`],
  ['no token', ''],
] as const) {
  const r = await withToken(forged || null).get('/api/v1/me');
  row(name, String(r.status), r.status === 401, '401');
}
{
  const c = await new ApiClient(t.url).login('13800000001');
  clock.advance(3601_000);
  const r = await c.get<{ code: string }>('/api/v1/me');
  row('expired token (session TTL passed)', `${r.status} ${r.body.code}`, r.status === 401, '401');
}
await leader.login('13800000001');
await admin.login('13800000000');

// Staff of district d1, whom the administrator keeps to the budget and safety dimensions (the
// change ends their sessions, so they sign in after it).
{
  const r = await admin.call('PATCH', '/api/v1/admin/users/seed-staff-d1', { dimensions: ['safety', 'budget'] });
  if (r.status !== 200)
    throw new Error(`narrowing the staff member's dimensions: ${r.status} ${JSON.stringify(r.body)}`);
}
const staff = await new ApiClient(t.url).login('13900000001');
const reads: [string, string][] = [
  ['the city overview', `/api/v1/overview?scope=city&date=${FIXTURE_DAY}`],
  ["another district's overview", `/api/v1/overview?scope=district:d2&date=${FIXTURE_DAY}`],
  ["another district's school", `/api/v1/dimensions/safety/schools/s3?date=${FIXTURE_DAY}`],
  ['a dimension not theirs (materials)', `/api/v1/dimensions/material?scope=district:d1&date=${FIXTURE_DAY}`],
  ["a student's timetable (names out of scope)", `/api/v1/dimensions/process/schools/s1/students/st1/timetable`],
  ['a chart of dimensions not theirs (图表·统计)', `/api/v1/charts/totals?scope=district:d1&date=${FIXTURE_DAY}`],
];
const refusalsOf = async (actor: string) =>
  (await recentAudit(store, 5000)).filter((a) => a.actor_id === actor && !a.ok).length;
for (const [name, path] of reads) {
  const before = await refusalsOf('seed-staff-d1');
  const r = await staff.get(path);
  const audited = (await refusalsOf('seed-staff-d1')) > before ? 'yes' : 'no';
  row(`staff reads ${name}`, String(r.status), r.status === 403 && audited === 'yes', '403, audited', audited);
}
{
  // The same read on a live screen: joining another district's room.
  const before = await refusalsOf('seed-staff-d1');
  const socket = connectScreen(t.url, staff.token as string);
  const answer = await join(socket, 'district:d2', FIXTURE_DAY).finally(() => socket.disconnect());
  const audited = (await refusalsOf('seed-staff-d1')) > before ? 'yes' : 'no';
  const got = answer.ok ? 'joined' : (answer.error ?? 'refused');
  row("staff joins another district's live room", got, !answer.ok && audited === 'yes', 'refused, audited', audited);
}
const writes: [string, string, string, unknown][] = [
  [
    'staff issues 否定 (leader only)',
    '/api/v1/decisions',
    'decision_voided',
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
    "staff issues a notice to another district's school",
    '/api/v1/notices',
    'notice_issue',
    { target_type: 'school', target_id: 's3', dimension: 'safety', subject_id: 'x', content: '越权' },
  ],
];
for (const [name, path, action, body] of writes) {
  const r = await staff.post(path, body);
  row(name, String(r.status), r.status === 403, '403', await auditedRefusal('seed-staff-d1', action));
}
{
  const r = await staff.call('PATCH', '/api/v1/admin/users/seed-staff-d1', { districts: ['d1', 'd2'] });
  const unchanged = JSON.stringify(t.streamer.users.get('seed-staff-d1')?.districts) === '["d1"]';
  row(
    'staff grants themselves a second district',
    String(r.status),
    r.status === 403 && unchanged,
    '403, record unchanged',
  );
}
// Issue 11: the administrators' user routes (用户管理) and the audit (操作日志), tried by staff and
// a leader; every refusal audited (write_refused / read_refused) and nothing changed.
{
  const before = JSON.stringify(t.streamer.users.list());
  const tries: [string, ApiClient, string, string, string, unknown][] = [
    [
      'staff creates an administrator',
      staff,
      'POST',
      '/api/v1/admin/users',
      'write_refused',
      {
        phone: '13700000999',
        name: '冒名管理员',
        role: 'admin',
      },
    ],
    [
      "staff resets the administrator's password",
      staff,
      'POST',
      '/api/v1/admin/users/seed-admin/password-reset',
      'write_refused',
      undefined,
    ],
    [
      "a leader resets a staff member's password",
      leader,
      'POST',
      '/api/v1/admin/users/seed-staff-d1/password-reset',
      'write_refused',
      undefined,
    ],
    [
      "a leader changes a staff member's districts",
      leader,
      'PATCH',
      '/api/v1/admin/users/seed-staff-d1',
      'write_refused',
      {
        districts: ['d1', 'd2'],
      },
    ],
    ['a leader lists the users', leader, 'GET', '/api/v1/admin/users', 'read_refused', undefined],
    ['staff read the audit', staff, 'GET', '/api/v1/audit', 'read_refused', undefined],
  ];
  for (const [name, who, method, path, action, body] of tries) {
    const r = await who.call(method, path, body);
    const actor = who === staff ? 'seed-staff-d1' : 'seed-leader';
    // This very attempt in the audit: its actor, action and address.
    const audited = (await recentAudit(store, 500)).some(
      (e) => e.actor_id === actor && e.action === action && e.target === path && !e.ok,
    );
    row(name, String(r.status), r.status === 403, '403', audited ? 'yes' : 'no');
  }
  const same = JSON.stringify(t.streamer.users.list()) === before;
  row('users after those attempts', same ? 'unchanged' : 'CHANGED', same, 'unchanged');
}

// Issue 16: every write placed by where its subject lives. A staff member of d1 with every
// dimension; district 2's material m10, offering o4 and budget b2 are all at s3.
const staffAll = await (async () => {
  const r = await admin.post<{ user_id: string }>('/api/v1/admin/users', {
    phone: '13700000001',
    name: '东城区专干（全部维度）',
    role: 'staff',
    districts: ['d1'],
  });
  if (r.status !== 201) throw new Error(`creating a staff member: ${r.status} ${JSON.stringify(r.body)}`);
  return new ApiClient(t.url).login('13700000001');
})();
const staffAllId = t.streamer.users.list().find((u) => u.phone === '13700000001')?.user_id ?? '';
const staff2 = await new ApiClient(t.url).login('13900000002'); // district d2
const published = () => (t.publisher as unknown as { published: unknown[] }).published.length;
const stored = async () => (await loadNotices(store, 0)).length;
/** A write that must be refused: its answer, and whether anything was published or stored. */
const attempt = async (c: ApiClient, path: string, body: unknown, headers: Record<string, string> = {}) => {
  const [p0, s0] = [published(), await stored()];
  const r = await c.post<{ code: string }>(path, body, headers);
  const leaked = published() !== p0 || (await stored()) !== s0;
  return { status: r.status, code: r.body?.code, leaked };
};
{
  const decision = (subject: string, dimension: string, target = 's1') => ({
    target_type: 'school',
    target_id: target,
    dimension,
    subject_id: subject,
    decision: 'rejected',
    content: '材料不全',
  });
  for (const [name, body] of [
    ["staff rejects another district's material, naming their own school", decision('m10', 'material')],
    ["staff rejects another district's offering, naming their own school", decision('o4', 'course')],
    ["staff rejects another district's budget, naming their own school", decision('b2', 'budget')],
  ] as const) {
    const r = await attempt(staffAll, '/api/v1/decisions', body);
    row(
      name,
      `${r.status}${r.leaked ? ', published' : ''}`,
      r.status === 404 && !r.leaked,
      '404, nothing published or stored',
      await auditedRefusal(staffAllId, 'decision_rejected'),
    );
  }
  const unknown = await attempt(leader, '/api/v1/decisions', decision('no-such-material', 'material'));
  row(
    'a leader decides on an unknown subject',
    String(unknown.status),
    unknown.status === 404 && !unknown.leaked,
    '404',
  );
  const target = await attempt(leader, '/api/v1/decisions', decision('m1', 'material', 'no-such-school'));
  row('a decision for an unknown school', String(target.status), target.status === 404 && !target.leaked, '404');
  const op = await attempt(staffAll, '/api/v1/notices', {
    target_type: 'operator',
    target_id: 'op2',
    dimension: 'feedback',
    subject_id: 'operator:op2',
    content: '请整改',
  });
  row(
    "staff issues 一键监管 to another district's operator",
    String(op.status),
    op.status === 403 && !op.leaked,
    '403, nothing published',
  );
}
{
  // An alert of district 2, cited as the subject of a notice to the staff member's own school.
  for (let i = 0; i < 4 && !t.streamer.alerts.all().some((a) => a.district_id === 'd2'); i++) {
    await t.streamer.evaluator.evaluate();
    clock.advance(10 * 60_000);
  }
  const alert = t.streamer.alerts.all().find((a) => a.district_id === 'd2' && a.state === 'open');
  if (!alert) row("staff moves another district's alert through a notice", 'no d2 alert raised', false, '404');
  else {
    const r = await attempt(staffAll, '/api/v1/notices', {
      target_type: 'school',
      target_id: 's1',
      dimension: alert.dimension,
      subject_id: alert.id,
      content: '请核实',
    });
    const state = t.streamer.alerts.get(alert.id)?.state;
    row(
      "staff cites another district's alert as the subject of a notice to their own school",
      `${r.status}, alert ${state}`,
      r.status === 404 && !r.leaked && state === 'open',
      '404, alert unchanged',
    );
  }
}
{
  // Notices per district: d2's notice to provider p2 (about its teacher t4, at s3).
  const d2 = await staff2.post<Notice>('/api/v1/notices', {
    target_type: 'provider',
    target_id: 'p2',
    dimension: 'feedback',
    subject_id: 'teacher:t4',
    content: '教师资质问题，请整改',
  });
  const listed = (await staffAll.get<{ notices: Notice[] }>('/api/v1/notices?scope=district:d1')).body.notices;
  const leaks = listed.some((n) => n.notice_id === d2.body.notice_id);
  row(
    "staff lists notices (another district's notice to a provider exists)",
    leaks ? 'listed' : 'not listed',
    d2.status === 201 && !leaks,
    'not listed',
  );
  const again = await staff2.post<{ code: string; notice?: Notice }>('/api/v1/notices', {
    target_type: 'provider',
    target_id: 'p2',
    dimension: 'feedback',
    subject_id: 'teacher:t4',
    content: '再次',
  });
  const mine = await staffAll.post<{ code?: string }>('/api/v1/notices', {
    target_type: 'provider',
    target_id: 'p2',
    dimension: 'feedback',
    subject_id: 'teacher:t4',
    content: '越区',
  });
  row(
    "the 409 notice_exists to another district's staff",
    `${mine.status}${JSON.stringify(mine.body).includes(d2.body.notice_id) ? ', notice handed back' : ''}`,
    again.status === 409 && mine.status === 403 && !JSON.stringify(mine.body).includes(d2.body.notice_id),
    '403, no notice handed back',
  );
}
{
  const body = { target_type: 'school', target_id: 's2', dimension: 'material', subject_id: 'm5', content: '请补充' };
  const key = { 'Idempotency-Key': 'suite-key-0001' };
  const first = await leader.post<Notice>('/api/v1/notices', body, key);
  const other = await attempt(leader, '/api/v1/notices', { ...body, target_id: 's1', subject_id: 'm1' }, key);
  row(
    'an Idempotency-Key reused with another body',
    `${other.status} ${other.code ?? ''}`,
    first.status === 201 && other.status === 422 && !other.leaked,
    '422, nothing published',
  );
}

// Issue 16: sessions that end when they should.
let nextPhone = 13700000100;
const newUser = async () => {
  const phone = String(++nextPhone);
  const r = await admin.post<{ user_id: string }>('/api/v1/admin/users', {
    phone,
    name: `测试${phone.slice(-3)}`,
    role: 'staff',
    districts: ['d1'],
  });
  return { id: r.body.user_id, phone };
};
const screen = async (tok: string) => {
  const socket = connectScreen(t.url, tok);
  sockets.push(socket);
  const cut = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
  const snapshot = nextEvent(socket, 'snapshot');
  await join(socket, 'district:d1', FIXTURE_DAY);
  await snapshot;
  return { socket, cut };
};
{
  const u = await newUser();
  const a = await new ApiClient(t.url).login(u.phone);
  const b = await new ApiClient(t.url).login(u.phone);
  const { cut } = await screen(b.token as string);
  await a.post('/api/v1/auth/password', { old_password: TEST_PASSWORD, new_password: 'Changed-pass-2' });
  const [sa, sb, s] = [await meStatus(a.token), await meStatus(b.token), await within(cut)];
  row(
    'password change: the other session and its socket',
    `${sa} ${sb}, socket ${s === 'timeout' ? 'open' : 'cut'}`,
    sa === 401 && sb === 401 && s !== 'timeout',
    '401 401, socket cut',
  );
}
{
  const u = await newUser();
  const early = await new ApiClient(t.url).post<{ token: string }>('/api/v1/auth/login', {
    phone: u.phone,
    password: '123456',
  });
  await new ApiClient(t.url).login(u.phone); // the owner's first login and password change
  const s = await meStatus(early.body.token);
  row('a token taken with the initial password before the owner changed it', String(s), s === 401, '401');
}
{
  const u = await newUser();
  const c = await new ApiClient(t.url).login(u.phone);
  await admin.call('PATCH', `/api/v1/admin/users/${u.id}`, { disabled: true });
  await admin.call('PATCH', `/api/v1/admin/users/${u.id}`, { disabled: false });
  const s = await meStatus(c.token);
  row('disable, then enable again: the old token', String(s), s === 401, '401');
}
{
  const u = await newUser();
  const c = await new ApiClient(t.url).login(u.phone);
  const { cut } = await screen(c.token as string);
  await admin.call('PATCH', `/api/v1/admin/users/${u.id}`, { districts: ['d2'] });
  const [s, k] = [await meStatus(c.token), await within(cut)];
  row(
    'scope change: the old token and its socket',
    `${s}, socket ${k === 'timeout' ? 'open' : 'cut'}`,
    s === 401 && k !== 'timeout',
    '401, socket cut',
  );
}
{
  const u = await newUser();
  const c = await new ApiClient(t.url).login(u.phone);
  const { cut } = await screen(c.token as string);
  await c.post('/api/v1/auth/logout');
  const k = await within(cut);
  row('logout: the socket', k === 'timeout' ? 'open' : 'cut', k !== 'timeout', 'cut');
  const u2 = await newUser();
  const c2 = await new ApiClient(t.url).login(u2.phone);
  const s2 = await screen(c2.token as string);
  clock.advance(3601_000);
  const k2 = await within(s2.cut);
  row('session expiry: the socket', k2 === 'timeout' ? 'open' : 'cut', k2 !== 'timeout', 'cut');
  await leader.login('13800000001');
  await admin.login('13800000000');
}

// Issue 16: login.
{
  const c = await new ApiClient(t.url).login('13900000003');
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++)
    statuses.push(
      (await c.post('/api/v1/auth/password', { old_password: `guess-${i}`, new_password: 'Another-pass-9' })).status,
    );
  row('7 wrong old passwords on /auth/password', statuses.join(' '), statuses.at(-1) === 429, 'throttled (429)');
}
{
  const statuses: number[] = [];
  for (let i = 0; i < 60; i++)
    statuses.push(
      (
        await new ApiClient(t.url).post(
          '/api/v1/auth/login',
          { phone: `1550000${String(i).padStart(4, '0')}`, password: 'guess-it' },
          { 'x-forwarded-for': `203.0.113.${i}` },
        )
      ).status,
    );
  const first = statuses.indexOf(429);
  row(
    '60 failed logins, each with a fresh X-Forwarded-For (no proxy configured)',
    first < 0 ? 'no 429' : `429 from try ${first + 1}`,
    first >= 0,
    'throttled per real address',
  );
  clock.advance(2 * 3600_000);
  await leader.login('13800000001');
  await admin.login('13800000000');
}
{
  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  await new ApiClient(proxied.url).login('13800000001');
  for (let i = 0; i < 6; i++)
    await new ApiClient(proxied.url).post(
      '/api/v1/auth/login',
      { phone: '13800000001', password: `guess-${i}` },
      from('203.0.113.66'),
    );
  const guesser = await new ApiClient(proxied.url).post(
    '/api/v1/auth/login',
    { phone: '13800000001', password: TEST_PASSWORD },
    from('203.0.113.66'),
  );
  const owner = await new ApiClient(proxied.url).post(
    '/api/v1/auth/login',
    { phone: '13800000001', password: TEST_PASSWORD },
    from('198.51.100.7'),
  );
  row(
    'the leader, after 6 wrong passwords from another source',
    `guesser ${guesser.status}, owner ${owner.status}`,
    guesser.status === 429 && owner.status === 200,
    'guesser 429, owner 200',
  );
  const time = async (phone: string, i: number) => {
    const started = performance.now();
    await new ApiClient(proxied.url).post(
      '/api/v1/auth/login',
      { phone, password: 'Wrong-pass-1' },
      from(`192.0.2.${i}`),
    );
    return performance.now() - started;
  };
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < 8; i++) {
    known.push(await time(i % 2 ? '13900000002' : '13800000000', 2 * i));
    unknown.push(await time(`1590000${String(i).padStart(4, '0')}`, 2 * i + 1));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const [k, u] = [median(known), median(unknown)];
  row(
    'wrong password: phone with an account vs without (median ms)',
    `${k.toFixed(0)} vs ${u.toFixed(0)}`,
    u > k * 0.5,
    'alike (dummy hash)',
  );
}

// Issue 16: administration, reads, Origin, headers, the operator's endpoints, expires_at.
{
  const self = await admin.call<{ code: string }>('PATCH', '/api/v1/admin/users/seed-admin', { role: 'leader' });
  const off = await admin.call<{ code: string }>('PATCH', '/api/v1/admin/users/seed-admin', { disabled: true });
  row(
    'the last administrator demotes / disables itself',
    `${self.status} ${off.status}`,
    self.status === 409 && off.status === 409,
    '409 409',
  );
  const created = await admin.post('/api/v1/admin/users', {
    phone: '13600000001',
    name: '某区专干',
    role: 'staff',
    districts: ['d99'],
  });
  const changed = await admin.call('PATCH', '/api/v1/admin/users/seed-staff-d2', { districts: ['d99'] });
  row(
    'the admin API given a district that does not exist',
    `${created.status} ${changed.status}`,
    created.status === 400 && changed.status === 400,
    '400 400',
  );
}
{
  // Issue 11: 一师一表 through one's own school showed the teacher's sessions at every school.
  const path = (s: string) => `/api/v1/dimensions/process/schools/s1/teachers/${s}/timetable?date=${FIXTURE_DAY}`;
  const c = await new ApiClient(t.url).login('13700000001'); // d1, every dimension
  const week = await c.get<{ sessions: { session_id: string; school_id: string }[] }>(path('t4'));
  const shown = (week.body.sessions ?? []).map((x) => `${x.session_id}@${x.school_id}`);
  row(
    "staff opens a teacher's week through their own school (the teacher also teaches in d2)",
    `${week.status} ${shown.join(' ') || 'none'}`,
    week.status === 200 && shown.join() === 'se-t4-s1@s1',
    "200, only the school's own sessions",
  );
  const [other, missing] = [(await c.get(path('t5'))).status, (await c.get(path('t-none'))).status];
  row(
    "another district's teacher through one's own school vs a missing one",
    `${other} ${missing}`,
    other === 404 && missing === 404,
    '404 404',
  );
  const narrowed = await new ApiClient(t.url).login('13900000001'); // its session above has expired
  const allowed = await narrowed.get(`/api/v1/charts/attendance?scope=district:d1&date=${FIXTURE_DAY}`);
  row(
    'staff (安全监管, 经费预算) read 图表·上课, a chart of their own dimension',
    String(allowed.status),
    allowed.status === 200,
    '200',
  );
}
{
  const path = (s: string) => `/api/v1/dimensions/process/schools/s1/students/${s}/timetable`;
  const c = await new ApiClient(t.url).login('13700000001'); // d1, every dimension
  const [other, missing] = [(await c.get(path('st7'))).status, (await c.get(path('st-none'))).status];
  row(
    "another district's student id vs a missing one",
    `${other} ${missing}`,
    other === 404 && missing === 404,
    '404 404',
  );
}
{
  const host = new URL(t.url).host;
  const got: number[] = [];
  for (const origin of ['null', `https://${host}`])
    got.push((await leader.post('/api/v1/alerts/nope/ack', { comment: '' }, { origin })).status);
  row(
    'a write with Origin: null / another scheme',
    got.join(' '),
    got.every((s) => s === 403),
    '403 403',
  );
  const html = await fetch(`${t.url}/`);
  const io = await fetch(`${t.url}/socket.io/?EIO=4&transport=polling`);
  const csp = [html, io].map((r) => r.headers.get('content-security-policy') ?? '');
  row(
    'Content-Security-Policy on the HTML and the Socket.IO endpoint',
    csp.map((c) => (c ? 'set' : 'none')).join(', '),
    csp.every((c) => c.includes("script-src 'self'") && c.includes("frame-ancestors 'none'")),
    'set, set',
  );
  const metrics = await fetch(`${t.url}/metrics`);
  const health = (await (await fetch(`${t.url}/healthz`)).json()) as Record<string, unknown>;
  row(
    '/metrics and /healthz without the token',
    `${metrics.status}, healthz ${JSON.stringify(health)}`,
    metrics.status === 404 && JSON.stringify(health) === '{"ok":true}',
    '404, {"ok":true}',
  );
  const r = await new ApiClient(t.url).post<{ expires_at: string }>('/api/v1/auth/login', {
    phone: '13800000001',
    password: TEST_PASSWORD,
  });
  const off = (Date.parse(r.body.expires_at) - (Date.now() + 3600_000)) / 60_000;
  row(
    'expires_at against the real clock (service clock at the fixture day)',
    `${off.toFixed(1)} min off`,
    Math.abs(off) < 2,
    'within 2 min',
  );
}

// Cross-site writes, CORS, write rate limit, bodies.
{
  const c = await new ApiClient(t.url).login('13800000001');
  const notice = { target_type: 'school', target_id: 's1', dimension: 'safety', subject_id: 'a', content: 'x' };
  const r = await c.post<{ code: string }>('/api/v1/notices', notice, { origin: 'https://evil.example' });
  row('a write from another site (Origin: evil.example)', `${r.status} ${r.body.code}`, r.status === 403, '403');
  const pre = await fetch(`${t.url}/api/v1/notices`, {
    method: 'OPTIONS',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
  });
  const grant = pre.headers.get('access-control-allow-origin');
  row('CORS preflight from another site', `allow-origin: ${grant ?? 'none'}`, grant === null, 'no grant');
  clock.advance(61_000); // a fresh write-rate window
  const statuses: number[] = [];
  for (let i = 0; i < 125; i++) statuses.push((await c.post('/api/v1/alerts/nope/ack', { comment: '' })).status);
  const first = statuses.indexOf(429);
  row('125 writes in a burst by one user', `429 from write ${first + 1}`, first >= 100, '429 after 100');
  const big = await fetch(`${t.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: '13800000001', password: 'x'.repeat(10 * 1024 * 1024) }),
  });
  row('a 10 MB login body', String(big.status), big.status === 413, '413');
}

// Attendance above 100%: forged check-ins (ids enrolled nowhere) into s3's session count nowhere.
{
  await storeEvents(
    store,
    Array.from({ length: 60 }, (_, i) => ({
      id: `sec-forged-${i}`,
      type: 'checkin' as const,
      ts: `${FIXTURE_DAY}T15:45:00+08:00`,
      school_id: 's3',
      session_id: 'se5',
      person: 'student' as const,
      person_id: `sec-forged-student-${i}`,
      method: 'manual' as const,
    })),
  );
  const c = await new ApiClient(t.url).login('13800000001');
  const o = await c.get<{ metrics: { attendance_rate: number | null } }>(
    `/api/v1/overview?scope=school:s3&date=${FIXTURE_DAY}`,
  );
  const top = await c.get<{ rows: { school_id: string; value: number }[] }>(
    `/api/v1/rankings?metric=due.attendance_rate&order=top&date=${FIXTURE_DAY}`,
  );
  const rate = o.body.metrics.attendance_rate;
  row(
    '60 forged check-ins into one session of s3 (attendance, ranking)',
    `s3 ${rate === null ? '—' : `${(rate * 100).toFixed(1)}%`}, top ${top.body.rows[0]?.school_id ?? '—'}`,
    rate === 0.5 && top.body.rows[0]?.school_id === 's1' && top.body.rows.every((x) => x.value <= 1),
    's3 50.0%, top s1',
  );
}

// Source keys of the HTTP intake (contract v1.1): a real ingest on the same store, keys issued
// by the administrator through the console's API.
const sourceKeys: string[] = [];
{
  const ingest = await createIngest({ config: testIngestConfig('', store.database), store, log: (m) => logs.push(m) });
  await ingest.start();
  const server = ingest.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const intake = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1/events`;
  const adminC = await new ApiClient(t.url).login('13800000000');
  const issue = async (name: string, schools: string[]) => {
    const r = await adminC.post<{ key: string; source_key: { key_id: string } }>('/api/v1/admin/source-keys', {
      name,
      schools,
    });
    sourceKeys.push(r.body.key);
    return { key: r.body.key, id: r.body.source_key.key_id };
  };
  const s1 = await issue('s1 闸机', ['s1']);
  const send = async (key: string | null, events: unknown[]) => {
    const r = await postToIntake(intake, key, JSON.stringify(events));
    const body = (await r.json()) as { code?: string; results?: { code?: string }[] };
    return { status: r.status, code: body.code ?? body.results?.map((x) => x.code ?? 'ok').join(',') ?? '' };
  };
  const keyAudited = async (id: string, action: string) =>
    (await recentAudit(store, 5000)).some((a) => a.actor_id === id && a.action === action && !a.ok) ? 'yes' : 'no';
  const none = await send(null, [goodCheckin('sec-sk-1')]);
  row('post events with no source key', `${none.status} ${none.code}`, none.status === 401, '401');
  const madeUp = await send('edu_sk_made-up-by-someone-on-the-network', [goodCheckin('sec-sk-2')]);
  row('post events with a made-up key', `${madeUp.status} ${madeUp.code}`, madeUp.status === 401, '401');
  const other = await send(s1.key, [goodCheckin('sec-sk-3'), { ...goodCheckin('sec-sk-4'), school_id: 's3' }]);
  const otherAudited = await keyAudited(s1.id, 'intake_forbidden_school');
  row(
    "s1's key posts a check-in of s3 beside one of its own",
    `${other.status} ${other.code}`,
    other.code === 'ok,forbidden_school' && otherAudited === 'yes',
    'ok, forbidden_school; audited',
    otherAudited,
  );
  const district = { id: 'sec-sk-5', type: 'district', ts: goodCheckin('x').ts, entity_id: 'd9', name: '伪造辖区' };
  const reg = await send(s1.key, [district]);
  row("s1's key posts a registry district (no school)", reg.code, reg.code === 'forbidden_school', 'forbidden_school');
  for (const [who, phone, actor] of [
    ['staff', '13900000001', 'seed-staff-d1'],
    ['a leader', '13800000001', 'seed-leader'],
  ] as const) {
    const c = await new ApiClient(t.url).login(phone);
    const r = await c.post('/api/v1/admin/source-keys', { name: 'mine', schools: ['*'] });
    const audited = await auditedRefusal(actor, 'source_key_issue');
    row(`${who} issues a source key`, String(r.status), r.status === 403 && audited === 'yes', '403, audited', audited);
    const v = await c.post(`/api/v1/admin/source-keys/${s1.id}/revoke`);
    const vAudited = await auditedRefusal(actor, 'source_key_revoke');
    row(
      `${who} revokes a source key`,
      String(v.status),
      v.status === 403 && vAudited === 'yes',
      '403, audited',
      vAudited,
    );
  }
  await adminC.post(`/api/v1/admin/source-keys/${s1.id}/revoke`);
  const at = Date.now();
  let after = await send(s1.key, [goodCheckin('sec-sk-6')]);
  while (after.status !== 401 && Date.now() - at < 10_000) {
    await new Promise((r) => setTimeout(r, 100));
    after = await send(s1.key, [goodCheckin('sec-sk-6')]);
  }
  const took = (Date.now() - at) / 1000;
  const revAudited = await keyAudited(s1.id, 'intake_key_revoked');
  row(
    'a revoked key posts again',
    `${after.status} ${after.code} after ${took.toFixed(1)} s`,
    after.status === 401 && took < 5,
    '401 within 5 s',
    revAudited,
  );
  server.close();
  await ingest.stop();
}

// Secrets: none of the passwords, tokens or source keys used above in any log line or audit record.
const audit = await recentAudit(store, 5000);
const all = logs.join('') + JSON.stringify(audit);
const leaked = [TEST_PASSWORD, token, 'guess-3', 'Changed-pass-2', ...sourceKeys].filter((s) => all.includes(s));
row(
  'passwords, tokens and source keys in logs and the audit log',
  leaked.length ? `found ${leaked.length}` : 'none',
  leaked.length === 0,
  'none',
);

stopCapture();
console.log(rows.join('\n'));
console.log(`\n${failures} attempt(s) not refused as required; ${audit.filter((a) => !a.ok).length} refusals audited`);
for (const s of sockets) s.disconnect();
await proxied.close();
await t.close();
await disposeTestStore(store);
rmSync(screenDir, { recursive: true, force: true });
process.exit(failures === 0 ? 0 : 1);
