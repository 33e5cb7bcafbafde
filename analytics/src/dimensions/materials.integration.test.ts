import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../clickhouse/store.ts';
import { insertSupervision } from '../supervision/notices.ts';
import { disposeTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { openDimensionStore } from './fixture-store.ts';
import { materialsByChild, schoolMaterials } from './materials.ts';

// Hand computation from fixtureDimensionEvents(), term 2026-autumn (latest version per material):
//   s1: m1 plan (re-published: 修订 wins), m2 bid (twice delivered, once), m3 minutes, m4 safety → complete
//   s2: m5 plan, m6 safety                       s3: m7 plan, m8 bid, m9 + m10 minutes (m10 corrected)
//   s4: only a 2026-spring material → none       s5: none
//   m4 (s1's safety plan) is rejected (驳回) on 09-20 and never re-published: published, not
//   valid, so s1 is not complete (contract v1.1)
//   d1 {s1, s2, s5}: plan 2, bid 1, minutes 1, safety 1, materials 4 + 2 = 6, complete 0 of 3
//   d2 {s3, s4}: plan 1, bid 1, minutes 1, safety 0, materials 4, complete 0 of 2
//   d3: no schools → rate null

describe.each(TEST_ENGINES)('materials on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDimensionStore(engine, 'dim_materials');
    await insertSupervision(store, {
      type: 'decision',
      notice_id: 'n-m4',
      ts: '2026-09-20T10:00:00+08:00',
      issuer_id: 'u1',
      issuer_role: 'leader',
      target_type: 'school',
      target_id: 's1',
      dimension: 'material',
      subject_id: 'm4',
      decision: 'rejected',
      content: '预案缺少演练安排',
    });
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('counts the four kinds and completeness per district', async () => {
    const rows = await materialsByChild(store, { kind: 'city' }, '2026-autumn');
    expect(
      rows.map((r) => [r.child.id, r.schools, r.schools_with, r.materials, r.complete_schools, r.completeness_rate]),
    ).toEqual([
      ['d1', 3, { implementation_plan: 2, bid_notice: 1, meeting_minutes: 1, safety_plan: 1 }, 6, 0, 0],
      ['d2', 2, { implementation_plan: 1, bid_notice: 1, meeting_minutes: 1, safety_plan: 0 }, 4, 0, 0],
      ['d3', 0, { implementation_plan: 0, bid_notice: 0, meeting_minutes: 0, safety_plan: 0 }, 0, 0, null],
    ]);
    expect(rows[0]?.child.name).toBe('东城区');
  });

  it('goes down to zones and schools', async () => {
    const zones = await materialsByChild(store, { kind: 'district', id: 'd1' }, '2026-autumn');
    // z1 {s1}: 4 materials, not complete (m4 rejected); z2 {s2, s5}: s2 has 2 materials, s5 none.
    expect(zones.map((r) => [r.child.id, r.schools, r.materials, r.completeness_rate])).toEqual([
      ['z1', 1, 4, 0],
      ['z2', 2, 2, 0],
    ]);
    const schools = await materialsByChild(store, { kind: 'zone', id: 'z3' }, '2026-autumn');
    expect(schools.map((r) => [r.child.id, r.child.name, r.materials])).toEqual([
      ['s3', '第3小学', 4],
      ['s4', '第4小学', 0],
    ]);
    const spring = await materialsByChild(store, { kind: 'school', id: 's4' }, '2026-spring');
    expect(spring.map((r) => [r.child.id, r.materials, r.schools_with.implementation_plan])).toEqual([['s4', 1, 1]]);
  });

  it("lists a school's latest materials with the bureau's decision", async () => {
    const list = await schoolMaterials(store, 's1', '2026-autumn');
    expect(list.map((m) => [m.material_id, m.kind, m.title])).toEqual([
      ['m1', 'implementation_plan', '实施方案（修订）'],
      ['m2', 'bid_notice', '中标公示'],
      ['m3', 'meeting_minutes', '领导小组会议纪要'],
      ['m4', 'safety_plan', '安全管理及应急预案'],
    ]);
    expect(list[0]?.file_url).toBe('https://files.example/m1-2026-09-10.pdf');
    expect(list[0]?.ts).toBe('2026-09-10T09:00:00.000+08:00');
    expect(list[3]?.decision?.decision).toBe('rejected');
    expect(list.map((m) => m.state)).toEqual(['pending', 'pending', 'pending', 'rejected']);
    expect(list[0]?.decision).toBeNull();
    const s3 = await schoolMaterials(store, 's3', '2026-autumn');
    expect(s3.find((m) => m.material_id === 'm10')?.kind).toBe('meeting_minutes');
  });
});
