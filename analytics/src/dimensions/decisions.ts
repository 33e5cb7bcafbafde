import { isIn, sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import type { Decision, Dimension } from '../contract/supervision.ts';
import { toShanghaiRfc3339 } from '../contract/time.ts';

// The bureau's latest decision (审批 / 驳回 / 喊停 / 否定) on each subject of a dimension, from
// the append-only supervision_log. Notices (一键监管) are not decisions and are skipped.

export interface LatestDecision {
  notice_id: string;
  decision: Decision;
  content: string;
  issuer_role: string;
  ts: string;
}

export async function latestDecisions(
  store: Store,
  dimension: Dimension,
  subjectIds: readonly string[],
): Promise<Map<string, LatestDecision>> {
  if (subjectIds.length === 0) return new Map();
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT subject_id, argMax(notice_id, ts_ms) AS latest_notice, argMax(decision, ts_ms) AS latest_decision,
           argMax(content, ts_ms) AS latest_content, argMax(issuer_role, ts_ms) AS latest_role, max(ts_ms) AS latest_ts
    FROM supervision_log
    WHERE dimension = ${dimension} AND type = 'decision' AND ${isIn(sql`subject_id`, subjectIds)}
    GROUP BY subject_id`);
  return new Map(
    rows.map((r) => [
      String(r.subject_id),
      {
        notice_id: String(r.latest_notice),
        decision: String(r.latest_decision) as Decision,
        content: String(r.latest_content),
        issuer_role: String(r.latest_role),
        ts: toShanghaiRfc3339(num(r.latest_ts)),
      },
    ]),
  );
}
