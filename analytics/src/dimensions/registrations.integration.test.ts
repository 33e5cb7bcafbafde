import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../clickhouse/store.ts';
import { disposeTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { chartRegistry } from './charts.ts';
import { openDimensionStore } from './fixture-store.ts';

// Hand computation from fixtureDimensionEvents(): every entity registered 2026-09-01, and p2,
// t3 and c-o2 re-registered 2026-10-01: those three count in October (their current record;
// the registry keeps only the latest version once merged), the rest in September.
//   teachers  d1: t1 s1, t2 s1, t3 s2 = 3     d2: t4 s3, t5 s3 = 2       d3: 0
//   courses   d1: c-o1 s1, c-o2 s1, c-o3 s2 = 3   d2: c-o4 s3, c-o5 s3, c-x1 s4 = 3
//   providers by their teachers' and courses' places: d1 p1 (t2, c-o1), p3 (c-o3) = 2;
//             d2 p2 (t4, c-o4), p4 (c-x1) = 2; the city 4
//   district d1 by zone: z1 {s1} teachers 2, courses 2, providers p1 = 1; z2 {s2} 1, 1, p3 = 1

describe.each(TEST_ENGINES)('入库统计 on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDimensionStore(engine, 'dim_registrations');
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('counts registrations per district and per month', async () => {
    const { registrations: r } = await chartRegistry(store, { kind: 'city' });
    expect(r.total).toEqual({ providers: 4, teachers: 5, courses: 6 });
    expect(r.by_child.map((c) => [c.child.name, c.providers, c.teachers, c.courses])).toEqual([
      ['东城区', 2, 3, 3],
      ['西城区', 2, 2, 3],
      ['新区', 0, 0, 0],
    ]);
    expect(r.by_month).toEqual([
      { month: '2026-09', providers: 3, teachers: 4, courses: 5 },
      { month: '2026-10', providers: 1, teachers: 1, courses: 1 },
    ]);
  });

  it('goes down to zones', async () => {
    const { registrations: r } = await chartRegistry(store, { kind: 'district', id: 'd1' });
    expect(r.total).toEqual({ providers: 2, teachers: 3, courses: 3 });
    expect(r.by_child.map((c) => [c.child.id, c.providers, c.teachers, c.courses])).toEqual([
      ['z1', 1, 2, 2],
      ['z2', 1, 1, 1],
    ]);
  });
});
