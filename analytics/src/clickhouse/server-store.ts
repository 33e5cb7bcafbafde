import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { ident, sql, type Sql } from './sql.ts';
import { StoreUnavailableError, toJsonLines, type Store } from './store.ts';

export interface ServerStoreOptions {
  url: string;
  database: string;
  username?: string;
  password?: string;
  requestTimeoutMs?: number;
}

/** A store on a ClickHouse server over HTTP. Creates the database if it does not exist. */
export async function openServerStore(opts: ServerStoreOptions): Promise<Store> {
  const common = {
    url: opts.url,
    username: opts.username ?? 'default',
    password: opts.password ?? '',
    request_timeout: opts.requestTimeoutMs ?? 30_000,
    // 18.16 rejects settings it does not know; send none by default.
    clickhouse_settings: {},
  };
  const admin = createClient(common);
  try {
    await admin.command({ query: sql`CREATE DATABASE IF NOT EXISTS ${ident(opts.database)}`.text });
  } catch (err) {
    throw new StoreUnavailableError(`ClickHouse at ${opts.url}: ${(err as Error).message}`);
  } finally {
    await admin.close();
  }
  return new ServerStore(createClient({ ...common, database: opts.database }), opts.database);
}

class ServerStore implements Store {
  readonly engine = 'server' as const;
  constructor(
    private readonly client: ClickHouseClient,
    readonly database: string,
  ) {}

  async exec(statement: Sql): Promise<void> {
    await this.client.command({ query: statement.text });
  }

  async query<Row>(select: Sql): Promise<Row[]> {
    const rs = await this.client.query({ query: select.text, format: 'JSONEachRow' });
    return rs.json<Row>();
  }

  async insert(table: string, rows: readonly object[]): Promise<void> {
    await this.insertJsonLines(table, toJsonLines(rows));
  }

  async insertJsonLines(table: string, lines: string): Promise<void> {
    if (lines.length === 0) return;
    // `insert` would encode objects itself; `exec` sends the text as the request body.
    const result = await this.client.exec({
      query: `INSERT INTO ${ident(table).text} FORMAT JSONEachRow`,
      values: Readable.from([Buffer.from(lines)]),
    });
    // An INSERT answers with an empty body; it must still be read for the socket to be reused.
    for await (const _ of result.stream);
  }

  async ping(): Promise<void> {
    const r = await this.client.ping();
    if (!r.success) throw new StoreUnavailableError(`ClickHouse ping failed: ${String(r.error)}`);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
