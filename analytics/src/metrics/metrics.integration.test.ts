import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupByTable, toRow } from '../clickhouse/rows.ts';
import type { Store } from '../clickhouse/store.ts';
import { FIXTURE_CITY_METRICS, FIXTURE_DAY, fixtureCityEvents } from '../testing/fixture-city.ts';
import { disposeTestStore, openTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { endOfDay, momentOf } from './moment.ts';
import { computeOverview } from './overview.ts';
import { rank } from './rankings.ts';
import { referenceMetrics, referenceOverview } from './reference.ts';
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

  // (contract v1.1) Due so far. The fixture's sessions run 15:30–16:30; with the 10-minute
  // grace they are due to start at 15:40 and due to end at 16:40.
  const moments = ['15:20', '15:35', '15:41', '16:00', '16:35', '16:45', '23:59'];
  const fixtureAt = (hhmm: string) => Date.parse(`${FIXTURE_DAY}T${hhmm}:00+08:00`);

  it.each(moments.flatMap((at) => scopes.map((scope) => [at, scope] as const)))(
    'with at=%s agrees with the reference implementation for %j',
    async (at, scope) => {
      const now = fixtureAt('23:00') + 86_400_000; // the day is over; `at` picks the moment
      const { overview } = await computeOverview(store, scope, FIXTURE_DAY, now, { at });
      const ref = referenceOverview(events, scope, FIXTURE_DAY, momentOf(FIXTURE_DAY, now, at));
      expect(overview.metrics).toEqual(ref.metrics);
      expect(overview.due).toEqual(ref.due);
      expect(overview.at).toBe(at);
    },
  );

  it.each(moments)('live at %s (every event stored) agrees with the reference implementation', async (hhmm) => {
    const now = fixtureAt(hhmm);
    for (const scope of scopes) {
      const { overview } = await computeOverview(store, scope, FIXTURE_DAY, now);
      const ref = referenceOverview(events, scope, FIXTURE_DAY, momentOf(FIXTURE_DAY, now));
      expect(overview.metrics).toEqual(ref.metrics);
      expect(overview.due).toEqual(ref.due);
      expect(overview.at).toBeNull();
    }
  });

  it('counts nothing as due before the sessions are due to start (hand-worked)', async () => {
    const { overview } = await computeOverview(store, { kind: 'city' }, FIXTURE_DAY, fixtureAt('15:35'));
    expect(overview.due).toMatchObject({
      sessions_due: 0,
      students_due: 0,
      students_present: 0,
      sessions_due_end: 0,
      attendance_rate: null,
      teacher_attendance_rate: null,
      completion_rate: null,
      at: '2026-11-27T15:35:00.000+08:00',
      grace_minutes: 10,
    });
    // The day's figures meanwhile count every session of the day: 4 check-ins, 6 expected.
    expect(overview.metrics.attendance_rate).toBe(4 / 6);
  });

  it('counts sessions due to start but not yet to end (hand-worked, 16:00)', async () => {
    const { overview } = await computeOverview(store, { kind: 'city' }, FIXTURE_DAY, fixtureAt('16:00'));
    expect(overview.due).toMatchObject({
      sessions_due: 4,
      students_due: 6,
      students_present: 4, // st1 st2 (se1), st4 (se2), st7 (se5); st3 and stx are not enrolled
      teachers_present: 2,
      sessions_due_end: 0,
      sessions_completed: 0,
      attendance_rate: 4 / 6,
      teacher_attendance_rate: 2 / 4,
      completion_rate: null, // no class is due to end yet: not "0% complete"
    });
  });

  it('counts a class ended only once it is due to end, and as it stood at `at` (hand-worked)', async () => {
    const late = await computeOverview(store, { kind: 'city' }, FIXTURE_DAY, fixtureAt('16:45'));
    expect(late.overview.due).toMatchObject({ sessions_due_end: 4, sessions_completed: 2, completion_rate: 0.5 });
    // At 15:35 only four check-ins had happened (st1's second one is at 15:40) and no class had ended.
    const { overview } = await computeOverview(store, { kind: 'city' }, FIXTURE_DAY, fixtureAt('23:00'), {
      at: '15:35',
    });
    expect(overview.metrics).toMatchObject({ sessions_started: 3, sessions_completed: 0, students_present: 4 });
    expect(overview.as_of).toBe(new Date(fixtureAt('15:33')).toISOString());
  });

  it("gives a past day due figures equal to the day's", async () => {
    const { overview } = await computeOverview(store, { kind: 'city' }, FIXTURE_DAY, endOfDay(FIXTURE_DAY) + 3600_000);
    const m = overview.metrics;
    expect(overview.due).toMatchObject({
      sessions_due: m.sessions_scheduled,
      students_due: m.students_expected,
      students_present: m.students_present,
      teachers_present: m.teachers_present,
      sessions_due_end: m.sessions_scheduled,
      sessions_completed: m.sessions_completed,
      attendance_rate: m.attendance_rate,
      completion_rate: m.completion_rate,
      at: '2026-11-28T00:00:00.000+08:00',
    });
  });

  it('counts only enrolled students as present (contract v1.1)', async () => {
    const { schools } = await computeOverview(store, { kind: 'school', id: 's1' }, FIXTURE_DAY);
    // s1: se1 has st1, st2 enrolled and st3 (withdrawn) checked in; se2 has st4 and stx.
    expect(schools[0]?.metrics.students_present).toBe(3);
    expect(schools[0]?.metrics.attendance_rate).toBe(0.75);
  });

  it('counts a session prepared once, and only before its planned start (v1.1, hand-worked)', async () => {
    // s1: se1 prepared the day before (delivered twice) and again that morning; se2 at 15:45,
    // after its 15:30 start. s3: se5 a week ahead, before it was moved; se6 at 15:30 sharp.
    const { schools } = await computeOverview(store, { kind: 'city' }, FIXTURE_DAY);
    const of = (id: string) => schools.find((s) => s.school.school_id === id)?.metrics;
    expect([of('s1')?.sessions_prepared, of('s1')?.prepared_rate]).toEqual([1, 0.5]);
    expect([of('s3')?.sessions_prepared, of('s3')?.prepared_rate]).toEqual([1, 0.5]);
    // s2's only prepared session (se3) was cancelled: nothing scheduled, no rate.
    expect([of('s2')?.sessions_prepared, of('s2')?.prepared_rate]).toEqual([0, null]);
    // se7 (s4, the 28th) was prepared on the 27th.
    const next = await computeOverview(store, { kind: 'school', id: 's4' }, '2026-11-28');
    expect([next.overview.metrics.sessions_prepared, next.overview.metrics.prepared_rate]).toEqual([1, 1]);
  });

  it('reports no data as null rates, not zero', async () => {
    const { overview } = await computeOverview(store, { kind: 'district', id: 'd3' }, FIXTURE_DAY);
    expect(overview.metrics.sessions_scheduled).toBe(0);
    expect(overview.metrics.attendance_rate).toBeNull();
    expect(overview.metrics.completion_rate).toBeNull();
    expect(overview.metrics.enrollment_rate).toBeNull();
    expect(overview.metrics.prepared_rate).toBeNull();
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
