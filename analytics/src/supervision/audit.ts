import { shanghaiDay } from '../contract/time.ts';
import type { Store } from '../clickhouse/store.ts';
import { join, sql, type Sql } from '../clickhouse/sql.ts';
import { num } from '../clickhouse/store.ts';

// The audit trail (migration 004): who did what, when, from where; append-only.

export interface AuditEntry {
  ts_ms: number;
  actor_id: string;
  actor_role: string;
  action: string;
  target: string;
  ok: boolean;
  ip: string;
  /** Never a password or a token. */
  detail: Record<string, unknown>;
}

export async function insertAudit(store: Store, entries: readonly AuditEntry[]): Promise<void> {
  await store.insert(
    'audit_log',
    entries.map((e) => ({ ...e, day: shanghaiDay(e.ts_ms), ok: e.ok ? 1 : 0, detail: JSON.stringify(e.detail) })),
  );
}

export async function recentAudit(store: Store, limit: number, action?: string): Promise<AuditEntry[]> {
  const where = action === undefined ? sql`1` : sql`action = ${action}`;
  return readAudit(store, where, limit);
}

/** What the audit page filters by; every field optional. Days are Asia/Shanghai YYYY-MM-DD. */
export interface AuditFilter {
  actor?: string;
  action?: string;
  /** true: only what was done; false: only refusals. */
  ok?: boolean;
  from?: string;
  to?: string;
}

function auditWhere(filter: AuditFilter): Sql {
  const parts: Sql[] = [sql`1`];
  if (filter.actor !== undefined) parts.push(sql`actor_id = ${filter.actor}`);
  if (filter.action !== undefined) parts.push(sql`action = ${filter.action}`);
  if (filter.ok !== undefined) parts.push(sql`ok = ${filter.ok ? 1 : 0}`);
  if (filter.from !== undefined) parts.push(sql`day >= toDate(${filter.from})`);
  if (filter.to !== undefined) parts.push(sql`day <= toDate(${filter.to})`);
  return join(parts, ' AND ');
}

/**
 * The newest `limit` entries matching the filter, after skipping the newest `offset`. The day
 * range reads only the partitions and the primary-key range it needs (the table is ordered by
 * day), so a year of audit stays cheap.
 */
export async function findAudit(
  store: Store,
  filter: AuditFilter,
  limit: number,
  offset: number = 0,
): Promise<AuditEntry[]> {
  return readAudit(store, auditWhere(filter), limit, offset);
}

/** One page of the audit trail (newest first) and how many entries match the filter in all. */
export interface AuditEntriesPage {
  entries: AuditEntry[];
  total: number;
}

/**
 * A page of the entries matching the filter: `limit` of them after the newest `offset`. Pages
 * are cut in a total order (time, then the entry's other columns), so entries of the same
 * millisecond never repeat or go missing from one page to the next.
 */
export async function auditPage(
  store: Store,
  filter: AuditFilter,
  limit: number,
  offset: number,
): Promise<AuditEntriesPage> {
  const where = auditWhere(filter);
  const [entries, count] = await Promise.all([
    readAudit(store, where, limit, offset),
    store.query<Record<string, unknown>>(sql`SELECT count() AS n FROM audit_log WHERE ${where}`),
  ]);
  return { entries, total: num(count[0]?.n ?? 0) };
}

async function readAudit(store: Store, where: Sql, limit: number, offset: number = 0): Promise<AuditEntry[]> {
  // `LIMIT offset, n`: the form both ClickHouse 18.16 and chDB read.
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT ts_ms, actor_id, actor_role, action, target, ok, ip, detail FROM audit_log
    WHERE ${where} ORDER BY ts_ms DESC, actor_id, action, target, ok, ip, detail
    LIMIT ${offset}, ${limit}`);
  return rows.map((r) => ({
    ts_ms: num(r.ts_ms),
    actor_id: String(r.actor_id),
    actor_role: String(r.actor_role),
    action: String(r.action),
    target: String(r.target),
    ok: num(r.ok) === 1,
    ip: String(r.ip),
    detail: JSON.parse(String(r.detail)) as Record<string, unknown>,
  }));
}
