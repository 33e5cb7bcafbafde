import type { DueFigures, Metrics, MetricName } from './definitions.ts';
import type { SchoolInfo } from './queries/term-by-school.ts';

export type RankOrder = 'top' | 'bottom';

/** A due-so-far figure (contract v1.1), ranked as `due.<name>`. */
export type DueMetricName = Exclude<keyof DueFigures, 'at' | 'grace_minutes'>;
export type RankMetric = MetricName | `due.${DueMetricName}`;

export const DUE_METRIC_NAMES: readonly DueMetricName[] = [
  'sessions_due',
  'students_due',
  'students_present',
  'teachers_present',
  'sessions_due_end',
  'sessions_completed',
  'attendance_rate',
  'teacher_attendance_rate',
  'completion_rate',
];

export interface RankingRow {
  rank: number;
  school_id: string;
  name: string;
  zone_id: string;
  district_id: string;
  value: number;
}

export interface RankableRow {
  school: SchoolInfo;
  metrics: Metrics;
  due?: DueFigures;
}

/** The value a row is ranked by; null (no data) for a due figure of a row without them. */
export function rankValue(row: RankableRow, metric: RankMetric): number | null {
  if (metric.startsWith('due.')) {
    const v = row.due?.[metric.slice(4) as DueMetricName];
    return v === undefined ? null : v;
  }
  return row.metrics[metric as MetricName];
}

/**
 * Ranks schools by one metric: `top` is highest first, `bottom` lowest first; ties are broken
 * by school id (ascending) either way, so a ranking is stable between refreshes. A school
 * whose value is null (no data) is not ranked: it is neither best nor worst.
 */
export function rank(rows: readonly RankableRow[], metric: RankMetric, order: RankOrder, limit: number): RankingRow[] {
  const ranked = rows
    .map((r) => ({ r, v: rankValue(r, metric) }))
    .filter((x): x is { r: RankableRow; v: number } => x.v !== null)
    .sort((a, b) => {
      if (a.v !== b.v) return order === 'top' ? b.v - a.v : a.v - b.v;
      return a.r.school.school_id < b.r.school.school_id ? -1 : 1;
    })
    .slice(0, limit);
  return ranked.map(({ r, v }, i) => ({
    rank: i + 1,
    school_id: r.school.school_id,
    name: r.school.name,
    zone_id: r.school.zone_id,
    district_id: r.school.district_id,
    value: v,
  }));
}
