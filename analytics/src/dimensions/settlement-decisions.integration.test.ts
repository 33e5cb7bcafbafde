import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../clickhouse/store.ts';
import type { SupervisionEvent } from '../contract/supervision.ts';
import { computeOverview } from '../metrics/overview.ts';
import { rank } from '../metrics/rankings.ts';
import { insertSupervision } from '../supervision/notices.ts';
import { FIXTURE_DAY } from '../testing/fixture-city.ts';
import { disposeTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { budgetVsSettled } from './budgets.ts';
import { chartSettlement, chartTotals } from './charts.ts';
import { openDimensionStore } from './fixture-store.ts';

// (contract v1.1) A voided (否定) offering's settlements count nowhere, from the decision's ts
// on. Fixture (fixture-city.ts), settlements that count before the decision:
//   set1 s1 o1 90000 (2026-11, corrected from 100000), set2 s3 o1 50000 (2026-11),
//   set3 s2 o1 70000 (2026-10), dset1 s3 o4 30000 (2026-11; s3's budget b2 has c-o4 60000).
// o4 is voided at 12:00 on FIXTURE_DAY (2026-11-27):
//   settled_amount of the city for 2026-11   170000 → 140000 (s3 80000 → 50000)
//   s3 settled vs budget, c-o4               30000 of 60000 → 0 of 60000
//   结算 charts                               o4 30000 → absent; term total 240000 → 210000

const TERM = '2026-autumn';
const CITY = { kind: 'city' } as const;
const AFTER_THE_DAY = Date.parse('2026-11-28T09:00:00+08:00');

const voidO4: SupervisionEvent = {
  type: 'decision',
  notice_id: 'void-o4',
  ts: `${FIXTURE_DAY}T12:00:00+08:00`,
  issuer_id: 'u1',
  issuer_role: 'leader',
  target_type: 'school',
  target_id: 's3',
  dimension: 'course',
  subject_id: 'o4',
  decision: 'voided',
  content: '否定',
};

describe.each(TEST_ENGINES)('a voided offering in the settlement figures on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDimensionStore(engine, 'settle_void');
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  const settledOf = async (at?: string) => {
    const { overview, schools } = await computeOverview(store, CITY, FIXTURE_DAY, AFTER_THE_DAY, at ? { at } : {});
    return {
      city: overview.metrics.settled_amount,
      ranking: rank(schools, 'settled_amount', 'top', 10)
        .filter((r) => r.value > 0)
        .map((r) => [r.school_id, r.value]),
    };
  };
  const s3CourseO4 = async () => (await budgetVsSettled(store, 's3', TERM)).find((c) => c.course_id === 'c-o4');
  const charts = async () => ({
    by_offering: (await chartSettlement(store, CITY, TERM)).by_offering.map((o) => [o.offering_id, o.amount]),
    total: (await chartTotals(store, CITY, TERM)).settlement.settled_amount,
  });

  it('counts its settlements before the decision', async () => {
    expect(await settledOf()).toEqual({
      city: 170000,
      ranking: [
        ['s1', 90000],
        ['s3', 80000],
      ],
    });
    expect(await s3CourseO4()).toMatchObject({ budgeted: 60000, settled: 30000, over_budget: false });
    expect(await charts()).toEqual({
      by_offering: [
        ['o1', 210000],
        ['o4', 30000],
      ],
      total: 240000,
    });
  });

  it('counts them nowhere from the decision on', async () => {
    await insertSupervision(store, voidO4);
    const after = {
      city: 140000,
      ranking: [
        ['s1', 90000],
        ['s3', 50000],
      ],
    };
    expect(await settledOf()).toEqual(after);
    expect(await settledOf('13:00')).toEqual(after);
    expect(await s3CourseO4()).toMatchObject({ budgeted: 60000, settled: 0, over_budget: false });
    expect(await charts()).toEqual({ by_offering: [['o1', 210000]], total: 210000 });
  });

  it('still counts them as the figures stood before the decision', async () => {
    expect((await settledOf('11:00')).city).toBe(170000);
  });
});
