import type { Store } from '../clickhouse/store.ts';
import { periodOfDay, termOfDay } from '../contract/time.ts';
import { addCounts, withRates, zeroCounts, type MetricCounts, type Metrics } from './definitions.ts';
import { dayCountsByOffering } from './queries/day-by-school.ts';
import { schoolsOf, settledBySchool, type SchoolInfo } from './queries/term-by-school.ts';
import { termFacts, type TermFacts } from './queries/term-facts.ts';
import type { Scope } from './scope.ts';

export interface SchoolMetrics {
  school: SchoolInfo;
  metrics: Metrics;
}

/**
 * Every metric of the contract for each school of the scope on `day`: the day's counts, the
 * day's term for enrollment and the day's month for settlement. Schools that sent events but
 * are not (yet) in the registry are included in the city with empty names, so no event goes
 * uncounted. `facts` may be passed in from a cache (see reader.ts); it must be of the day's term.
 */
export async function metricsBySchool(
  store: Store,
  scope: Scope,
  day: string,
  facts?: TermFacts,
): Promise<SchoolMetrics[]> {
  const term = termOfDay(day);
  const [schools, days, settled, tf] = await Promise.all([
    schoolsOf(store, scope),
    dayCountsByOffering(store, scope, day),
    settledBySchool(store, scope, periodOfDay(day)),
    facts && facts.term === term ? Promise.resolve(facts) : termFacts(store, term),
  ]);
  const info = new Map<string, SchoolInfo>(schools.map((s) => [s.school_id, s]));
  const counts = new Map<string, MetricCounts>();
  const countsOf = (id: string): MetricCounts => {
    let c = counts.get(id);
    if (!c) counts.set(id, (c = zeroCounts()));
    return c;
  };
  for (const s of schools) countsOf(s.school_id).students = s.students;
  for (const { school_id, offering_id, ...c } of days) {
    addCounts(countsOf(school_id), c);
    countsOf(school_id).students_expected += c.sessions_scheduled * (tf.netByOffering.get(offering_id) ?? 0);
  }
  // Term facts are city-wide; the scope's schools are those the registry places in it.
  for (const [school_id, c] of tf.bySchool) {
    if (scope.kind === 'city' || info.has(school_id)) addCounts(countsOf(school_id), c);
  }
  for (const { school_id, ...c } of settled) addCounts(countsOf(school_id), c);
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, c]) => ({
      school: info.get(id) ?? { school_id: id, name: '', zone_id: '', district_id: '', students: 0 },
      metrics: withRates(c),
    }));
}

/** Sums schools into one set of metrics; rates are recomputed from the sums. */
export function total(rows: readonly SchoolMetrics[]): Metrics {
  const sum = zeroCounts();
  for (const r of rows) addCounts(sum, r.metrics);
  return withRates(sum);
}
