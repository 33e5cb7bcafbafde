import { toClusterStatements } from './cluster.ts';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ident, sql, trusted } from './sql.ts';
import { assertTestDatabase, num, type Store } from './store.ts';

// Numbered migrations in ./migrations, applied in order and recorded in schema_migrations
// with a checksum, so a migration edited after it ran is reported instead of silently
// drifting. Every statement is idempotent (IF NOT EXISTS): two processes starting at once
// both succeed.

const DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  checksum: string;
  statements: string[];
}

export function loadMigrations(dir = DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(dir + file, 'utf8');
      return {
        version: Number(file.slice(0, 3)),
        name: file.slice(4, -4),
        checksum: createHash('sha256').update(text).digest('hex').slice(0, 16),
        statements: splitStatements(text),
      };
    });
}

/** Splits a file into statements: comments dropped, `;` at the end of a line ends one. */
export function splitStatements(text: string): string[] {
  const withoutComments = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');
  return withoutComments
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export interface MigrateOptions {
  /** Create replicated and Distributed tables ON CLUSTER (deploy/cluster); see cluster.ts. */
  cluster?: string;
}

const LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version UInt32, name String, checksum String, applied_ms Int64
  ) ENGINE = MergeTree ORDER BY version`;

export async function migrate(
  store: Store,
  migrations = loadMigrations(),
  opts: MigrateOptions = {},
): Promise<MigrationReport> {
  const cluster = opts.cluster ? { cluster: opts.cluster, database: store.database } : null;
  const statements = (text: string) => (cluster ? toClusterStatements(text, cluster) : [text]);
  // Opening the store created the database on the server it talks to only; the tables ON
  // CLUSTER need it on every host.
  if (cluster)
    await store.exec(sql`CREATE DATABASE IF NOT EXISTS ${ident(store.database)} ON CLUSTER ${ident(cluster.cluster)}`);
  for (const s of statements(LEDGER)) await store.exec(trusted(s));
  const rows = await store.query<{ version: number | string; checksum: string }>(
    sql`SELECT version, any(checksum) AS checksum FROM schema_migrations GROUP BY version`,
  );
  const done = new Map(rows.map((r) => [num(r.version), r.checksum]));
  const applied: string[] = [];
  for (const m of migrations) {
    const recorded = done.get(m.version);
    if (recorded !== undefined) {
      if (recorded !== m.checksum) {
        throw new Error(
          `migration ${m.version}_${m.name} was changed after it was applied ` +
            `(checksum ${recorded} → ${m.checksum}); add a new migration instead`,
        );
      }
      continue;
    }
    for (const statement of m.statements.flatMap(statements)) await store.exec(trusted(statement));
    await store.insert('schema_migrations', [
      { version: m.version, name: m.name, checksum: m.checksum, applied_ms: Date.now() },
    ]);
    applied.push(`${String(m.version).padStart(3, '0')}_${m.name}`);
  }
  return { applied, alreadyApplied: migrations.length - applied.length };
}

/** Drops the store's database. Test databases only. */
export async function dropDatabase(store: Store): Promise<void> {
  assertTestDatabase(store.database);
  await store.exec(sql`DROP DATABASE IF EXISTS ${ident(store.database)}`);
}
