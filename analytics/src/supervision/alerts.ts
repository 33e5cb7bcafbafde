import { sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import type { Alert } from '../live/protocol.ts';

// Alert lifecycle log (migration 004): one row per change, the highest version is the state.

export interface AlertVersion {
  alert: Alert;
  version: number;
  ts_ms: number;
}

/** Each version into alert_log (an alert's newest survives merges) and alert_history (every one is kept). */
export async function insertAlertVersions(store: Store, rows: readonly AlertVersion[]): Promise<void> {
  const logged = rows.map((r) => ({
    alert_id: r.alert.id,
    version: r.version,
    ts_ms: r.ts_ms,
    rule: r.alert.rule,
    state: r.alert.state,
    school_id: r.alert.school_id,
    body: JSON.stringify(r.alert),
  }));
  await Promise.all([store.insert('alert_log', logged), store.insert('alert_history', logged)]);
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

/**
 * Every alert as it stood at `t` (epoch ms; replay, contract v1.1 `at`): per alert, its latest
 * version logged at or before `t`. Alerts resolved before `dayStart` are left out (as the live
 * list leaves out those resolved before the day), and so are alerts raised after `t`.
 *
 * Versions come from alert_history (every version, migration 017) and alert_log (a
 * ReplacingMergeTree: a background merge may have kept only an alert's newest version; the only
 * copy of versions written before alert_history existed). The same version read from both is the
 * same row. An alert whose every surviving version is after `t` but that was opened by then (its
 * history predates alert_history and was merged away) is rebuilt from its newest body, wound back
 * to `t` (its acknowledgement and resolution only if they happened by then), so a merge loses
 * detail, never an alert.
 */
export async function alertsAsOf(store: Store, t: number, dayStart: number): Promise<Alert[]> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT alert_id, n_then, then_body, last_body FROM (
      SELECT alert_id,
             countIf(ts_ms <= ${t}) AS n_then,
             argMaxIf(body, version, ts_ms <= ${t}) AS then_body,
             argMaxIf(state, version, ts_ms <= ${t}) AS then_state,
             maxIf(ts_ms, ts_ms <= ${t}) AS then_ts,
             argMax(body, version) AS last_body,
             max(ts_ms) AS last_ts
      FROM (
        SELECT alert_id, version, ts_ms, state, body FROM alert_history
        UNION ALL
        SELECT alert_id, version, ts_ms, state, body FROM alert_log
      ) GROUP BY alert_id
    ) WHERE (n_then > 0 AND (then_state != 'resolved' OR then_ts >= ${dayStart}))
         OR (n_then = 0 AND last_ts >= ${dayStart})
    ORDER BY alert_id`);
  const out: Alert[] = [];
  for (const r of rows) {
    if (num(r.n_then) > 0) {
      out.push(JSON.parse(String(r.then_body)) as Alert);
      continue;
    }
    const a = JSON.parse(String(r.last_body)) as Alert;
    if (Date.parse(a.opened_at) > t) continue;
    out.push(woundBack(a, t));
  }
  return out;
}

/** An alert's newest body as it stood at `t` (its opening ≤ t): later steps undone. */
function woundBack(a: Alert, t: number): Alert {
  const by = (iso: string | undefined) => iso !== undefined && Date.parse(iso) <= t;
  const { ack, resolved_at, escalated_at, notice_id, ...rest } = a;
  const back: Alert = { ...rest, state: 'open', updated_at: a.opened_at };
  if (ack && by(ack.at)) Object.assign(back, { ack, state: 'acknowledged', updated_at: ack.at });
  // When a notice was issued is not in the body: it stays only when the alert was resolved by t.
  if (by(escalated_at)) back.escalated_at = escalated_at;
  if (by(resolved_at)) Object.assign(back, { resolved_at, notice_id, state: 'resolved', updated_at: resolved_at });
  return back;
}
