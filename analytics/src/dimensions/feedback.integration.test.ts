import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../clickhouse/store.ts';
import { disposeTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { feedbackByChild, feedbackForTarget, feedbackTargetNames, feedbackTargets, lowScoreRuns } from './feedback.ts';
import { openDimensionStore } from './fixture-store.ts';

// Hand computation, term 2026-autumn (Aug–Jan; the 2026-05 score is spring), duplicates once:
//   d1 (s1): c-o1 5, 2, 1 (twice delivered), 2; t1 4; p1 3 → 6 scores, sum 17, low (≤2) 3
//     by target: course 4 (sum 10, low 3), teacher 1 (4), provider 1 (3), operator none
//     by source: parent 5 2 1 (sum 8, low 2), school 2 4 3 (sum 9, low 1)
//   d2 (s3): t4 5, op2 1, c-o4 4 and 3 → 4 scores, sum 13, low 1
//   low-score runs (latest 3 all ≤2): c-o1 only (5, then 2, 1, 2); op2 has a run of one.

describe.each(TEST_ENGINES)('feedback on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDimensionStore(engine, 'dim_feedback');
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('summarises feedback per district, target kind and source', async () => {
    const [d1, d2, d3] = await feedbackByChild(store, { kind: 'city' }, '2026-autumn');
    expect(d1?.total).toEqual({ count: 6, average_score: 17 / 6, low_share: 3 / 6 });
    expect(d1?.by_target.course).toEqual({ count: 4, average_score: 10 / 4, low_share: 3 / 4 });
    expect(d1?.by_target.operator).toEqual({ count: 0, average_score: null, low_share: null });
    expect(d1?.by_source.parent).toEqual({ count: 3, average_score: 8 / 3, low_share: 2 / 3 });
    expect(d1?.by_source.school).toEqual({ count: 3, average_score: 3, low_share: 1 / 3 });
    expect(d2?.total).toEqual({ count: 4, average_score: 13 / 4, low_share: 1 / 4 });
    expect(d2?.by_target.operator).toEqual({ count: 1, average_score: 1, low_share: 1 });
    expect(d3?.total).toEqual({ count: 0, average_score: null, low_share: null });
    const zone = await feedbackByChild(store, { kind: 'district', id: 'd1' }, '2026-autumn');
    expect(zone.map((r) => [r.child.id, r.total.count])).toEqual([
      ['z1', 6],
      ['z2', 0],
    ]);
  });

  it('lists one target newest first, with comments exactly as sent', async () => {
    const list = await feedbackForTarget(store, { kind: 'city' }, 'course', 'c-o1', '2026-autumn');
    expect(list.map((f) => [f.ts.slice(0, 10), f.from, f.score])).toEqual([
      ['2026-11-22', 'school', 2],
      ['2026-11-21', 'parent', 1],
      ['2026-11-20', 'parent', 2],
      ['2026-11-10', 'parent', 5],
    ]);
    expect(list[2]?.comment).toBe('<script>alert("x")</script>太吵');
    expect(await feedbackForTarget(store, { kind: 'district', id: 'd2' }, 'course', 'c-o1', '2026-autumn')).toEqual([]);
  });

  it('finds runs of low scores', async () => {
    expect(await lowScoreRuns(store, { kind: 'city' }, 3)).toEqual([
      { target: 'course', target_id: 'c-o1', run_length: 3, latest_ts: '2026-11-22T18:00:00.000+08:00' },
    ]);
    expect((await lowScoreRuns(store, { kind: 'city' }, 1)).map((r) => [r.target_id, r.run_length])).toEqual([
      ['c-o1', 3],
      ['op2', 1],
    ]);
    expect(await lowScoreRuns(store, { kind: 'school', id: 's3' }, 3)).toEqual([]);
  });

  it('lists every target of the scope with its registry name, lowest average first', async () => {
    // 2026-autumn: op2 1; c-o1 5 2 1 2 (avg 2.5, low 3 of 4); p1 3; c-o4 4 3; t1 4; t4 5
    const city = await feedbackTargets(store, { kind: 'city' }, '2026-autumn');
    expect(city.map((t) => [t.target, t.name, t.count, t.average_score, t.low_share, t.schools])).toEqual([
      ['operator', '智慧运营', 1, 1, 1, 1],
      ['course', '篮球训练', 4, 2.5, 3 / 4, 1],
      ['provider', '星火体育', 1, 3, 0, 1],
      ['course', '阅读写作', 2, 3.5, 0, 1],
      ['teacher', '李明华', 1, 4, 0, 1],
      ['teacher', '陈静', 1, 5, 0, 1],
    ]);
    // The provider behind each: c-o1 → p1, p1 itself, c-o4 → p2, t4 (p2's teacher) → p2; none for op2 and t1.
    expect(city.map((t) => [t.target_id, t.provider?.name ?? null])).toEqual([
      ['op2', null],
      ['c-o1', '星火体育'],
      ['p1', '星火体育'],
      ['c-o4', '墨香书院'],
      ['t1', null],
      ['t4', '墨香书院'],
    ]);
    const d2 = await feedbackTargets(store, { kind: 'district', id: 'd2' }, '2026-autumn');
    expect(d2.map((t) => t.target_id)).toEqual(['op2', 'c-o4', 't4']);
    const names = await feedbackTargetNames(store, [
      { target: 'course', target_id: 'c-o1' },
      { target: 'operator', target_id: 'op2' },
      { target: 'course', target_id: 'nobody' },
    ]);
    expect([...names.entries()].sort()).toEqual([
      ['course:c-o1', '篮球训练'],
      ['operator:op2', '智慧运营'],
    ]);
  });
});
