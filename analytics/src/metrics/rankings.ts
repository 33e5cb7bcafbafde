import type { MetricName } from './definitions.ts';
import type { SchoolMetrics } from './by-school.ts';

export type RankOrder = 'top' | 'bottom';

export interface RankingRow {
  rank: number;
  school_id: string;
  name: string;
  zone_id: string;
  district_id: string;
  value: number;
}

/**
 * Ranks schools by one metric: `top` is highest first, `bottom` lowest first; ties are broken
 * by school id (ascending) either way, so a ranking is stable between refreshes. A school
 * whose value is null (no data) is not ranked: it is neither best nor worst.
 */
export function rank(
  rows: readonly SchoolMetrics[],
  metric: MetricName,
  order: RankOrder,
  limit: number,
): RankingRow[] {
  const ranked = rows
    .filter((r) => r.metrics[metric] !== null)
    .map((r) => ({ r, v: r.metrics[metric] as number }))
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
