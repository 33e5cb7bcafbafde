import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupByTable, toRow } from '../clickhouse/rows.ts';
import type { Store } from '../clickhouse/store.ts';
import type { InboundEvent } from '../contract/events.ts';
import type { SupervisionEvent } from '../contract/supervision.ts';
import { insertSupervision } from '../supervision/notices.ts';
import { disposeTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { budgetsByChild, budgetVsSettled, schoolBudgets } from './budgets.ts';
import { chartTotals } from './charts.ts';
import { coursesByChild, schoolOfferings } from './courses.ts';
import { openDimensionStore } from './fixture-store.ts';
import { materialsByChild, schoolMaterials } from './materials.ts';
import { participationByChild } from './process.ts';

// (contract v1.1) What decisions do to the 开课审批, 经费预算 and 材料公示 figures. Fixture
// (fixture-city.ts), term 2026-autumn, with these decisions:
//   offerings  o1 (s1, external) 审批; o2 (s1, school-run) 驳回; o3 (s2) 否定; o4 (s3) none
//     d1: counted o1 + o2 = 2 (1 school-run, 1 external), capacity 60, enrolled 2 + 2 = 4,
//         states 待审批 0 / 已通过 1 / 已驳回 1 / 已否定 1;  d2: o4 1, 待审批 1
//     o3's enrollments (st5, st6, 16000) count nowhere: the chart's term totals drop them.
//   budgets    b1 (s1, latest 09-12) 驳回 09-13 → submitted, not valid: totals 0, c-o1 unbudgeted
//              b2 (s3) 否定 → counts nowhere: d2 no budget
//              then b1 re-submitted 09-14 (c-o1 70000, other 5000) → supersedes: 待审批, 75000
//   materials  m1 (s1 plan) 否定; m2 (s1 bid) 驳回 then re-published later → valid again
//     d1: s1 counts m2 m3 m4 (3), s2 m5 m6 (2) → materials 5; plan 1 (s2), complete 0

const decide = (
  notice_id: string,
  ts: string,
  dimension: SupervisionEvent['dimension'],
  subject_id: string,
  d: SupervisionEvent['decision'],
): SupervisionEvent => ({
  type: 'decision',
  notice_id,
  ts,
  issuer_id: 'u1',
  issuer_role: 'leader',
  target_type: 'school',
  target_id: 's1',
  dimension,
  subject_id,
  decision: d,
  content: d,
});

const TERM = '2026-autumn';

describe.each(TEST_ENGINES)('decisions in the dimensions on %s', (engine) => {
  let store: Store;
  const insert = async (events: InboundEvent[]) => {
    for (const [table, list] of groupByTable(events.map((e) => toRow(e, Date.now())))) await store.insert(table, list);
  };
  beforeAll(async () => {
    store = await openDimensionStore(engine, 'dim_decisions');
    for (const e of [
      decide('x1', '2026-09-10T10:00:00+08:00', 'course', 'o1', 'approved'),
      decide('x2', '2026-09-10T10:00:00+08:00', 'course', 'o2', 'rejected'),
      decide('x3', '2026-09-10T10:00:00+08:00', 'course', 'o3', 'voided'),
      decide('x4', '2026-09-13T10:00:00+08:00', 'budget', 'b1', 'rejected'),
      decide('x5', '2026-09-13T10:00:00+08:00', 'budget', 'b2', 'voided'),
      decide('x6', '2026-09-20T10:00:00+08:00', 'material', 'm1', 'voided'),
      decide('x7', '2026-09-20T10:00:00+08:00', 'material', 'm2', 'rejected'),
    ])
      await insertSupervision(store, e);
    await insert([
      {
        id: 'x-m2',
        type: 'material_published',
        ts: '2026-09-21T09:00:00.000+08:00',
        school_id: 's1',
        material_id: 'm2',
        term: TERM,
        kind: 'bid_notice',
        title: '中标公示（重报）',
        file_url: 'https://files.example/m2-again.pdf',
      },
    ]);
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('counts offerings by approval state; a voided one nowhere else', async () => {
    const rows = await coursesByChild(store, { kind: 'city' }, TERM);
    expect(
      rows.map((r) => [r.child.id, r.offerings, r.school_run, r.external, r.capacity, r.enrolled, r.by_state]),
    ).toEqual([
      ['d1', 2, 1, 1, 60, 4, { pending: 0, approved: 1, rejected: 1, voided: 1 }],
      ['d2', 1, 0, 1, 30, 1, { pending: 1, approved: 0, rejected: 0, voided: 0 }],
      ['d3', 0, 0, 0, 0, 0, { pending: 0, approved: 0, rejected: 0, voided: 0 }],
    ]);
    expect((await schoolOfferings(store, 's1', TERM)).map((o) => [o.offering_id, o.state])).toEqual([
      ['o1', 'approved'],
      ['o2', 'rejected'],
    ]);
    // Still listed, marked 已否定.
    expect((await schoolOfferings(store, 's2', TERM)).map((o) => [o.offering_id, o.state])).toEqual([['o3', 'voided']]);
  });

  it('drops a voided offering from the term totals and 过程监管', async () => {
    const totals = await chartTotals(store, { kind: 'city' }, TERM);
    // Enrollments: o1 2 + o2 2 + o4 1 = 5; students st1 st2 st4 (s1) + st7 (s3) = 4;
    // fees s1 10000·2 + 5000·2 = 30000, s3 6000 → 36000.
    expect(totals.selection).toEqual({
      offerings: 3,
      offerings_by_state: { pending: 1, approved: 1, rejected: 1, voided: 1 },
      enrollments: 5,
      students_enrolled: 4,
      fees_enrolled: 36000,
    });
    const d1 = (await participationByChild(store, { kind: 'city' }, TERM)).find((r) => r.child.id === 'd1');
    expect(d1?.offerings).toBe(2);
  });

  it('counts a rejected budget as submitted, not valid, and a voided one nowhere', async () => {
    const rows = await budgetsByChild(store, { kind: 'city' }, TERM);
    expect(rows.map((r) => [r.child.id, r.schools_with_budget, r.budgets, r.by_state, r.total])).toEqual([
      ['d1', 1, 1, { pending: 0, approved: 0, rejected: 1, voided: 0 }, 0],
      ['d2', 0, 0, { pending: 0, approved: 0, rejected: 0, voided: 1 }, 0],
      ['d3', 0, 0, { pending: 0, approved: 0, rejected: 0, voided: 0 }, 0],
    ]);
    expect((await schoolBudgets(store, 's3', TERM)).map((b) => [b.budget_id, b.state])).toEqual([['b2', 'voided']]);
    // s1's c-o1 is unbudgeted now: 90000 settled against nothing valid.
    expect(await budgetVsSettled(store, 's1', TERM)).toEqual([
      { course_id: 'c-o1', course_name: '篮球训练', budgeted: null, settled: 90000, over_budget: true },
    ]);
  });

  it('lets a later version of a rejected budget supersede the rejection', async () => {
    await insert([
      {
        id: 'x-b1',
        type: 'budget_submitted',
        ts: '2026-09-14T09:00:00.000+08:00',
        school_id: 's1',
        budget_id: 'b1',
        term: TERM,
        items: [
          { category: 'course', course_id: 'c-o1', name: '篮球训练课时费', amount: 70000 },
          { category: 'other', name: '保险', amount: 5000 },
        ],
      },
    ]);
    const [d1] = await budgetsByChild(store, { kind: 'city' }, TERM);
    expect([d1?.by_state, d1?.total, d1?.course_amount]).toEqual([
      { pending: 1, approved: 0, rejected: 0, voided: 0 },
      75000,
      70000,
    ]);
    expect(await budgetVsSettled(store, 's1', TERM)).toEqual([
      { course_id: 'c-o1', course_name: '篮球训练', budgeted: 70000, settled: 90000, over_budget: true },
    ]);
  });

  it('counts a voided material nowhere and a rejected one towards 齐全 only once re-published', async () => {
    const [d1] = await materialsByChild(store, { kind: 'city' }, TERM);
    expect([d1?.materials, d1?.schools_with, d1?.complete_schools]).toEqual([
      5,
      { implementation_plan: 1, bid_notice: 1, meeting_minutes: 1, safety_plan: 2 },
      0,
    ]);
    expect((await schoolMaterials(store, 's1', TERM)).map((m) => [m.material_id, m.state])).toEqual([
      ['m1', 'voided'],
      ['m2', 'pending'],
      ['m3', 'pending'],
      ['m4', 'pending'],
    ]);
  });
});
