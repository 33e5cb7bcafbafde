import type { ChangeSignal } from '../live/changes.ts';
import { touchesTermFacts } from '../live/affects.ts';
import type { Store } from '../clickhouse/store.ts';
import { termOfDay } from '../contract/time.ts';
import { computeOverview, type OverviewWithSchools } from './overview.ts';
import { termFacts, type TermFacts } from './queries/term-facts.ts';
import type { Scope } from './scope.ts';
import { createFiguresCache, type FiguresCache, type FiguresCacheOptions } from './figures-cache.ts';

// A metrics reader for a long-running service: the term's enrollment facts (a GROUP BY over
// every enrollment) are computed once per term and kept until an enrollment or offering row
// lands (live/affects.ts). On the live path, which follows the change signals, the day's
// session figures are kept per scope and day too, and only the schools a signal named since
// are read again (figures-cache.ts). The read API reads the day afresh: a row stored by other
// means than ingest (a restore, a test) shows at once.

export interface MetricsReader {
  /**
   * Read from ClickHouse (the read API); `at` (HH:MM): the figures as they stood at that moment
   * of the day (contract v1.1).
   */
  overview(scope: Scope, day: string, now?: number, at?: string): Promise<OverviewWithSchools>;
  /**
   * The same figures for the live path (the walls' snapshots), from the day figures cache: exact as long as every stored row's change signal reaches `invalidate`.
   */
  live(scope: Scope, day: string, now: number): Promise<OverviewWithSchools>;
  /** The term facts of the day's term, from the cache when no enrollment has landed since. */
  termFacts(day: string): Promise<TermFacts>;
  /** Tell the reader which tables and schools took rows (a ChangeSignal). */
  invalidate(signal: Pick<ChangeSignal, 'tables' | 'schools'>): void;
  /** The day figures cache (its read counts, for benchmarks). */
  readonly figures: FiguresCache;
}

export function createMetricsReader(store: Store, opts: { figures?: FiguresCacheOptions } = {}): MetricsReader {
  const facts = new Map<string, Promise<TermFacts>>();
  const figures = createFiguresCache(store, opts.figures);
  /** Counts the invalidations of the term facts: an overview computed across one is mixed. */
  let generation = 0;
  const factsFor = (term: string): Promise<TermFacts> => {
    let f = facts.get(term);
    if (!f) {
      f = termFacts(store, term);
      // A failed read is not cached: the next call tries again.
      f.catch(() => facts.delete(term));
      facts.set(term, f);
    }
    return f;
  };
  /**
   * Term facts invalidated while `compute` ran (a decision or an enrollment landed): its day
   * figures may include the change while the cached facts it began with do not (否定 an
   * offering: one session fewer, its students still enrolled). Computed once more; a further
   * change brings its own signal and recompute.
   */
  const withFacts = async <T>(day: string, compute: (tf: TermFacts) => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      const gen = generation;
      const o = await compute(await factsFor(termOfDay(day)));
      if (gen === generation || attempt === 1) return o;
    }
  };
  return {
    overview(scope, day, now, at) {
      // Facts as of a past moment are read fresh (a replay); the cache holds the current ones.
      if (at !== undefined) return computeOverview(store, scope, day, now, { at });
      return withFacts(day, (tf) => computeOverview(store, scope, day, now, { facts: tf }));
    },
    live(scope, day, now) {
      return withFacts(day, (tf) =>
        computeOverview(store, scope, day, now, { facts: tf, day: figures.read(scope, day, now) }),
      );
    },
    termFacts(day) {
      return factsFor(termOfDay(day));
    },
    invalidate(signal) {
      figures.changed(signal);
      if (!touchesTermFacts(signal.tables)) return;
      facts.clear();
      generation++;
    },
    figures,
  };
}
