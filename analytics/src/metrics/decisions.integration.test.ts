import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupByTable, toRow } from '../clickhouse/rows.ts';
import type { Store } from '../clickhouse/store.ts';
import type { SupervisionEvent } from '../contract/supervision.ts';
import { insertSupervision } from '../supervision/notices.ts';
import { FIXTURE_CITY_METRICS, FIXTURE_DAY, fixtureCityEvents } from '../testing/fixture-city.ts';
import { disposeTestStore, openTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { computeOverview } from './overview.ts';
import { rank } from './rankings.ts';

// (contract v1.1) The bureau's decisions move the day's figures, from the decision's ts on.
// Fixture city on FIXTURE_DAY (sessions 15:30–16:30), plus:
//   喊停 o1 at 15:00 of the day: se1 (o1, planned 15:30) is no longer scheduled
//   否定 o4 on the day before:  se5 (o4) counts nowhere, nor o4's enrollment (st7, 6000)
//   审批 o2, 驳回 o5, 否定 material m1: no effect on these figures
// By hand, city: scheduled se2 + se6 = 2, started se2 = 1, completed 0, expected o2 2 + o5 1 = 3,
//   present se2 st4 = 1, teachers 0 (se2's check-in is a substitute's), enrolled 6 - st7 = 5,
//   fees 52000 - 6000 = 46000.
// At 14:00 of the day (before the halt): se1, se2, se6 scheduled (3); the void already counts.

const decision = (notice_id: string, ts: string, subject_id: string, d: SupervisionEvent['decision']) =>
  ({
    type: 'decision',
    notice_id,
    ts,
    issuer_id: 'u1',
    issuer_role: 'leader',
    target_type: 'school',
    target_id: 's1',
    dimension: 'course',
    subject_id,
    decision: d,
    content: d,
  }) satisfies SupervisionEvent;

describe.each(TEST_ENGINES)('decisions in the day figures on %s', (engine) => {
  let store: Store;
  const after = Date.parse(`${FIXTURE_DAY}T23:00:00+08:00`) + 86_400_000;

  beforeAll(async () => {
    store = await openTestStore(engine, 'metrics_decisions');
    const rows = fixtureCityEvents().map((e) => toRow(e, Date.now()));
    for (const [table, list] of groupByTable(rows)) await store.insert(table, list);
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('changes nothing before any decision', async () => {
    const { overview } = await computeOverview(store, { kind: 'city' }, FIXTURE_DAY, after);
    expect(overview.metrics).toMatchObject(FIXTURE_CITY_METRICS);
  });

  it('drops a halted offering’s later sessions and a voided offering everywhere', async () => {
    for (const e of [
      decision('dn1', `${FIXTURE_DAY}T15:00:00+08:00`, 'o1', 'halted'),
      decision('dn2', '2026-11-26T10:00:00+08:00', 'o4', 'voided'),
      decision('dn3', '2026-11-26T10:00:00+08:00', 'o2', 'approved'),
      decision('dn4', '2026-11-26T10:00:00+08:00', 'o5', 'rejected'),
      { ...decision('dn5', '2026-11-26T10:00:00+08:00', 'm1', 'voided'), dimension: 'material' as const },
    ]) {
      await insertSupervision(store, e);
    }
    const { overview, schools } = await computeOverview(store, { kind: 'city' }, FIXTURE_DAY, after);
    expect(overview.metrics).toMatchObject({
      sessions_scheduled: 2,
      sessions_started: 1,
      sessions_completed: 0,
      students_expected: 3,
      students_present: 1,
      teachers_present: 0,
      students_enrolled: 5,
      fees_enrolled: 46000,
      attendance_rate: 1 / 3,
      completion_rate: 0,
    });
    // The due figures at the day's end equal the day's.
    expect(overview.due).toMatchObject({ sessions_due: 2, students_due: 3, students_present: 1 });
    // s3 had only se5 (voided) and se6: its figures and its place in a ranking follow.
    const s3 = await computeOverview(store, { kind: 'school', id: 's3' }, FIXTURE_DAY, after);
    expect([s3.overview.metrics.sessions_scheduled, s3.overview.metrics.students_enrolled]).toEqual([1, 0]);
    const ranking = rank(schools, 'sessions_scheduled', 'top', 10);
    expect(ranking.map((r) => [r.school_id, r.value])).toEqual([
      ['s1', 1],
      ['s3', 1],
      ['s2', 0],
      ['s4', 0],
      ['s5', 0],
    ]);
  });

  it('applies a decision only from its ts on (at = a moment before the halt)', async () => {
    const { overview } = await computeOverview(store, { kind: 'city' }, FIXTURE_DAY, after, { at: '14:00' });
    expect(overview.metrics.sessions_scheduled).toBe(3);
  });
});
