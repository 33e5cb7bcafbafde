import {
  bureauRecordCounts,
  insertAlertVersions,
  insertAudit,
  insertDisplayVersion,
  displaysLastSeen,
  recordDisplaySeen,
  insertNoticeState,
  insertSupervision,
  insertUserVersion,
  issueSourceKey,
  loadDisplays,
  loadLoopRows,
  loadSourceKeys,
  recordSourceKeyUses,
  revokeSourceKey,
  sourceKeyLastUses,
  toRow,
  latestDecisions,
  loadAlerts,
  loadNotices,
  loadUsers,
  openChdbStore,
  openServerStore,
  recentAudit,
  tableColumns,
  tableRows,
  writeRows,
  type Alert,
  type AuditEntry,
  type DisplayRow,
  type InboundEvent,
  type Store,
  type SupervisionEvent,
  type UserRow,
} from '@edu/analytics';
import {
  disposeTestStore,
  openTestStore,
  testClickhouseUrl,
  testDatabaseName,
  TEST_ENGINES,
} from '@edu/analytics/testing';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreBackup, RestoreRefused, verifyBackup, writeBackup, type BackupManifest } from './file.ts';

// Backup then restore of the bureau's own records, on both engines: a store filled the way the
// streamer fills it (a changed password, a disabled user, notices with states, decisions, an
// alert with its history, audit rows), written to a file, restored into a fresh database, and
// read back through the same read functions the streamer uses.

const T0 = Date.parse('2026-11-27T16:00:00+08:00');
// Beyond 2^53: a JavaScript number would round it.
const WIDE_VERSION = '9007199254740993';

const user = (over: Partial<UserRow>): UserRow => ({
  user_id: 'u-admin',
  version: 1,
  updated_ms: T0,
  updated_by: 'seed',
  phone: '13800000000',
  name: '管理员',
  role: 'admin',
  dimensions: [],
  districts: [],
  password_hash: 'scrypt$16384$8$1$c2FsdA$aGFzaC0x',
  must_change_password: true,
  disabled: false,
  ...over,
});

const event = (over: Partial<SupervisionEvent>): SupervisionEvent => ({
  type: 'decision',
  notice_id: 'n-1',
  ts: '2026-11-27T16:05:00+08:00',
  issuer_id: 'u-leader',
  issuer_role: 'leader',
  target_type: 'school',
  target_id: 's1',
  dimension: 'material',
  subject_id: 'm-1',
  decision: 'approved',
  content: '材料齐全，\n同意。',
  ...over,
});

const alert = (state: Alert['state'], updated: string): Alert => ({
  id: 'teacher_not_checked_in:se-1',
  rule: 'teacher_not_checked_in',
  severity: 'critical',
  state,
  dimension: 'safety',
  school_id: 's1',
  school_name: '第一小学',
  zone_id: 'z1',
  district_id: 'd1',
  subject_id: 'se-1',
  title: '教师未签到',
  detail: "王老师 'quoted' \\ 未签到",
  opened_at: '2026-11-27T16:00:00+08:00',
  updated_at: updated,
  district_name: '一区',
  ...(state === 'acknowledged' ? { ack: { by: 'u-leader', at: updated, comment: '已电话联系' } } : {}),
});

const audit = (i: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  ts_ms: T0 + i * 1000,
  actor_id: 'u-leader',
  actor_role: 'leader',
  action: 'login',
  target: 'u-leader',
  ok: i % 3 !== 0,
  ip: '10.0.0.' + i,
  detail: { i, note: '第' + i + '次' },
  ...over,
});

async function fill(store: Store): Promise<void> {
  // The admin changed the initial password; a staff member was disabled; the leader as seeded.
  await insertUserVersion(store, user({}));
  await insertUserVersion(
    store,
    user({
      version: 2,
      updated_ms: T0 + 60_000,
      updated_by: 'u-admin',
      password_hash: 'scrypt$16384$8$1$c2FsdA$aGFzaC0y',
      must_change_password: false,
    }),
  );
  await insertUserVersion(
    store,
    user({
      user_id: 'u-staff',
      phone: '13900000001',
      name: '一区专员',
      role: 'staff',
      dimensions: ['safety', 'material'],
      districts: ['d1'],
    }),
  );
  await insertUserVersion(
    store,
    user({
      user_id: 'u-staff',
      version: 2,
      updated_ms: T0 + 120_000,
      updated_by: 'u-admin',
      phone: '13900000001',
      name: '一区专员',
      role: 'staff',
      dimensions: ['safety', 'material'],
      districts: ['d1'],
      disabled: true,
    }),
  );
  await insertUserVersion(
    store,
    user({ user_id: 'u-leader', phone: '13800000001', name: '局领导', role: 'leader', must_change_password: false }),
  );
  // A version beyond 2^53, as a file would carry it.
  const cols = await tableColumns(store, 'users');
  const wide = [
    'u-wide',
    WIDE_VERSION,
    String(T0),
    'u-admin',
    '13900000009',
    '宽版本',
    'staff',
    ['course'],
    ['d2'],
    'scrypt$x',
    0,
    0,
  ];
  await writeRows(store, 'users', cols, [wide]);

  // Decisions and notices, and the notices' later states.
  await insertSupervision(store, event({}));
  await insertSupervision(
    store,
    event({ notice_id: 'n-2', ts: '2026-11-27T16:06:00+08:00', decision: 'rejected', content: '驳回' }),
  );
  for (const [i, id] of ['n-3', 'n-4', 'n-5'].entries()) {
    await insertSupervision(
      store,
      event({
        type: 'notice_issued',
        notice_id: id,
        ts: `2026-11-27T16:1${i}:00+08:00`,
        decision: 'notice',
        dimension: 'safety',
        subject_id: 'teacher_not_checked_in:se-1',
        content: `请立即核实（${id}）`,
        deadline: '2026-11-28T16:00:00+08:00',
      }),
    );
  }
  await insertNoticeState(store, {
    notice_id: 'n-3',
    version: 1,
    ts_ms: T0 + 86_400_000,
    state: 'overdue',
    by_id: 'system',
  });
  await insertNoticeState(store, {
    notice_id: 'n-3',
    version: 2,
    ts_ms: T0 + 90_000_000,
    state: 'closed',
    by_id: 'u-leader',
  });
  await insertNoticeState(store, {
    notice_id: 'n-4',
    version: 1,
    ts_ms: T0 + 86_400_000,
    state: 'overdue',
    by_id: 'system',
  });

  // An alert with its history, and a second one resolved.
  const history: Alert['state'][] = ['open', 'acknowledged', 'notice_issued'];
  for (const [i, state] of history.entries()) {
    await insertAlertVersions(store, [
      { alert: alert(state, `2026-11-27T16:0${i}:00+08:00`), version: i + 1, ts_ms: T0 + i * 60_000 },
    ]);
  }
  const other = {
    ...alert('resolved', '2026-11-27T17:00:00+08:00'),
    id: 'low_attendance:s2',
    rule: 'low_attendance' as const,
  };
  await insertAlertVersions(store, [{ alert: other, version: 4, ts_ms: T0 + 3_600_000 }]);

  await insertAudit(
    store,
    Array.from({ length: 30 }, (_, i) => audit(i)),
  );
  await insertAudit(store, [audit(40, { action: 'user_update', target: 'u-staff', detail: { disabled: true } })]);
  // The intake's keys (migration 013): one in use, one revoked.
  const gate = await issueSourceKey(store, { name: '一中闸机系统', schools: ['s1'], by: 'u-admin', now: T0 });
  const old = await issueSourceKey(store, { name: '旧选课系统', schools: ['s1', 's2'], by: 'u-admin', now: T0 + 1 });
  await revokeSourceKey(store, old.row.key_id, { by: 'u-admin', now: T0 + 2_000 });
  await recordSourceKeyUses(store, new Map([[gate.row.key_id, T0 + 5_000]]));
  // A wall display (migration 016), paired: its hashed credential keeps the wall paired after a restore.
  const wallDisplay: DisplayRow = {
    display_id: 'dsp-1',
    version: T0,
    updated_ms: T0,
    updated_by: 'u-admin',
    name: '指挥中心主屏',
    scope: 'district:d1',
    rotate: true,
    sound: false,
    token_hash: '',
    paired_ms: 0,
    created_ms: T0,
    created_by: 'u-admin',
    revoked: false,
    revoked_ms: 0,
    revoked_by: '',
  };
  await insertDisplayVersion(store, wallDisplay);
  await insertDisplayVersion(store, {
    ...wallDisplay,
    version: T0 + 1,
    updated_ms: T0 + 1,
    token_hash: 'a'.repeat(64),
    paired_ms: T0 + 1,
  });
  await recordDisplaySeen(store, 'dsp-1', { ms: T0 + 2, build: '20261127093000-42' });

  // The school's receipt and rectification of notice n-4 (migration 014), from which its state derives.
  const loop: InboundEvent[] = [
    {
      id: 'r-1',
      type: 'notice_received',
      ts: '2026-11-27T16:30:00+08:00',
      school_id: 's1',
      notice_id: 'n-4',
      receiver_id: 't-1',
    },
    {
      id: 'r-2',
      type: 'rectification_submitted',
      ts: '2026-11-27T17:00:00+08:00',
      school_id: 's1',
      notice_id: 'n-4',
      submission_id: 'sub-1',
      content: '已补签到，\n教师已培训',
      attachments: [{ name: '签到表.pdf', url: 'https://s1.example/a.pdf' }],
    },
  ];
  for (const e of loop) {
    const { table, row } = toRow(e, T0 + 3_600_000);
    await store.insert(table, [row]);
  }

  // More rows in one millisecond than a backup page holds (the test's pages are 7 rows).
  await insertAudit(
    store,
    Array.from({ length: 10 }, (_, i) => audit(50, { action: 'read_refused', target: `s${i}` })),
  );
}

/** Everything the streamer reads back about the bureau's records. */
async function readBack(store: Store) {
  const notices = (await loadNotices(store, 0)).sort((a, b) => a.event.notice_id.localeCompare(b.event.notice_id));
  return {
    users: await loadUsers(store),
    notices,
    decisions: [...(await latestDecisions(store, 'material', ['m-1', 'm-2']))],
    alerts: (await loadAlerts(store, 0)).sort((a, b) => a.alert.id.localeCompare(b.alert.id)),
    // Rows of one millisecond come in any order.
    audit: (await recentAudit(store, 1000)).map((a) => JSON.stringify(a)).sort(),
    staffAudit: await recentAudit(store, 10, 'user_update'),
    sourceKeys: await loadSourceKeys(store),
    displays: await loadDisplays(store),
    displaysSeen: [...(await displaysLastSeen(store))],
    sourceKeyUses: [...(await sourceKeyLastUses(store))].sort(),
    loop: Object.fromEntries(
      Object.entries(await loadLoopRows(store, 0)).map(([k, m]) => [k, [...(m as Map<string, unknown>)].sort()]),
    ),
  };
}

/** A table's every row (append-only tables only: a versioned table may merge meanwhile). */
async function allRows(store: Store, table: string) {
  const rows: unknown[][] = [];
  for await (const page of tableRows(store, table, await tableColumns(store, table))) rows.push(...page);
  // In one order, to compare: a page's rows come in no particular order.
  return rows.map((r) => JSON.stringify(r)).sort();
}

async function openEmpty(engine: 'server' | 'chdb'): Promise<Store> {
  // Not migrated: the restore brings the schema.
  const database = testDatabaseName('restore');
  return engine === 'server'
    ? openServerStore({ url: testClickhouseUrl(), database })
    : openChdbStore({ path: join(tmpdir(), 'edu-chdb-test', String(process.pid)), database });
}

describe.each(TEST_ENGINES)('backup and restore of the bureau records on %s', (engine) => {
  const dir = mkdtempSync(join(tmpdir(), 'edu-backup-'));
  const file = join(dir, 'bureau.jsonl.gz');
  let source: Store;
  const targets: Store[] = [];
  let manifest: BackupManifest;

  beforeAll(async () => {
    source = await openTestStore(engine, 'backup');
    await fill(source);
    // Small pages, so that paging is part of what is tested.
    manifest = await writeBackup(source, file, { productVersion: '9.9.9', pageSize: 7, now: () => T0 });
  });
  afterAll(async () => {
    for (const s of [source, ...targets]) if (s) await disposeTestStore(s);
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a manifest with the schema, the product version, the row counts and the time', async () => {
    expect(manifest.product_version).toBe('9.9.9');
    expect(manifest.created_at).toBe(new Date(T0).toISOString());
    expect(manifest.migrations.map((m) => m.version)).toEqual(expect.arrayContaining([1, 3, 4]));
    const rows = Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows]));
    expect(rows).toMatchObject({ supervision_log: 5, audit_log: 41, rectifications: 2, source_key_uses: 1 });
    // Versioned tables: every version the store still holds (a merge may have dropped some).
    expect(rows.users).toBeGreaterThanOrEqual(4);
    expect(rows.displays).toBeGreaterThanOrEqual(1);
    expect(rows.alert_log).toBeGreaterThanOrEqual(2);
    expect(rows.notice_state_log).toBeGreaterThanOrEqual(2);
    expect(await verifyBackup(file)).toEqual(manifest);
    // The first line, readable with zcat.
    const first = gunzipSync(readFileSync(file)).toString('utf8').split('\n')[0] ?? '';
    expect(JSON.parse(first)).toEqual(manifest);
  });

  it('restores into a fresh database: the same users, notices, decisions, alerts and audit', async () => {
    const target = await openEmpty(engine);
    targets.push(target);
    const report = await restoreBackup(target, file);
    expect(report.restored).toEqual(Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows])));

    const before = await readBack(source);
    const after = await readBack(target);
    expect(after).toEqual(before);
    // What the read functions show, spelled out: the changed password, the disabled user.
    const users = new Map(after.users.map((u) => [u.user_id, u]));
    expect(users.get('u-admin')).toMatchObject({
      version: 2,
      password_hash: 'scrypt$16384$8$1$c2FsdA$aGFzaC0y',
      must_change_password: false,
    });
    expect(users.get('u-staff')).toMatchObject({ version: 2, disabled: true, updated_ms: T0 + 120_000 });
    expect(after.notices.map((n) => [n.event.notice_id, n.state, n.state_version])).toEqual([
      ['n-1', null, 0],
      ['n-2', null, 0],
      ['n-3', 'closed', 2],
      ['n-4', 'overdue', 1],
      ['n-5', null, 0],
    ]);
    expect(after.notices[2]?.event.deadline).toBe('2026-11-28T16:00:00.000+08:00');
    expect(after.decisions).toEqual([['m-1', expect.objectContaining({ notice_id: 'n-2', decision: 'rejected' })]]);
    expect(after.alerts.map((a) => [a.alert.id, a.alert.state, a.version])).toEqual([
      ['low_attendance:s2', 'resolved', 4],
      ['teacher_not_checked_in:se-1', 'notice_issued', 3],
    ]);
    expect(after.audit).toHaveLength(41);
    expect(after.sourceKeys.map((k) => [k.name, k.version, k.revoked])).toEqual([
      ['一中闸机系统', 1, false],
      ['旧选课系统', 2, true],
    ]);
    expect(after.sourceKeyUses).toHaveLength(1);
    expect(after.displays.map((d) => [d.name, d.scope, d.token_hash, d.revoked])).toEqual([
      ['指挥中心主屏', 'district:d1', 'a'.repeat(64), false],
    ]);
    expect(after.displaysSeen).toEqual([['dsp-1', { ms: T0 + 2, build: '20261127093000-42' }]]);
    expect(JSON.stringify(after.loop)).toContain('签到表.pdf');

    // Append-only tables row for row; a 64-bit version exactly.
    for (const table of ['supervision_log', 'audit_log']) {
      expect(await allRows(target, table)).toEqual(await allRows(source, table));
    }
    const wide = (await allRows(target, 'users')).map((r) => JSON.parse(r) as unknown[]).find((r) => r[0] === 'u-wide');
    expect(wide?.[1]).toBe(WIDE_VERSION);
    // Versioned tables: every restored row is one of the backup's.
    const backedUp = gunzipSync(readFileSync(file)).toString('utf8');
    for (const table of ['users', 'alert_log', 'notice_state_log']) {
      for (const row of await allRows(target, table)) expect(backedUp).toContain(row);
    }
  });

  it('refuses to restore into a store that already holds bureau records, and writes nothing', async () => {
    const held = await bureauRecordCounts(source);
    const refused = restoreBackup(source, file);
    await expect(refused).rejects.toBeInstanceOf(RestoreRefused);
    await expect(restoreBackup(source, file)).rejects.toThrow(/already holds bureau records \(users: \d+/);
    expect(await bureauRecordCounts(source)).toEqual(held);
  });

  it('adds to a non-empty store only when forced', async () => {
    const target = await openTestStore(engine, 'forced');
    targets.push(target);
    await insertAudit(target, [audit(99, { action: 'logout' })]);
    await restoreBackup(target, file, { force: true });
    const audited = await recentAudit(target, 1000);
    expect(audited).toHaveLength(42);
    expect(audited.filter((a) => a.action === 'logout')).toHaveLength(1);
  });

  it('refuses a damaged file or one from a newer schema before writing anything', async () => {
    const whole = readFileSync(file);
    const cut = join(dir, 'cut.jsonl.gz');
    writeFileSync(cut, whole.subarray(0, whole.length - 40));
    const target = await openEmpty(engine);
    targets.push(target);
    await expect(restoreBackup(target, cut)).rejects.toThrow();

    const lines = gunzipSync(whole).toString('utf8').split('\n');
    const newer = {
      ...manifest,
      migrations: [...manifest.migrations, { version: 999, name: 'future', checksum: 'x' }],
    };
    const future = join(dir, 'future.jsonl.gz');
    writeFileSync(future, gzipSync([JSON.stringify(newer), ...lines.slice(1)].join('\n')));
    await expect(restoreBackup(target, future)).rejects.toThrow(/newer schema \(999_future\)/);
    const counts = await bureauRecordCounts(target);
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  });
});

// The documented command, as an operator runs it: from another folder, relative paths.
describe('deploy/backup.sh', () => {
  const script = fileURLToPath(new URL('../../backup.sh', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'edu-backup-cli-'));
  const run = (...args: string[]) =>
    new Promise<{ code: number; out: string; err: string }>((done) => {
      const env = { ...process.env, INIT_CWD: dir, EDU_CLICKHOUSE_PASSWORD: '' };
      execFile('bash', [script, ...args], { cwd: dir, env }, (error, out, err) =>
        done({ code: error ? Number(error.code) : 0, out, err }),
      );
    });
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await disposeTestStore(s);
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up a server database, restores it into a new one and into a chDB folder, and refuses a second restore', async () => {
    const source = await openTestStore('server', 'cli');
    stores.push(source);
    await fill(source);
    const server = ['--engine', 'server', '--url', testClickhouseUrl()];

    const backup = await run('backup', ...server, '--database', source.database, '--out', 'bureau.jsonl.gz');
    expect(backup.code, backup.err).toBe(0);
    expect(backup.out).toMatch(/backed up .* to .*bureau\.jsonl\.gz: users \d+, supervision_log 5/);
    const manifest = await verifyBackup(join(dir, 'bureau.jsonl.gz'));

    const database = testDatabaseName('cli_restore');
    const restore = await run('restore', ...server, '--database', database, '--in', 'bureau.jsonl.gz');
    const target = await openServerStore({ url: testClickhouseUrl(), database });
    stores.push(target);
    expect(restore.code, restore.err).toBe(0);
    expect(await readBack(target)).toEqual(await readBack(source));

    const again = await run('restore', ...server, '--database', database, '--in', 'bureau.jsonl.gz');
    expect(again.code).toBe(3);
    expect(again.err).toMatch(/restore refused: database \w+ already holds bureau records/);

    // chDB: the embedded default's store, by its folder; round trip through a second file.
    const chdb = ['--engine', 'chdb', '--chdb-path', 'chdb', '--database', 'edu'];
    const intoChdb = await run('restore', ...chdb, '--in', 'bureau.jsonl.gz');
    expect(intoChdb.code, intoChdb.err).toBe(0);
    const fromChdb = await run('backup', ...chdb, '--out', 'again.jsonl.gz');
    expect(fromChdb.code, fromChdb.err).toBe(0);
    const second = await verifyBackup(join(dir, 'again.jsonl.gz'));
    expect(second.engine).toBe('chdb');
    const rows = (m: BackupManifest) => m.tables.map((t) => [t.name, t.rows]);
    expect(rows(second)).toEqual(rows(manifest));
  }, 180_000);
});
