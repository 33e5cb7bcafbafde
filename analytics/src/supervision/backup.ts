import { ident, isIn, join, sql, type Sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';

// Backup and restore of what only the bureau has (issue 14): its users, its decisions and
// notices, the notices' later states and the schools' receipts and rectifications they derive
// from, its alerts and their history, its audit trail and its intake keys. School events can be
// sent again by the schools; these rows cannot. deploy/src/backup/ writes them to a file and
// back; the SQL is here.
//
// Rows are read and written exactly as stored, every version of a versioned row (no argMax, no
// FINAL): a restored store answers every read function as the original did. 64-bit integers
// travel as decimal strings and are written back as bare JSON numbers, so versions and
// millisecond timestamps beyond 2^53 survive a JavaScript round trip.

export interface BureauTable {
  table: string;
  /**
   * A ReplacingMergeTree's ORDER BY: newer engines (chDB, servers from 20.x) keep only the
   * highest version of a key within one insert, so a restore writes each version of a key in
   * an insert of its own, as the product wrote them.
   */
  key?: readonly string[];
  /** A 64-bit time column the backup reads the table in ranges of (see `tableRows`). */
  page: string;
  /** Created by a later migration: backed up when the store has it. */
  optional?: true;
}

/**
 * The bureau's own tables. One list to extend when a migration adds another: backup, the
 * "empty store" check before a restore, and the tests all read it.
 */
export const BUREAU_TABLES: readonly BureauTable[] = [
  { table: 'users', key: ['user_id'], page: 'updated_ms' },
  { table: 'supervision_log', page: 'ts_ms' },
  { table: 'notice_state_log', key: ['notice_id'], page: 'ts_ms' },
  { table: 'alert_log', key: ['alert_id'], page: 'ts_ms' },
  { table: 'audit_log', page: 'ts_ms' },
  // Migration 013: the HTTP intake's keys and when each was last used.
  { table: 'source_keys', key: ['key_id'], page: 'updated_ms', optional: true },
  { table: 'source_key_uses', key: ['key_id'], page: 'used_ms', optional: true },
  // Migration 014: a notice's state is derived from these and supervision_log, so notices
  // restored without them would reopen; Kafka keeps them only for its retention.
  { table: 'rectifications', key: ['notice_id', 'id'], page: 'ts_ms', optional: true },
  // Migration 016: the wall displays and their (hashed) credentials; a restore keeps walls paired.
  { table: 'displays', key: ['display_id'], page: 'updated_ms', optional: true },
  { table: 'display_seen', key: ['display_id'], page: 'seen_ms', optional: true },
  // Migration 017: every version of every alert (alert_log keeps an alert's newest): replay's history.
  { table: 'alert_history', page: 'ts_ms', optional: true },
];

export interface BackupColumn {
  name: string;
  type: string;
}

/** A row as it travels: values in column order, 64-bit integers as decimal strings. */
export type BackupRow = unknown[];

// Types whose JSONEachRow text reads back into the same value on both engines. DateTime is
// not among them: its text is in the server's time zone, and a restore elsewhere would move
// it. A table with another type fails the backup, naming it, rather than losing precision.
const SUPPORTED_TYPE = /^(String|U?Int(8|16|32|64)|Date|Array\(String\))$/;
const WIDE_INT = /^U?Int64$/;
const DIGITS = /^-?\d+$/;

/** The bureau tables this store holds (a required one missing is an error). */
export async function presentBureauTables(store: Store): Promise<string[]> {
  const rows = await store.query<{ name: string }>(sql`
    SELECT name FROM system.tables WHERE database = currentDatabase() AND ${isIn(
      sql`name`,
      BUREAU_TABLES.map((t) => t.table),
    )}`);
  const have = new Set(rows.map((r) => String(r.name)));
  const missing = BUREAU_TABLES.filter((t) => !t.optional && !have.has(t.table)).map((t) => t.table);
  if (missing.length > 0) {
    throw new Error(`database ${store.database} has no ${missing.join(', ')}: not a migrated store of this product`);
  }
  return BUREAU_TABLES.map((t) => t.table).filter((t) => have.has(t));
}

/** The columns a row is written with, in table order (MATERIALIZED and ALIAS ones cannot be). */
export async function tableColumns(store: Store, table: string): Promise<BackupColumn[]> {
  const rows = await store.query<Record<string, unknown>>(sql`DESCRIBE TABLE ${ident(table)}`);
  const columns = rows
    .filter((r) => r.default_type === '' || r.default_type === 'DEFAULT')
    .map((r) => ({ name: String(r.name), type: String(r.type) }));
  for (const c of columns) {
    if (!SUPPORTED_TYPE.test(c.type)) {
      throw new Error(`${table}.${c.name} is ${c.type}, which backup.ts cannot carry exactly: add it there`);
    }
  }
  return columns;
}

export async function countRows(store: Store, table: string): Promise<number> {
  const rows = await store.query<{ n: unknown }>(sql`SELECT count() AS n FROM ${ident(table)}`);
  return num(rows[0]?.n);
}

/** Rows of every bureau table the store holds (restore refuses a store where any is non-zero). */
export async function bureauRecordCounts(store: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await presentBureauTables(store)) counts[table] = await countRows(store, table);
  return counts;
}

/**
 * A table's rows, page by page. A page is every row whose `BureauTable.page` column lies in a
 * range: its bound is the value `pageSize` rows on, so rows sharing a value are never split,
 * and each page costs a scan of one column rather than a sort of the whole table (an offset
 * would sort it once per page). Read it with the store quiet: a row written during a backup
 * may or may not be in it.
 */
export async function* tableRows(
  store: Store,
  table: string,
  columns: readonly BackupColumn[],
  pageSize = 20_000,
): AsyncGenerator<BackupRow[]> {
  const pageColumn = BUREAU_TABLES.find((t) => t.table === table)?.page;
  if (!pageColumn || !columns.some((c) => c.name === pageColumn && WIDE_INT.test(c.type))) {
    throw new Error(`${table}: BUREAU_TABLES names no 64-bit column of it to page by`);
  }
  const t = ident(table);
  const pc = ident(pageColumn);
  // Positional aliases: 18.16 reports a cycle for `toString(version) AS version`.
  const select = join(
    columns.map((c, i) =>
      WIDE_INT.test(c.type)
        ? sql`toString(${ident(c.name)}) AS ${ident(`b${i}`)}`
        : sql`${ident(c.name)} AS ${ident(`b${i}`)}`,
    ),
  );
  const valueAt = async (where: Sql, offset: number): Promise<string | null> => {
    const r = await store.query<{ v: string }>(
      sql`SELECT toString(${pc}) AS v FROM ${t} WHERE ${where} ORDER BY ${pc} LIMIT ${offset}, 1`,
    );
    return r[0] ? String(r[0].v) : null;
  };
  const rowsWhere = async (where: Sql): Promise<BackupRow[]> => {
    const rows = await store.query<Record<string, unknown>>(sql`SELECT ${select} FROM ${t} WHERE ${where}`);
    return rows.map((r) => columns.map((_, i) => r[`b${i}`]));
  };
  let from = await valueAt(sql`1`, 0);
  while (from !== null) {
    const start = sql`${pc} >= toInt64(${from})`;
    const bound = await valueAt(start, pageSize);
    if (bound === null) {
      yield await rowsWhere(start);
      return;
    }
    if (bound === from) {
      // More than a page of rows share one value: they go together.
      yield await rowsWhere(sql`${pc} = toInt64(${from})`);
      from = await valueAt(sql`${pc} > toInt64(${from})`, 0);
    } else {
      yield await rowsWhere(sql`${start} AND ${pc} < toInt64(${bound})`);
      from = bound;
    }
  }
}

/**
 * Writes rows read by `tableRows` (of the same columns) back into a table, each version of a
 * versioned row in its own insert (see `BureauTable.key`).
 */
export async function writeRows(
  store: Store,
  table: string,
  columns: readonly BackupColumn[],
  rows: readonly BackupRow[],
): Promise<void> {
  const key = BUREAU_TABLES.find((t) => t.table === table)?.key ?? [];
  const keyAt = key.map((k) => columns.findIndex((c) => c.name === k));
  if (keyAt.includes(-1)) throw new Error(`${table} has no column ${key[keyAt.indexOf(-1)]}: update BUREAU_TABLES`);
  const rounds: string[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const id = keyAt.length === 0 ? '' : JSON.stringify(keyAt.map((i) => row[i]));
    const round = keyAt.length === 0 ? 0 : (seen.get(id) ?? 0);
    if (keyAt.length > 0) seen.set(id, round + 1);
    rounds[round] = (rounds[round] ?? '') + jsonLine(table, columns, row) + '\n';
  }
  for (const lines of rounds) await store.insertJsonLines(table, lines);
}

function jsonLine(table: string, columns: readonly BackupColumn[], row: BackupRow): string {
  if (row.length !== columns.length)
    throw new Error(`${table}: a row of ${row.length} values for ${columns.length} columns`);
  const fields = columns.map((c, i) => {
    const v = row[i];
    if (!WIDE_INT.test(c.type)) return `${JSON.stringify(c.name)}:${JSON.stringify(v)}`;
    // Written bare, so nothing but digits may come through from a file.
    if (typeof v !== 'string' || !DIGITS.test(v)) {
      throw new Error(`${table}.${c.name}: ${JSON.stringify(v)} is not a 64-bit integer`);
    }
    return `${JSON.stringify(c.name)}:${v}`;
  });
  return `{${fields.join(',')}}`;
}

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
}

/** The migrations applied to the store: the schema version a backup was taken at. */
export async function appliedMigrations(store: Store): Promise<AppliedMigration[]> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT version, any(name) AS name, any(checksum) AS checksum FROM schema_migrations
    GROUP BY version ORDER BY version`);
  return rows.map((r) => ({ version: num(r.version), name: String(r.name), checksum: String(r.checksum) }));
}
