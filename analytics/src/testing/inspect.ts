import type { Table } from '../clickhouse/rows.ts';
import { ident, isIn, sql, type Sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';

// What the tests and benches of the other packages read back from a store, so that no SQL is
// written outside analytics (the lint rule in eslint.config.js): the ids stored, how many,
// the dead letters, a feedback's comment as stored, a user's versions; and a store whose queries can be slowed or
// failed, for the tests of what runs the queries.

/**
 * The distinct ids stored in `table`, sorted: all of them, or those among `ids`, or those
 * starting with one of `prefixes`.
 */
export async function storedIds(
  store: Store,
  table: Table,
  filter: { ids?: readonly string[]; prefixes?: readonly string[] } = {},
): Promise<string[]> {
  const conditions: Sql[] = [sql`1`];
  if (filter.ids) conditions.push(isIn(sql`id`, filter.ids));
  if (filter.prefixes) conditions.push(sql`arrayExists(p -> startsWith(id, p), ${filter.prefixes})`);
  const where = conditions.reduce((a, b) => sql`${a} AND ${b}`);
  const rows = await store.query<{ id: string }>(
    sql`SELECT id FROM ${ident(table)} WHERE ${where} GROUP BY id ORDER BY id`,
  );
  return rows.map((r) => r.id);
}

/** How many distinct ids `table` holds: a duplicate (a redelivered event) counts once. */
export async function distinctIds(store: Store, table: Table): Promise<number> {
  const rows = await store.query<{ n: unknown }>(sql`SELECT uniqExact(id) AS n FROM ${ident(table)}`);
  return num(rows[0]?.n);
}

/** How many rows `table` holds (of one id, when given): duplicates not yet merged count each. */
export async function rowCount(store: Store, table: Table, id?: string): Promise<number> {
  const rows = await store.query<{ n: unknown }>(
    sql`SELECT count() AS n FROM ${ident(table)} WHERE ${id === undefined ? sql`1` : sql`id = ${id}`}`,
  );
  return num(rows[0]?.n);
}

export interface StoredDeadLetter {
  received_ms: number;
  code: string;
  reason: string;
  source: string;
  original_base64: string;
}

/** The dead letters of the dead_letters table (no Kafka: the embedded default, the HTTP intake), oldest first. */
export async function storedDeadLetters(
  store: Store,
  filter: { source?: string; code?: string } = {},
): Promise<StoredDeadLetter[]> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT received_ms, code, reason, source, original_base64
    FROM dead_letters
    WHERE ${filter.source === undefined ? sql`1` : sql`source = ${filter.source}`}
      AND ${filter.code === undefined ? sql`1` : sql`code = ${filter.code}`}
    ORDER BY received_ms, code`);
  return rows.map((r) => ({
    received_ms: num(r.received_ms),
    code: String(r.code),
    reason: String(r.reason),
    source: String(r.source),
    original_base64: String(r.original_base64),
  }));
}

/** How many versions of one user the users table holds (every change appends one). */
export async function userVersions(store: Store, userId: string): Promise<number> {
  const rows = await store.query<{ n: unknown }>(sql`SELECT count() AS n FROM users WHERE user_id = ${userId}`);
  return num(rows[0]?.n);
}

/** Feedback comments as stored, by feedback event id (one per id, duplicates being copies). */
export async function storedComments(store: Store, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await store.query<{ id: string; comment: string }>(
    sql`SELECT id, any(comment) AS comment FROM feedback WHERE ${isIn(sql`id`, ids)} GROUP BY id`,
  );
  return new Map(rows.map((r) => [r.id, r.comment]));
}

/**
 * The same store, but every query (and statement) first calls `before` with it: it may count,
 * record the SQL, move a fake clock, wait, or throw to fail that query as an unreachable
 * ClickHouse would.
 */
export function interceptQueries(store: Store, before: (q: Sql) => void | Promise<void>): Store {
  const wrapped = Object.create(store) as Store;
  wrapped.query = async <Row>(select: Sql) => {
    await before(select);
    return store.query<Row>(select);
  };
  wrapped.exec = async (statement: Sql) => {
    await before(statement);
    return store.exec(statement);
  };
  return wrapped;
}
