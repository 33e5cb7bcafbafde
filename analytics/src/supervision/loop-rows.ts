import { sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import type { LoopDecisionRow, LoopEventRow } from './loop.ts';

// What the 督办 loop is derived from, read back from the store: the schools' events
// (rectifications, 014) and the bureau's decisions on notices (supervision_log). A redelivered
// event (same id) is read once (GROUP BY id), whether or not the table has merged.

export interface LoopRows {
  /** School-side events per notice id, including notices this store does not know. */
  events: Map<string, LoopEventRow[]>;
  /** `closed` / `returned` decisions per notice id (their subject_id). */
  decisions: Map<string, LoopDecisionRow[]>;
}

/** Every loop event and decision with a source time from `sinceMs` on. */
export async function loadLoopRows(store: Store, sinceMs: number): Promise<LoopRows> {
  const [events, decisions] = await Promise.all([
    store.query<Record<string, unknown>>(sql`
      SELECT id, any(ts_ms) AS t, any(type) AS ty, any(school_id) AS sch, any(notice_id) AS nid,
             any(receiver_id) AS rcv, any(submission_id) AS sub, any(content) AS body,
             any(attachment_names) AS an, any(attachment_urls) AS au
      FROM rectifications WHERE ts_ms >= ${sinceMs} GROUP BY id`),
    store.query<Record<string, unknown>>(sql`
      SELECT notice_id, any(ts_ms) AS t, any(decision) AS dec, any(issuer_id) AS iss, any(subject_id) AS sub,
             any(content) AS body
      FROM supervision_log
      WHERE type = 'decision' AND decision IN ('closed', 'returned') AND ts_ms >= ${sinceMs}
      GROUP BY notice_id`),
  ]);
  const out: LoopRows = { events: new Map(), decisions: new Map() };
  for (const r of events) {
    const names = (r.an as string[] | undefined) ?? [];
    const urls = (r.au as string[] | undefined) ?? [];
    push(out.events, String(r.nid), {
      id: String(r.id),
      ts_ms: num(r.t),
      type: String(r.ty) === 'notice_received' ? 'notice_received' : 'rectification_submitted',
      school_id: String(r.sch),
      notice_id: String(r.nid),
      receiver_id: String(r.rcv),
      submission_id: String(r.sub),
      content: String(r.body),
      attachments: names.map((name, i) => ({ name, url: urls[i] ?? '' })),
    });
  }
  for (const r of decisions) {
    push(out.decisions, String(r.sub), {
      id: String(r.notice_id),
      ts_ms: num(r.t),
      decision: String(r.dec) === 'closed' ? 'closed' : 'returned',
      issuer_id: String(r.iss),
      content: String(r.body),
    });
  }
  return out;
}

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
