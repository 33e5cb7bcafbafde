import { describe, expect, it } from 'vitest';
import { toClusterStatements } from './cluster.ts';
import { loadMigrations } from './migrate.ts';

const o = { cluster: 'edu', database: 'edu' };

describe('cluster DDL', () => {
  const all = loadMigrations().flatMap((m) =>
    m.statements.map((s) => ({ m: m.name, s, out: toClusterStatements(s, o) })),
  );

  it('converts every statement of every migration, all ON CLUSTER but backfills', () => {
    expect(all.length).toBeGreaterThan(10);
    for (const { out } of all)
      for (const s of out) if (!s.startsWith('INSERT INTO')) expect(s).toMatch(/ ON CLUSTER edu( |$)/);
  });

  it('drops a table with its local twin, and runs a backfill once through the Distributed tables', () => {
    expect(toClusterStatements('DROP TABLE IF EXISTS checkin_minutes;', o)).toEqual([
      'DROP TABLE IF EXISTS checkin_minutes ON CLUSTER edu',
      'DROP TABLE IF EXISTS checkin_minutes_local ON CLUSTER edu',
    ]);
    const backfill = all.find((x) => x.s.startsWith('INSERT INTO checkin_curve'));
    expect(backfill?.out).toEqual([backfill?.s]);
    expect(backfill?.s).toMatch(/FROM checkins\b/);
  });

  it('gives every table a replicated local table and a Distributed table under its own name', () => {
    const created = all.flatMap((x) => x.out).filter((s) => s.startsWith('CREATE TABLE'));
    const names = created.map((s) => /CREATE TABLE IF NOT EXISTS (\w+)/.exec(s)?.[1]);
    for (const s of created.filter((x) => /ENGINE = Distributed/.test(x))) {
      const [, name] = /CREATE TABLE IF NOT EXISTS (\w+)/.exec(s) ?? [];
      expect(names).toContain(`${name}_local`);
      expect(s).toContain(`Distributed(edu, edu, ${name}_local, `);
    }
    expect(
      created.filter((s) =>
        /Replicated\w*MergeTree\('\/clickhouse\/tables\/\{shard\}\/edu\/\w+_local', '\{replica\}'/.test(s),
      ).length,
    ).toBe(created.length / 2);
  });

  it('keeps engine arguments, keys and partitions', () => {
    const [local, dist] = toClusterStatements(
      'CREATE TABLE IF NOT EXISTS users (user_id String, version UInt64) ENGINE = ReplacingMergeTree(version)\nORDER BY user_id;',
      o,
    );
    expect(local).toBe(
      "CREATE TABLE IF NOT EXISTS users_local ON CLUSTER edu (user_id String, version UInt64) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/edu/users_local', '{replica}', version)\nORDER BY user_id",
    );
    expect(dist).toBe(
      'CREATE TABLE IF NOT EXISTS users ON CLUSTER edu AS edu.users_local ENGINE = Distributed(edu, edu, users_local, rand())',
    );
    const [checkins] = all.find((x) => x.s.includes('TABLE IF NOT EXISTS checkins ('))?.out ?? [];
    expect(checkins).toMatch(/PARTITION BY/);
    expect(all.find((x) => x.s.includes('TABLE IF NOT EXISTS checkins ('))?.out[1]).toContain('cityHash64(school_id)');
  });

  it('hangs materialized views off the local tables, named with their database (18.16 reads default otherwise)', () => {
    const views = all.flatMap((x) => x.out).filter((s) => s.includes('MATERIALIZED VIEW'));
    expect(views.length).toBeGreaterThanOrEqual(3);
    for (const v of views) {
      expect(v).toMatch(/ TO edu\.\w+_local AS/);
      expect(v).toMatch(/FROM edu\.\w+_local\b/);
      expect(v).not.toMatch(/FROM (?!edu\.)\w+\b/);
    }
  });

  it('refuses a statement it does not know how to convert', () => {
    expect(() => toClusterStatements('ALTER TABLE checkins ADD COLUMN x String', o)).toThrow(/cannot convert/);
  });
});
