import { mkdirSync } from 'node:fs';
import type { Session } from 'chdb';
import { ident, sql, type Sql } from './sql.ts';
import { toJsonLines, type Store } from './store.ts';

export interface ChdbStoreOptions {
  /** Folder where chDB keeps its MergeTree data; it survives restarts. */
  path: string;
  database: string;
}

/** A store on chDB, ClickHouse running inside this process. */
export async function openChdbStore(opts: ChdbStoreOptions): Promise<Store> {
  mkdirSync(opts.path, { recursive: true });
  // Loaded on demand: the native library is half a gigabyte, and server deployments never
  // need it.
  const { Session: ChdbSession } = await import('chdb');
  const session = new ChdbSession(opts.path);
  session.query(sql`CREATE DATABASE IF NOT EXISTS ${ident(opts.database)}`.text);
  // The session keeps its current database, so every statement below runs unqualified,
  // exactly as it does on the server.
  session.query(sql`USE ${ident(opts.database)}`.text);
  return new ChdbStore(session, opts.database);
}

class ChdbStore implements Store {
  readonly engine = 'chdb' as const;
  constructor(
    private readonly session: Session,
    readonly database: string,
  ) {}

  async exec(statement: Sql): Promise<void> {
    await this.session.queryAsync(statement.text, { format: 'JSONEachRow' });
  }

  async query<Row>(select: Sql): Promise<Row[]> {
    const res = await this.session.queryAsync(select.text, { format: 'JSONEachRow' });
    const text = res.text();
    if (text.length === 0) return [];
    return text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as Row);
  }

  async insert(table: string, rows: readonly object[]): Promise<void> {
    await this.insertJsonLines(table, toJsonLines(rows));
  }

  async insertJsonLines(table: string, lines: string | readonly Uint8Array[]): Promise<void> {
    if (lines.length === 0) return;
    // One payload per insert: chunks are joined (in-process, a copy is all a join costs here).
    const values =
      typeof lines === 'string' ? Buffer.from(lines) : lines.length === 1 ? lines[0]! : Buffer.concat(lines);
    await this.session.insert({ table: ident(table).text, values, format: 'JSONEachRow' });
  }

  async ping(): Promise<void> {
    await this.session.queryAsync('SELECT 1', { format: 'JSONEachRow' });
  }

  async close(): Promise<void> {
    this.session.close();
  }
}
