import type { RankOrder, RankingRow } from '../metrics/rankings.ts';
import type { SchoolInfo } from '../metrics/queries/term-by-school.ts';

/**
 * Ranks schools by a value that is not one of the contract's metrics (courses selected,
 * sessions of a term), with the same rules as metrics/rankings.ts `rank`: ties broken by
 * school id, a null value ranked nowhere.
 */
export function rankBy(
  rows: readonly { school: SchoolInfo; value: number | null }[],
  order: RankOrder,
  limit = 10,
): RankingRow[] {
  return rows
    .filter((r): r is { school: SchoolInfo; value: number } => r.value !== null)
    .sort((a, b) => {
      if (a.value !== b.value) return order === 'top' ? b.value - a.value : a.value - b.value;
      return a.school.school_id < b.school.school_id ? -1 : 1;
    })
    .slice(0, limit)
    .map(({ school: s, value }, i) => ({
      rank: i + 1,
      school_id: s.school_id,
      name: s.name,
      zone_id: s.zone_id,
      district_id: s.district_id,
      value,
    }));
}

export interface TopBottom {
  top: RankingRow[];
  bottom: RankingRow[];
}

export function topBottom(rows: readonly { school: SchoolInfo; value: number | null }[], limit = 10): TopBottom {
  return { top: rankBy(rows, 'top', limit), bottom: rankBy(rows, 'bottom', limit) };
}

/** Count and share of each key; shares are null when there is nothing to share. */
export function shares<K extends string>(
  keys: readonly K[],
  values: Iterable<string>,
): { key: K | string; count: number; share: number | null }[] {
  const counts = new Map<string, number>(keys.map((k) => [k, 0]));
  let total = 0;
  for (const v of values) {
    counts.set(v, (counts.get(v) ?? 0) + 1);
    total += 1;
  }
  return [...counts].map(([key, count]) => ({ key, count, share: total > 0 ? count / total : null }));
}
