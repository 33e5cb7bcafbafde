import type { Store } from '../clickhouse/store.ts';
import { periodOfDay, termOfDay } from '../contract/time.ts';
import type { DueFigures, Metrics } from './definitions.ts';
import { metricsBySchool, total, totalDue, type SchoolMetrics } from './by-school.ts';
import { momentIso, momentOf, type Moment } from './moment.ts';
import { asOfMs } from './queries/as-of.ts';
import type { TermFacts } from './queries/term-facts.ts';
import type { DayFigures } from './figures-cache.ts';
import { formatScope, type Scope } from './scope.ts';

export interface Overview {
  scope: string;
  date: string;
  term: string;
  period: string;
  metrics: Metrics;
  /** (v1.1) The figures due so far at `due.at`: what the live wall shows during the day. */
  due: DueFigures;
  /** (v1.1) The `at` asked for (HH:MM), when the figures are as of a past moment; else null. */
  at: string | null;
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

export interface OverviewOptions {
  /** HH:MM: every figure as it stood at that moment of the day (contract v1.1). */
  at?: string;
  /** Cached term facts (reader.ts); used only when they fit the day's term and moment. */
  facts?: TermFacts;
  /**
   * The day's session figures and as-of time at this moment, from a figures cache (reader.ts);
   * a promise: the registry and settlements are read while it is pending.
   */
  day?: DayFigures | Promise<DayFigures>;
}

/** The overview and its per-school rows from one read, so a screen's numbers agree. */
export async function computeOverview(
  store: Store,
  scope: Scope,
  day: string,
  now: number = Date.now(),
  opts: OverviewOptions = {},
): Promise<OverviewWithSchools> {
  const m: Moment = momentOf(day, now, opts.at);
  const cached = opts.day && Promise.resolve(opts.day);
  const figures = cached?.then((d) => d.figures);
  const [schools, asOf] = await Promise.all([
    metricsBySchool(store, scope, day, m, opts.facts, figures),
    cached ? cached.then((d) => d.asOf) : asOfMs(store, scope, day, m.eventsUpTo),
  ]);
  return {
    schools,
    overview: {
      scope: formatScope(scope),
      date: day,
      term: termOfDay(day),
      period: periodOfDay(day),
      metrics: total(schools),
      due: totalDue(schools, momentIso(m)),
      at: opts.at ?? null,
      as_of: asOf === null ? null : new Date(asOf).toISOString(),
      lag_ms: asOf === null ? null : Math.max(0, now - asOf),
      computed_at: new Date(now).toISOString(),
    },
  };
}
