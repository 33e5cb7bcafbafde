import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../contract/index.ts';
import { testClickhouseUrl, testDatabaseName, TEST_ENGINES } from '../testing/stores.ts';
import { openChdbStore } from './chdb-store.ts';
import { dropDatabase, loadMigrations, migrate } from './migrate.ts';
import { toRow } from './rows.ts';
import { openServerStore } from './server-store.ts';
import { sql, trusted } from './sql.ts';
import { num, type Store } from './store.ts';

// A migration that rebuilds a table from stored events, on a database that already holds
// events: 012 moves the attendance curve to a table keyed by minute and backfills it.

const DAY = '2026-11-27';
const checkin = (i: number, hhmm: string): InboundEvent => ({
  id: `mg-${i}`,
  type: 'checkin',
  ts: `${DAY}T${hhmm}:00+08:00`,
  school_id: `s${i % 3}`,
  session_id: `se${i % 5}`,
  person: i % 4 === 0 ? 'teacher' : 'student',
  person_id: `p${i}`,
  method: 'card',
});

describe.each(TEST_ENGINES)('migration 012 (the curve by minute) on %s', (engine) => {
  let store: Store;
  afterAll(async () => {
    await dropDatabase(store);
    await store.close();
  });

  const curve = () =>
    store.query<Record<string, unknown>>(sql`
      SELECT minute, person, uniqExactMerge(events) AS n FROM checkin_curve
      WHERE day = toDate(${DAY}) GROUP BY minute, person ORDER BY minute, person`);
  const raw = () =>
    store.query<Record<string, unknown>>(sql`
      SELECT minute, person, uniqExact(id) AS n FROM checkins
      WHERE day = toDate(${DAY}) AND type = 'checkin' GROUP BY minute, person ORDER BY minute, person`);
  const plain = (rows: Record<string, unknown>[]) => rows.map((r) => [num(r.minute), r.person, num(r.n)]);

  it('backfills the check-ins stored before it, keeps counting after it, and can run twice', async () => {
    const database = testDatabaseName('migrate');
    store =
      engine === 'server'
        ? await openServerStore({ url: testClickhouseUrl(), database })
        : await openChdbStore({ path: join(tmpdir(), 'edu-chdb-test', String(process.pid)), database });
    const all = loadMigrations();
    await migrate(
      store,
      all.filter((m) => m.version < 12),
    );
    const before = Array.from({ length: 40 }, (_, i) => checkin(i, i < 20 ? '16:00' : '16:07'));
    // A redelivered event is one check-in.
    await store.insert(
      'checkins',
      [...before, before[3] as InboundEvent].map((e) => toRow(e, 0).row),
    );

    const report = await migrate(store, all);
    expect(report.applied).toContain('012_checkin_curve');
    expect(plain(await curve())).toEqual(plain(await raw()));
    expect(plain(await curve()).reduce((s, [, , n]) => s + Number(n), 0)).toBe(40);
    // 012 drops the table it replaces; 021 the per-session views no query reads (and check-ins
    // are still written below: no view is left writing to a dropped table).
    const tables = await store.query<{ name: string }>(
      sql`SELECT name FROM system.tables WHERE database = ${store.database}
          AND (name LIKE 'checkin_minutes%' OR name LIKE 'session_students%' OR name LIKE 'session_teachers%')`,
    );
    expect(tables).toEqual([]);

    // Events after the migration reach the new table through its view.
    await store.insert(
      'checkins',
      Array.from({ length: 10 }, (_, i) => toRow(checkin(100 + i, '16:09'), 0).row),
    );
    // A second process running the same statements: states are sets of ids, so nothing doubles.
    const m012 = all.find((m) => m.version === 12);
    for (const s of m012?.statements ?? []) await store.exec(trusted(s));
    expect(plain(await curve())).toEqual(plain(await raw()));
    expect(plain(await curve()).reduce((s, [, , n]) => s + Number(n), 0)).toBe(50);
    expect((await migrate(store, all)).applied).toEqual([]);
  });
});
