import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { ident, sql, type Sql } from './sql.ts';
import { StoreUnavailableError, toJsonLines, type Store } from './store.ts';

export interface ServerStoreOptions {
  /** One server, or replicas comma-separated in order of preference (see ServerStore). */
  url: string;
  database: string;
  username?: string;
  password?: string;
  requestTimeoutMs?: number;
}

/** A store on a ClickHouse server over HTTP. Creates the database if it does not exist. */
export async function openServerStore(opts: ServerStoreOptions): Promise<Store> {
  const urls = opts.url
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  const common = {
    username: opts.username ?? 'default',
    password: opts.password ?? '',
    request_timeout: opts.requestTimeoutMs ?? 30_000,
    // 18.16 rejects settings it does not know; send none by default.
    clickhouse_settings: {},
  };
  // The database on the first replica that answers (ON CLUSTER migrations create it on all).
  let created: Error | null = new Error('no URL');
  for (const url of urls) {
    const admin = createClient({ ...common, url });
    try {
      await admin.command({ query: sql`CREATE DATABASE IF NOT EXISTS ${ident(opts.database)}`.text });
      created = null;
      break;
    } catch (err) {
      created = err as Error;
    } finally {
      await admin.close();
    }
  }
  if (created) throw new StoreUnavailableError(`ClickHouse at ${opts.url}: ${created.message}`);
  return new ServerStore(
    urls.map((url) => createClient({ ...common, url, database: opts.database })),
    opts.database,
  );
}

/** How long a replica that refused a connection is passed over before it is tried again. */
const PASS_OVER_MS = 5_000;

/**
 * The replica cannot take this statement now, whatever the statement: refused, reset or cut
 * before an answer (the server is gone), or a replicated table read-only (code 242: a replica
 * just restarted, before its ZooKeeper session is up; in the cluster fault suite that held a
 * restarted replica's writers for 30 s while the other replica could take them).
 */
function isReplicaUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', '242'].includes(e.code ?? '') ||
    /socket hang up|ECONNREFUSED|ECONNRESET|Code: 242\b|Table is in readonly mode/.test(e.message ?? '')
  );
}

/**
 * A store on a ClickHouse server over HTTP, or on the replicas of a cluster: every statement
 * goes to the first replica not passed over, and one that refuses or drops the connection, or
 * whose tables are read-only, is passed over for PASS_OVER_MS while the statement is sent to
 * the next. Resending is safe: a connection refused carried nothing, a read-only table wrote
 * nothing, DDL is idempotent, and a resent INSERT block at worst repeats rows, which every figure counts once by id (as it must for Kafka's redeliveries;
 * the cluster profile turns block deduplication off, deploy/cluster/clickhouse/users.xml).
 * Any other error is the statement's, not passed over but the caller's to retry; so is
 * read-only on every replica (ZooKeeper down), which fails on the last one.
 */
class ServerStore implements Store {
  readonly engine = 'server' as const;
  private readonly passedOverUntil: number[];
  constructor(
    private readonly clients: ClickHouseClient[],
    readonly database: string,
  ) {
    this.passedOverUntil = clients.map(() => 0);
  }

  private async run<T>(op: (client: ClickHouseClient) => Promise<T>): Promise<T> {
    const now = Date.now();
    const order = this.clients
      .map((_, i) => i)
      .sort((a, b) => Number((this.passedOverUntil[a] ?? 0) > now) - Number((this.passedOverUntil[b] ?? 0) > now));
    for (const [n, i] of order.entries()) {
      try {
        return await op(this.clients[i] as ClickHouseClient);
      } catch (err) {
        if (n === order.length - 1 || !isReplicaUnavailable(err)) throw err;
        this.passedOverUntil[i] = Date.now() + PASS_OVER_MS;
      }
    }
    throw new StoreUnavailableError('no ClickHouse server configured');
  }

  async exec(statement: Sql): Promise<void> {
    await this.run((c) => c.command({ query: statement.text }));
  }

  async query<Row>(select: Sql): Promise<Row[]> {
    return this.run(async (c) => {
      const rs = await c.query({ query: select.text, format: 'JSONEachRow' });
      return rs.json<Row>();
    });
  }

  async insert(table: string, rows: readonly object[]): Promise<void> {
    await this.insertJsonLines(table, toJsonLines(rows));
  }

  async insertJsonLines(table: string, lines: string | readonly Uint8Array[]): Promise<void> {
    if (lines.length === 0) return;
    // Bytes from a worker thread arrive as plain Uint8Arrays: viewed as Buffers, not copied.
    const body =
      typeof lines === 'string'
        ? [Buffer.from(lines)]
        : lines.map((b) => Buffer.from(b.buffer, b.byteOffset, b.length));
    await this.run(async (c) => {
      // `insert` would encode objects itself; `exec` sends the text as the request body.
      const result = await c.exec({
        query: `INSERT INTO ${ident(table).text} FORMAT JSONEachRow`,
        values: Readable.from(body),
      });
      // An INSERT answers with an empty body; it must still be read for the socket to be reused.
      for await (const _ of result.stream);
    });
  }

  async ping(): Promise<void> {
    await this.run(async (c) => {
      const r = await c.ping();
      if (!r.success) throw r.error;
    }).catch((err: unknown) => {
      throw new StoreUnavailableError(`ClickHouse ping failed: ${String(err)}`);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
  }
}
