import { shanghaiDay } from '../contract/time.ts';
import type { Store } from '../clickhouse/store.ts';
import { sql } from '../clickhouse/sql.ts';
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
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT ts_ms, actor_id, actor_role, action, target, ok, ip, detail FROM audit_log
    WHERE ${where} ORDER BY ts_ms DESC LIMIT ${limit}`);
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
