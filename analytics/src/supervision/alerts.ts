import { sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import type { Alert } from '../live/protocol.ts';

// Alert lifecycle log (migration 004): one row per change, the highest version is the state.

export interface AlertVersion {
  alert: Alert;
  version: number;
  ts_ms: number;
}

export async function insertAlertVersions(store: Store, rows: readonly AlertVersion[]): Promise<void> {
  await store.insert(
    'alert_log',
    rows.map((r) => ({
      alert_id: r.alert.id,
      version: r.version,
      ts_ms: r.ts_ms,
      rule: r.alert.rule,
      state: r.alert.state,
      school_id: r.alert.school_id,
      body: JSON.stringify(r.alert),
    })),
  );
}

/** The latest version of each alert, resolved ones only when updated since `sinceMs`. */
export async function loadAlerts(store: Store, sinceMs: number): Promise<AlertVersion[]> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT alert_id, v, l_ts, l_body FROM (
      SELECT alert_id, max(version) AS v, argMax(ts_ms, version) AS l_ts,
             argMax(state, version) AS l_state, argMax(body, version) AS l_body
      FROM alert_log GROUP BY alert_id
    ) WHERE l_state != 'resolved' OR l_ts >= ${sinceMs}`);
  return rows.map((r) => ({ alert: JSON.parse(String(r.l_body)) as Alert, version: num(r.v), ts_ms: num(r.l_ts) }));
}
