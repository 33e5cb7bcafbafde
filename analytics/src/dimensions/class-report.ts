import { sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import { toShanghaiRfc3339 } from '../contract/time.ts';
import { registryEntities } from './latest.ts';
import { maskName } from './mask.ts';

// 学情汇报: the teacher's report on one session (class summary and each student's
// performance), the last level of the safety drill-down. A re-sent report replaces the earlier.

export interface ClassReport {
  session_id: string;
  ts: string;
  summary: string;
  students: { student_id: string; masked_name: string; performance: number; note: string }[];
}

/** 学情汇报: the session's latest class_report, or null. Student names are masked. */
export async function classReport(store: Store, schoolId: string, sessionId: string): Promise<ClassReport | null> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT count() AS n, max(ts_ms) AS latest_ts, argMax(summary, ts_ms) AS latest_summary,
           argMax(report_student_ids, ts_ms) AS ids, argMax(report_performance, ts_ms) AS perf,
           argMax(report_notes, ts_ms) AS notes
    FROM class_events
    WHERE school_id = ${schoolId} AND session_id = ${sessionId} AND type = 'class_report'`);
  const r = rows[0];
  if (!r || num(r.n) === 0) return null;
  const ids = (r.ids as string[]).map(String);
  const perf = (r.perf as unknown[]).map(num);
  const notes = (r.notes as string[]).map(String);
  const names = await registryEntities(store, 'student', ids);
  return {
    session_id: sessionId,
    ts: toShanghaiRfc3339(num(r.latest_ts)),
    summary: String(r.latest_summary),
    students: ids.map((id, i) => ({
      student_id: id,
      masked_name: maskName(names.get(id)?.name ?? ''),
      performance: perf[i] ?? 0,
      note: notes[i] ?? '',
    })),
  };
}
