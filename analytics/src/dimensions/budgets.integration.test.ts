import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../clickhouse/store.ts';
import { disposeTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { budgetsByChild, budgetVsSettled, schoolBudgets } from './budgets.ts';
import { openDimensionStore } from './fixture-store.ts';

// Hand computation, term 2026-autumn:
//   s1 b1 latest version: c-o1 80000 + c-o2 20000 (course) + 10000 (other) = 110000
//   s3 b2 (delivered twice, counted once): c-o4 60000 (course) + 20000 (other) = 80000
//   s2 b3 is 2026-spring: not counted
//   d1: 110000, course 100000 (10/11), other 10000 (1/11); d2: 80000, 0.75 / 0.25; d3: null shares
// Settled vs budget (latest settlement per id, offerings of the term → their course):
//   s1: set1 o1 (c-o1) 90000 > 80000 → over; c-o2 nothing settled
//   s3: set2 o1 (c-o1) 50000 with no budget item → over (unbudgeted); dset1 o4 (c-o4) 30000 ≤ 60000

describe.each(TEST_ENGINES)('budgets on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDimensionStore(engine, 'dim_budgets');
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('totals course and other budgets per district', async () => {
    const rows = await budgetsByChild(store, { kind: 'city' }, '2026-autumn');
    expect(rows.map((r) => [r.child.id, r.schools_with_budget, r.total, r.course_amount, r.other_amount])).toEqual([
      ['d1', 1, 110000, 100000, 10000],
      ['d2', 1, 80000, 60000, 20000],
      ['d3', 0, 0, 0, 0],
    ]);
    expect(rows[0]?.course_share).toBeCloseTo(100000 / 110000, 12);
    expect(rows[1]?.other_share).toBe(0.25);
    expect(rows[2]?.course_share).toBeNull();
  });

  it("lists a school's latest budget with every item", async () => {
    const [b1, ...rest] = await schoolBudgets(store, 's1', '2026-autumn');
    expect(rest).toEqual([]);
    expect(b1?.items).toEqual([
      { category: 'course', course_id: 'c-o1', course_name: '篮球训练', name: '篮球训练课时费', amount: 80000 },
      { category: 'course', course_id: 'c-o2', course_name: '书法', name: '书法材料', amount: 20000 },
      { category: 'other', name: '保险', amount: 10000 },
    ]);
    expect([b1?.total, b1?.course_amount, b1?.other_amount, b1?.ts]).toEqual([
      110000,
      100000,
      10000,
      '2026-09-12T09:00:00.000+08:00',
    ]);
  });

  it('finds the over-budget course', async () => {
    expect(await budgetVsSettled(store, 's1', '2026-autumn')).toEqual([
      { course_id: 'c-o1', course_name: '篮球训练', budgeted: 80000, settled: 90000, over_budget: true },
      { course_id: 'c-o2', course_name: '书法', budgeted: 20000, settled: 0, over_budget: false },
    ]);
    expect(await budgetVsSettled(store, 's3', '2026-autumn')).toEqual([
      { course_id: 'c-o1', course_name: '篮球训练', budgeted: null, settled: 50000, over_budget: true },
      { course_id: 'c-o4', course_name: '阅读写作', budgeted: 60000, settled: 30000, over_budget: false },
    ]);
  });
});
