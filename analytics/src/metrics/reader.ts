import type { SignalTable } from '../live/changes.ts';
import { touchesTermFacts } from '../live/affects.ts';
import type { Store } from '../clickhouse/store.ts';
import { termOfDay } from '../contract/time.ts';
import { computeOverview, type OverviewWithSchools } from './overview.ts';
import { termFacts, type TermFacts } from './queries/term-facts.ts';
import type { Scope } from './scope.ts';

// A metrics reader for a long-running service: the term's enrollment facts (the costly part,
// a GROUP BY over every enrollment) are computed once per term and kept until an enrollment
// or offering row lands (live/affects.ts); the day's numbers are read fresh every time.

export interface MetricsReader {
  /** `at` (HH:MM): the figures as they stood at that moment of the day (contract v1.1). */
  overview(scope: Scope, day: string, now?: number, at?: string): Promise<OverviewWithSchools>;
  /** The term facts of the day's term, from the cache when no enrollment has landed since. */
  termFacts(day: string): Promise<TermFacts>;
  /** Tell the reader which tables changed (from a ChangeSignal). */
  invalidate(tables: readonly SignalTable[]): void;
}

export function createMetricsReader(store: Store): MetricsReader {
  const facts = new Map<string, Promise<TermFacts>>();
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
  return {
    async overview(scope, day, now, at) {
      // Facts as of a past moment are read fresh (a replay); the cache holds the current ones.
      if (at !== undefined) return computeOverview(store, scope, day, now, { at });
      // Term facts invalidated while this ran (a decision or an enrollment landed): its day
      // figures may include the change while the cached facts it began with do not (否定 an
      // offering: one session fewer, its students still enrolled). Computed once more; a
      // further change brings its own signal and recompute.
      for (let attempt = 0; ; attempt++) {
        const gen = generation;
        const o = await computeOverview(store, scope, day, now, { facts: await factsFor(termOfDay(day)) });
        if (gen === generation || attempt === 1) return o;
      }
    },
    termFacts(day) {
      return factsFor(termOfDay(day));
    },
    invalidate(tables) {
      if (!touchesTermFacts(tables)) return;
      facts.clear();
      generation++;
    },
  };
}
