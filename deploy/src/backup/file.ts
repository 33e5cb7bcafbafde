import {
  appliedMigrations,
  bureauRecordCounts,
  loadMigrations,
  migrate,
  presentBureauTables,
  tableColumns,
  tableRows,
  writeRows,
  type AppliedMigration,
  type BackupColumn,
  type BackupRow,
  type EngineName,
  type Store,
} from '@edu/analytics';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip, gzipSync } from 'node:zlib';

// The backup file of the bureau's own records: gzip'd JSON lines, readable with zcat. Line 1
// is the manifest; then, per table, a header line {"table": …} and one JSON array per row in
// the manifest's column order (64-bit integers as strings). The manifest goes first, so it is
// its own gzip member, written after the rows are counted; gzip readers join the members.

export const BACKUP_FORMAT = 'edu-bureau-backup';
export const BACKUP_FORMAT_VERSION = 1;

export interface BackupTable {
  name: string;
  columns: BackupColumn[];
  rows: number;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  format_version: number;
  created_at: string;
  product_version: string;
  engine: EngineName;
  database: string;
  /** The schema the rows were taken at. */
  migrations: AppliedMigration[];
  tables: BackupTable[];
}

export interface BackupOptions {
  productVersion: string;
  /** Rows read per query. */
  pageSize?: number;
  now?: () => number;
}

/** Writes the bureau's tables to `outPath` (whole or not at all: a partial file is removed). */
export async function writeBackup(store: Store, outPath: string, o: BackupOptions): Promise<BackupManifest> {
  const rowsPath = `${outPath}.rows.partial`;
  const partPath = `${outPath}.partial`;
  try {
    // First: a store of another product (or a mistyped name) fails here, naming what is missing.
    const present = await presentBureauTables(store);
    const migrations = await appliedMigrations(store);
    const tables: BackupTable[] = [];
    const gzip = createGzip();
    const written = pipeline(gzip, createWriteStream(rowsPath));
    const put = async (line: string) => {
      if (!gzip.write(line + '\n')) await once(gzip, 'drain');
    };
    for (const name of present) {
      const columns = await tableColumns(store, name);
      await put(JSON.stringify({ table: name }));
      let rows = 0;
      for await (const page of tableRows(store, name, columns, o.pageSize)) {
        for (const row of page) await put(JSON.stringify(row));
        rows += page.length;
      }
      tables.push({ name, columns, rows });
    }
    gzip.end();
    await written;
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      format_version: BACKUP_FORMAT_VERSION,
      created_at: new Date((o.now ?? Date.now)()).toISOString(),
      product_version: o.productVersion,
      engine: store.engine,
      database: store.database,
      migrations,
      tables,
    };
    const out = createWriteStream(partPath);
    out.write(gzipSync(JSON.stringify(manifest) + '\n'));
    await pipeline(createReadStream(rowsPath), out);
    await rename(partPath, outPath);
    return manifest;
  } finally {
    await rm(rowsPath, { force: true });
    await rm(partPath, { force: true });
  }
}

type Section = { table: BackupTable; rows: BackupRow[] };

/** Reads a backup file: its manifest, then each table's rows in pages. */
async function readBackup(
  path: string,
  onPage?: (table: BackupTable, rows: BackupRow[]) => Promise<void>,
  pageSize = 10_000,
): Promise<BackupManifest> {
  const lines = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
  let manifest: BackupManifest | null = null;
  let section: Section | null = null;
  const counted = new Map<string, number>();
  const flush = async () => {
    if (section && section.rows.length > 0 && onPage) await onPage(section.table, section.rows);
    if (section) section.rows = [];
  };
  for await (const line of lines) {
    if (line.length === 0) continue;
    const value = JSON.parse(line) as unknown;
    if (manifest === null) {
      manifest = checkManifest(value, path);
      continue;
    }
    if (Array.isArray(value)) {
      if (!section) throw new Error(`${path}: a row before any table`);
      section.rows.push(value);
      counted.set(section.table.name, (counted.get(section.table.name) ?? 0) + 1);
      if (section.rows.length >= pageSize) await flush();
      continue;
    }
    await flush();
    const name = (value as { table?: unknown }).table;
    const table = manifest.tables.find((t) => t.name === name);
    if (!table) throw new Error(`${path}: table ${String(name)} is not in the manifest`);
    section = { table, rows: [] };
  }
  await flush();
  if (manifest === null) throw new Error(`${path} is empty`);
  for (const t of manifest.tables) {
    const n = counted.get(t.name) ?? 0;
    if (n !== t.rows) throw new Error(`${path}: ${t.name} holds ${n} rows, its manifest says ${t.rows}`);
  }
  return manifest;
}

function checkManifest(value: unknown, path: string): BackupManifest {
  const m = value as Partial<BackupManifest>;
  if (m.format !== BACKUP_FORMAT || !Array.isArray(m.tables) || !Array.isArray(m.migrations)) {
    throw new Error(`${path} is not a backup of this product's records`);
  }
  if (m.format_version !== BACKUP_FORMAT_VERSION) {
    throw new Error(`${path} is format ${m.format_version}; this product reads ${BACKUP_FORMAT_VERSION}`);
  }
  return m as BackupManifest;
}

/** Reads the whole file and checks every table's row count against its manifest. */
export function verifyBackup(path: string): Promise<BackupManifest> {
  return readBackup(path);
}

/** Why a restore did not start; nothing was written. */
export class RestoreRefused extends Error {
  override readonly name = 'RestoreRefused';
}

export interface RestoreOptions {
  /** Restore into a store that already holds bureau records (the rows are added to them). */
  force?: boolean;
  /** Migrate ON CLUSTER (deploy/cluster). */
  cluster?: string;
}

export interface RestoreReport {
  manifest: BackupManifest;
  /** Rows written per table. */
  restored: Record<string, number>;
  /** Bureau rows the store held before (non-zero only with `force`). */
  before: Record<string, number>;
}

/**
 * Restores a backup into a store: checks the file whole first, brings the store to this
 * product's schema, refuses a backup from a newer schema or a store that already holds
 * bureau records (unless `force`), then writes every row.
 */
export async function restoreBackup(store: Store, inPath: string, o: RestoreOptions = {}): Promise<RestoreReport> {
  const manifest = await verifyBackup(inPath);
  await migrate(store, loadMigrations(), o.cluster ? { cluster: o.cluster } : {});
  const known = new Set((await appliedMigrations(store)).map((m) => m.version));
  const newer = manifest.migrations.filter((m) => !known.has(m.version));
  if (newer.length > 0) {
    const names = newer.map((m) => `${String(m.version).padStart(3, '0')}_${m.name}`).join(', ');
    throw new RestoreRefused(
      `the backup was taken at a newer schema (${names}): restore it with that version of the product`,
    );
  }
  const present = new Set(await presentBureauTables(store));
  for (const t of manifest.tables) {
    if (!present.has(t.name)) throw new RestoreRefused(`this product has no table ${t.name} to restore into`);
    const have = new Map((await tableColumns(store, t.name)).map((c) => [c.name, c.type]));
    for (const c of t.columns) {
      const type = have.get(c.name);
      if (type !== c.type) {
        throw new RestoreRefused(`${t.name}.${c.name} is ${c.type} in the backup but ${type ?? 'absent'} here`);
      }
    }
  }
  const before = await bureauRecordCounts(store);
  const held = Object.entries(before).filter(([, n]) => n > 0);
  if (held.length > 0 && !o.force) {
    throw new RestoreRefused(
      `database ${store.database} already holds bureau records (${held.map(([t, n]) => `${t}: ${n}`).join(', ')}). ` +
        'A restore adds rows and never deletes any, so restoring here would mix the two: the later version of a ' +
        'user or an alert would win whichever side it came from, and both audit trails would interleave. ' +
        'Restore into an empty database (a new EDU_CLICKHOUSE_DATABASE, or an empty chDB folder, before the ' +
        'product first starts on it), or pass --force to add the rows anyway.',
    );
  }
  const restored: Record<string, number> = Object.fromEntries(manifest.tables.map((t) => [t.name, 0]));
  await readBackup(inPath, async (table, rows) => {
    await writeRows(store, table.name, table.columns, rows);
    restored[table.name] = (restored[table.name] ?? 0) + rows.length;
  });
  return { manifest, restored, before };
}
