import type { Store } from '../clickhouse/store.ts';
import { periodOfDay, termOfDay } from '../contract/time.ts';
import { addCounts, withRates, zeroCounts, type MetricCounts, type Metrics } from './definitions.ts';
import { dayCountsBySchool } from './queries/day-by-school.ts';
import { enrollmentBySchool, schoolsOf, settledBySchool, type SchoolInfo } from './queries/term-by-school.ts';
import type { Scope } from './scope.ts';

export interface SchoolMetrics {
  school: SchoolInfo;
  metrics: Metrics;
}

/**
 * Every metric of the contract for each school of the scope on `day`: the day's counts, the
 * day's term for enrollment and the day's month for settlement. Schools that sent events but
 * are not (yet) in the registry are included with empty names, so no event goes uncounted.
 */
export async function metricsBySchool(store: Store, scope: Scope, day: string): Promise<SchoolMetrics[]> {
  const [schools, days, enrollment, settled] = await Promise.all([
    schoolsOf(store, scope),
    dayCountsBySchool(store, scope, day),
    enrollmentBySchool(store, scope, termOfDay(day)),
    settledBySchool(store, scope, periodOfDay(day)),
  ]);
  const info = new Map<string, SchoolInfo>(schools.map((s) => [s.school_id, s]));
  const counts = new Map<string, MetricCounts>();
  const countsOf = (id: string): MetricCounts => {
    let c = counts.get(id);
    if (!c) counts.set(id, (c = zeroCounts()));
    return c;
  };
  for (const s of schools) countsOf(s.school_id).students = s.students;
  for (const { school_id, ...c } of days) addCounts(countsOf(school_id), c);
  for (const { school_id, ...c } of enrollment) addCounts(countsOf(school_id), c);
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
