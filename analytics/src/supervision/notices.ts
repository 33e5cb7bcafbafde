import { sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import type { SupervisionEvent } from '../contract/supervision.ts';
import { toShanghaiRfc3339 } from '../contract/time.ts';

// Notices: the published decision in supervision_log (migration 003, exactly what went to
// edu.supervision.v1). Since contract v1.1 a notice's state is derived from stored events
// (loop.ts); notice_state_log (004) holds the states written before that (open / overdue /
// closed), kept readable, no longer written by the streamer.

export async function insertSupervision(store: Store, e: SupervisionEvent): Promise<void> {
  await store.insert('supervision_log', [
    {
      notice_id: e.notice_id,
      ts_ms: Date.parse(e.ts),
      type: e.type,
      issuer_id: e.issuer_id,
      issuer_role: e.issuer_role,
      target_type: e.target_type,
      target_id: e.target_id,
      dimension: e.dimension,
      subject_id: e.subject_id,
      decision: e.decision,
      content: e.content,
      deadline_ms: e.deadline ? Date.parse(e.deadline) : 0,
    },
  ]);
}

export interface NoticeStateRow {
  notice_id: string;
  version: number;
  ts_ms: number;
  /** A state of before v1.1: open, overdue or closed. */
  state: string;
  by_id: string;
}

export async function insertNoticeState(store: Store, row: NoticeStateRow): Promise<void> {
  await store.insert('notice_state_log', [row]);
}

export interface StoredNotice {
  event: SupervisionEvent;
  /** The latest state written before v1.1 (notice_state_log), null when none. */
  state: string | null;
  state_version: number;
}

/**
 * Every record of supervision_log since `sinceMs` — notices and decisions alike (`event.type`
 * tells them apart) — with the latest state written before v1.1.
 */
export async function loadNotices(store: Store, sinceMs: number): Promise<StoredNotice[]> {
  const [log, states] = await Promise.all([
    store.query<Record<string, unknown>>(sql`
      SELECT notice_id, any(ts_ms) AS t, any(type) AS ty, any(issuer_id) AS iss, any(issuer_role) AS role,
             any(target_type) AS tt, any(target_id) AS tid, any(dimension) AS dim, any(subject_id) AS sub,
             any(decision) AS dec, any(content) AS body, any(deadline_ms) AS dl
      FROM supervision_log WHERE ts_ms >= ${sinceMs} GROUP BY notice_id`),
    store.query<Record<string, unknown>>(sql`
      SELECT notice_id, max(version) AS v, argMax(state, version) AS s FROM notice_state_log GROUP BY notice_id`),
  ]);
  const stateOf = new Map(states.map((r) => [String(r.notice_id), { s: String(r.s), v: num(r.v) }]));
  return log.map((r) => {
    const dl = num(r.dl);
    const st = stateOf.get(String(r.notice_id));
    return {
      event: {
        type: String(r.ty) as SupervisionEvent['type'],
        notice_id: String(r.notice_id),
        ts: toShanghaiRfc3339(num(r.t)),
        issuer_id: String(r.iss),
        issuer_role: String(r.role) as SupervisionEvent['issuer_role'],
        target_type: String(r.tt) as SupervisionEvent['target_type'],
        target_id: String(r.tid),
        dimension: String(r.dim) as SupervisionEvent['dimension'],
        subject_id: String(r.sub),
        decision: String(r.dec) as SupervisionEvent['decision'],
        content: String(r.body),
        ...(dl > 0 ? { deadline: toShanghaiRfc3339(dl) } : {}),
      },
      state: st?.s ?? null,
      state_version: st?.v ?? 0,
    };
  });
}
