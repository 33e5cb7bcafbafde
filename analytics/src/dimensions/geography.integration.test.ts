import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../clickhouse/store.ts';
import { disposeTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { openDimensionStore } from './fixture-store.ts';
import { cityPlaces } from './geography.ts';

// The fixture city's shape: d1 {z1 {s1}, z2 {s2, s5}}, d2 {z3 {s3, s4}}, d3 with nothing in it;
// s4 registered twice (the latest wins, same place).

describe.each(TEST_ENGINES)('the city places on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDimensionStore(engine, 'geography');
  });
  afterAll(() => disposeTestStore(store));

  it('reads every district, zone and school with its place and name', async () => {
    const p = await cityPlaces(store);
    expect([...p.districts.values()].sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'd1', name: '东城区' },
      { id: 'd2', name: '西城区' },
      { id: 'd3', name: '新区' },
    ]);
    expect([...p.zones.values()].sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'z1', name: '一学区', district_id: 'd1' },
      { id: 'z2', name: '二学区', district_id: 'd1' },
      { id: 'z3', name: '三学区', district_id: 'd2' },
    ]);
    expect([...p.schools.keys()].sort()).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(p.schools.get('s4')).toEqual({ id: 's4', name: '第4小学', zone_id: 'z3', district_id: 'd2' });
    expect(p.schools.get('s5')).toEqual({ id: 's5', name: '第5小学', zone_id: 'z2', district_id: 'd1' });
  });
});
