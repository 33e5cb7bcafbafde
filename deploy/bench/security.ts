import { recentAudit } from '@edu/analytics';
import { disposeTestStore, FIXTURE_DAY, fixtureCityEvents, openTestStore } from '@edu/analytics/testing';
import { ManualClock } from '@edu/streamer';
import {
  ApiClient,
  captureStderr,
  connectScreen,
  join,
  startTestStreamer,
  storeEvents,
  TEST_PASSWORD,
} from '@edu/streamer/testing';

// The security suite (issue: brute force, tampered and expired tokens, staff escalation,
// cross-site writes, write rate limits, secrets in logs): every attempt against a real
// streamer over HTTP, with the answer it got and whether the refusal was audited. Injected HTML
// rendered inert on the screens is shown by the browser tests (screen/e2e: hostile names).
//
//   npx tsx deploy/bench/security.ts     (needs nothing running: chDB in-process; about 10 s)
// Its reduced form in the suite: streamer/src/http/security.integration.test.ts and the
// staff-scope tests of api.integration.test.ts and dimensions.integration.test.ts.

const clock = new ManualClock(Date.parse(`${FIXTURE_DAY}T18:00:00+08:00`));
const logs: string[] = [];
const store = await openTestStore('chdb', 'security_suite');
await storeEvents(store, fixtureCityEvents());
const t = await startTestStreamer(store, {
  clock,
  config: { sessionTtlSeconds: 3600 } as never,
  log: (m) => logs.push(m),
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
const token = leader.token as string;
// Tokens.
for (const [name, forged] of [
  ['tampered token (last characters changed)', token.slice(0, -2) + (token.endsWith('A') ? 'BB' : 'AA')],
  ["token with SQL appended (' OR '1'='1)", `${token}' OR '1'='1`],
  ['no token', ''],
] as const) {
  const c = new ApiClient(t.url);
  c.token = forged || null;
  const r = await c.get('/api/v1/me');
  row(name, String(r.status), r.status === 401, '401');
}
{
  const c = await new ApiClient(t.url).login('13800000001');
  clock.advance(3601_000);
  const r = await c.get<{ code: string }>('/api/v1/me');
  row('expired token (session TTL passed)', `${r.status} ${r.body.code}`, r.status === 401, '401');
}

// Staff of district d1, whom the administrator keeps to the budget and safety dimensions.
const staff = await new ApiClient(t.url).login('13900000001');
{
  const admin = await new ApiClient(t.url).login('13800000000'); // the administrator
  const r = await admin.call('PATCH', '/api/v1/admin/users/seed-staff-d1', { dimensions: ['safety', 'budget'] });
  if (r.status !== 200)
    throw new Error(`narrowing the staff member's dimensions: ${r.status} ${JSON.stringify(r.body)}`);
}
const reads: [string, string][] = [
  ['the city overview', `/api/v1/overview?scope=city&date=${FIXTURE_DAY}`],
  ["another district's overview", `/api/v1/overview?scope=district:d2&date=${FIXTURE_DAY}`],
  ["another district's school", `/api/v1/dimensions/safety/schools/s3?date=${FIXTURE_DAY}`],
  ['a dimension not theirs (materials)', `/api/v1/dimensions/material?scope=district:d1&date=${FIXTURE_DAY}`],
  ["a student's timetable (names out of scope)", `/api/v1/dimensions/process/schools/s1/students/st1/timetable`],
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

// Secrets: none of the passwords or tokens used above in any log line or audit record.
const audit = await recentAudit(store, 5000);
const all = logs.join('') + JSON.stringify(audit);
const leaked = [TEST_PASSWORD, token, 'guess-3'].filter((s) => all.includes(s));
row(
  'passwords and tokens in logs and the audit log',
  leaked.length ? `found ${leaked.length}` : 'none',
  leaked.length === 0,
  'none',
);

stopCapture();
console.log(rows.join('\n'));
console.log(`\n${failures} attempt(s) not refused as required; ${audit.filter((a) => !a.ok).length} refusals audited`);
await t.close();
await disposeTestStore(store);
process.exit(failures === 0 ? 0 : 1);
