import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupByTable, toRow } from '../clickhouse/rows.ts';
import type { Store } from '../clickhouse/store.ts';
import { FIXTURE_CITY_METRICS, FIXTURE_DAY, fixtureCityEvents } from '../testing/fixture-city.ts';
import { disposeTestStore, openTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { computeOverview } from './overview.ts';
import { rank } from './rankings.ts';
import { referenceMetrics } from './reference.ts';
import { parseScope, type Scope } from './scope.ts';

// The contract's metric definitions, computed by the SQL on each engine, against the
// hand-worked fixture city and against the independent reference implementation.

const scopes = ['city', 'district:d1', 'district:d2', 'district:d3', 'zone:z2', 'school:s1', 'school:s5'].map(
  (s) => parseScope(s) as Scope,
);

describe.each(TEST_ENGINES)('metrics on %s', (engine) => {
  let store: Store;
  const events = fixtureCityEvents();

  beforeAll(async () => {
    store = await openTestStore(engine, 'metrics');
    // Stored in two inserts so duplicates land in different parts, as redeliveries do.
    const rows = events.map((e) => toRow(e, Date.now()));
    const half = Math.floor(rows.length / 2);
    for (const part of [rows.slice(0, half), rows.slice(half)]) {
      for (const [table, list] of groupByTable(part)) await store.insert(table, list);
    }
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('computes the hand-worked city numbers exactly', async () => {
    const { overview } = await computeOverview(store, { kind: 'city' }, FIXTURE_DAY);
    expect(overview.metrics).toEqual(FIXTURE_CITY_METRICS);
    expect(overview.term).toBe('2026-autumn');
    expect(overview.as_of).not.toBeNull();
  });

  it.each(scopes)('agrees with the reference implementation for %j', async (scope) => {
    const { overview } = await computeOverview(store, scope, FIXTURE_DAY);
    expect(overview.metrics).toEqual(referenceMetrics(events, scope, FIXTURE_DAY));
  });

  it('reports no data as null rates, not zero', async () => {
    const { overview } = await computeOverview(store, { kind: 'district', id: 'd3' }, FIXTURE_DAY);
    expect(overview.metrics.sessions_scheduled).toBe(0);
    expect(overview.metrics.attendance_rate).toBeNull();
    expect(overview.metrics.completion_rate).toBeNull();
    expect(overview.metrics.enrollment_rate).toBeNull();
    expect(overview.as_of).toBeNull();
  });

  it('keeps an inactive school with null rates and ranks it nowhere', async () => {
    const { schools } = await computeOverview(store, { kind: 'city' }, FIXTURE_DAY);
    const s5 = schools.find((s) => s.school.school_id === 's5');
    expect(s5?.metrics.attendance_rate).toBeNull();
    expect(s5?.metrics.students).toBe(80);
    const top = rank(schools, 'attendance_rate', 'top', 10);
    expect(top.map((r) => r.school_id)).toEqual(['s1', 's3']);
    expect(top[0]?.value).toBe(0.75);
    // s1: 3 of 4 expected present; s3: 1 of 2.
    expect(rank(schools, 'attendance_rate', 'bottom', 10).map((r) => [r.school_id, r.value])).toEqual([
      ['s3', 0.5],
      ['s1', 0.75],
    ]);
  });

  it('breaks ranking ties by school id', async () => {
    const { schools } = await computeOverview(store, { kind: 'city' }, FIXTURE_DAY);
    const byScheduled = rank(schools, 'sessions_scheduled', 'top', 10);
    expect(byScheduled.map((r) => [r.school_id, r.value])).toEqual([
      ['s1', 2],
      ['s3', 2],
      ['s2', 0],
      ['s4', 0],
      ['s5', 0],
    ]);
  });

  it('gives other days their own numbers', async () => {
    const { overview } = await computeOverview(store, { kind: 'city' }, '2026-11-26');
    // se5 was moved away from the 26th, se7 is on the 28th.
    expect(overview.metrics.sessions_scheduled).toBe(0);
    const next = await computeOverview(store, { kind: 'city' }, '2026-11-28');
    expect(next.overview.metrics.sessions_scheduled).toBe(1);
    expect(next.overview.metrics.students_expected).toBe(1);
  });
});
