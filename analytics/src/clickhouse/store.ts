import type { Sql } from './sql.ts';

// One interface, two engines: the ClickHouse server (production; Debian's 18.16 in tests) and
// chDB in-process (the embedded default). Every caller speaks SQL through `sql` fragments that
// run unchanged on both.

export type EngineName = 'server' | 'chdb';

export interface Store {
  readonly engine: EngineName;
  readonly database: string;
  /** DDL and other statements that return nothing. */
  exec(statement: Sql): Promise<void>;
  /** A SELECT, rows as JSON objects. 64-bit integers may arrive as strings: use `num()`. */
  query<Row>(select: Sql): Promise<Row[]>;
  /** Inserts rows (JSONEachRow) into a table of the store's database. */
  insert(table: string, rows: readonly object[]): Promise<void>;
  /**
   * Inserts rows already encoded as JSONEachRow, one JSON object per line: text, or its UTF-8
   * bytes in consecutive chunks (ingest's validation workers encode them, so the main thread
   * only sends them, without joining them first).
   */
  insertJsonLines(table: string, lines: string | readonly Uint8Array[]): Promise<void>;
  /** Resolves when the engine answers; rejects with the reason otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Rows as JSONEachRow text: the one encoding both engines' `insert` send. */
export function toJsonLines(rows: readonly object[]): string {
  let lines = '';
  for (const row of rows) lines += JSON.stringify(row) + '\n';
  return lines;
}

/** ClickHouse's JSON output quotes 64-bit integers on the server but not in chDB. */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v !== '') return Number(v);
  return 0;
}

/** Same as `num`, but a NULL (no data) stays null. */
export function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : num(v);
}

export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

/**
 * Destructive helpers (dropping a database) refuse to touch anything whose name does not say
 * it is a test database: a misconfigured test must never wipe a bureau's data.
 */
export function assertTestDatabase(database: string): void {
  if (!/test/i.test(database)) {
    throw new Error(`refusing to drop ${database}: only databases named *test* may be dropped`);
  }
}
