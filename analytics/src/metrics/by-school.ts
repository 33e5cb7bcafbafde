import type { Store } from '../clickhouse/store.ts';
import { periodOfDay, termOfDay } from '../contract/time.ts';
import {
  addCounts,
  addDueCounts,
  withDueRates,
  withRates,
  zeroCounts,
  zeroDueCounts,
  type DueCounts,
  type DueFigures,
  type MetricCounts,
  type Metrics,
} from './definitions.ts';
import { momentIso, type Moment } from './moment.ts';
import { addSession } from './queries/day-by-school.ts';
import { sessionFigures, type SessionFigures } from './queries/session-figures.ts';
import { schoolsOf, settledBySchool, type SchoolInfo } from './queries/term-by-school.ts';
import { termFacts, type TermFacts } from './queries/term-facts.ts';
import type { Scope } from './scope.ts';

export interface SchoolMetrics {
  school: SchoolInfo;
  metrics: Metrics;
  /** The figures due so far at the moment computed for (contract v1.1). */
  due: DueFigures;
}

/**
 * Every metric of the contract for each school of the scope on `day` at moment `m`: the day's
 * counts and the due-so-far counts, the day's term for enrollment and the day's month for
 * settlement. Schools that sent events but are not (yet) in the registry are included in the
 * city with empty names, so no event goes uncounted. `facts` may be passed in from a cache (see
 * reader.ts); it is used only when it is of the day's term and stands at the same moment.
 * `figures`: the scope's session figures at `m`, when the caller has read them already.
 */
export async function metricsBySchool(
  store: Store,
  scope: Scope,
  day: string,
  m: Moment,
  facts?: TermFacts,
  figures?: readonly SessionFigures[] | Promise<readonly SessionFigures[]>,
): Promise<SchoolMetrics[]> {
  const term = termOfDay(day);
  const upTo = m.eventsUpTo;
  const [schools, days, settled, tf] = await Promise.all([
    schoolsOf(store, scope, upTo),
    figures ?? sessionFigures(store, scope, day, m),
    settledBySchool(store, scope, periodOfDay(day), upTo),
    facts && facts.term === term && facts.upTo === upTo ? Promise.resolve(facts) : termFacts(store, term, upTo),
  ]);
  const info = new Map<string, SchoolInfo>(schools.map((s) => [s.school_id, s]));
  const counts = new Map<string, { day: MetricCounts; due: DueCounts }>();
  const countsOf = (id: string) => {
    let c = counts.get(id);
    if (!c) counts.set(id, (c = { day: zeroCounts(), due: zeroDueCounts() }));
    return c;
  };
  for (const s of schools) countsOf(s.school_id).day.students = s.students;
  // Session by session (a city's day is 30,000): no grouping per offering on the live path.
  for (const f of days) {
    const c = countsOf(f.school_id);
    const net = tf.netByOffering.get(f.offering_id) ?? 0;
    addSession(c.day, c.due, f);
    c.day.students_expected += net;
    if (f.due_start) c.due.students_due += net;
  }
  // Term facts are city-wide; the scope's schools are those the registry places in it.
  for (const [school_id, c] of tf.bySchool) {
    if (scope.kind === 'city' || info.has(school_id)) addCounts(countsOf(school_id).day, c);
  }
  for (const { school_id, ...c } of settled) addCounts(countsOf(school_id).day, c);
  const at = momentIso(m);
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, c]) => ({
      school: info.get(id) ?? { school_id: id, name: '', zone_id: '', district_id: '', students: 0 },
      metrics: withRates(c.day),
      due: withDueRates(c.due, at),
    }));
}

/** Sums schools into one set of metrics; rates are recomputed from the sums. */
export function total(rows: readonly SchoolMetrics[]): Metrics {
  const sum = zeroCounts();
  for (const r of rows) addCounts(sum, r.metrics);
  return withRates(sum);
}

/** Sums schools' due figures; rates are recomputed from the sums. */
export function totalDue(rows: readonly SchoolMetrics[], at: string): DueFigures {
  const sum = zeroDueCounts();
  for (const r of rows) addDueCounts(sum, r.due);
  return withDueRates(sum, at);
}
