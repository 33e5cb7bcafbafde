import type { Store } from '../clickhouse/store.ts';
import { periodOfDay, termOfDay } from '../contract/time.ts';
import type { Metrics } from './definitions.ts';
import { metricsBySchool, total, type SchoolMetrics } from './by-school.ts';
import { asOfMs } from './queries/as-of.ts';
import type { TermFacts } from './queries/term-facts.ts';
import { formatScope, type Scope } from './scope.ts';

export interface Overview {
  scope: string;
  date: string;
  term: string;
  period: string;
  metrics: Metrics;
  /** Newest source time of the events included (RFC 3339), null before any arrived. */
  as_of: string | null;
  /** Milliseconds from `as_of` to when this answer was computed; null with `as_of`. */
  lag_ms: number | null;
  computed_at: string;
}

export interface OverviewWithSchools {
  overview: Overview;
  schools: SchoolMetrics[];
}

/** The overview and its per-school rows from one read, so a screen's numbers agree. */
export async function computeOverview(
  store: Store,
  scope: Scope,
  day: string,
  now: number = Date.now(),
  facts?: TermFacts,
): Promise<OverviewWithSchools> {
  const [schools, asOf] = await Promise.all([metricsBySchool(store, scope, day, facts), asOfMs(store, scope, day)]);
  return {
    schools,
    overview: {
      scope: formatScope(scope),
      date: day,
      term: termOfDay(day),
      period: periodOfDay(day),
      metrics: total(schools),
      as_of: asOf === null ? null : new Date(asOf).toISOString(),
      lag_ms: asOf === null ? null : Math.max(0, now - asOf),
      computed_at: new Date(now).toISOString(),
    },
  };
}
