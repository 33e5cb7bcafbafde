import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../clickhouse/store.ts';
import type { SupervisionEvent } from '../contract/supervision.ts';
import { insertSupervision } from '../supervision/notices.ts';
import { disposeTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { coursesByChild, schoolOfferings } from './courses.ts';
import { openDimensionStore } from './fixture-store.ts';

// Hand computation, term 2026-autumn, offerings (capacity 30 each) and their course kinds:
//   d1: o1 c-o1 external, o2 c-o2 school, o3 c-o3 external → 1 school-run, 2 external, 90,
//       enrolled o1 2 + o2 2 + o3 2 = 6
//   d2: o4 c-o4 external (o5 is spring) → 0 / 1, 30, enrolled 1
// Decisions on o1: approved, then halted (latest); a notice and a material decision are ignored.

const decision = (
  notice_id: string,
  ts: string,
  subject_id: string,
  d: SupervisionEvent['decision'],
  type: SupervisionEvent['type'] = 'decision',
  dimension: SupervisionEvent['dimension'] = 'course',
): SupervisionEvent => ({
  type,
  notice_id,
  ts,
  issuer_id: 'u1',
  issuer_role: 'leader',
  target_type: 'school',
  target_id: 's1',
  dimension,
  subject_id,
  decision: d,
  content: `${d} ${subject_id}`,
});

describe.each(TEST_ENGINES)('courses on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDimensionStore(engine, 'dim_courses');
    for (const e of [
      decision('n1', '2026-09-02T10:00:00+08:00', 'o1', 'approved'),
      decision('n2', '2026-10-02T10:00:00+08:00', 'o1', 'halted'),
      decision('n3', '2026-10-03T10:00:00+08:00', 'o1', 'notice', 'notice_issued'),
      decision('n4', '2026-10-04T10:00:00+08:00', 'o1', 'voided', 'decision', 'material'),
    ]) {
      await insertSupervision(store, e);
    }
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('counts school-run and external offerings per district', async () => {
    const rows = await coursesByChild(store, { kind: 'city' }, '2026-autumn');
    expect(rows.map((r) => [r.child.id, r.offerings, r.school_run, r.external, r.capacity, r.enrolled])).toEqual([
      ['d1', 3, 1, 2, 90, 6],
      ['d2', 1, 0, 1, 30, 1],
      ['d3', 0, 0, 0, 0, 0],
    ]);
    const spring = await coursesByChild(store, { kind: 'school', id: 's3' }, '2026-spring');
    expect(spring.map((r) => [r.child.id, r.offerings, r.school_run, r.enrolled])).toEqual([['s3', 1, 1, 1]]);
  });

  it("details a school's offerings with provider, teachers and the latest decision", async () => {
    const [o1, o2] = await schoolOfferings(store, 's1', '2026-autumn');
    expect(o1).toMatchObject({
      offering_id: 'o1',
      course_name: '篮球训练',
      kind: 'external',
      category: 'sports',
      provider: { provider_id: 'p1', name: '星火体育', channel: 'bid', qualified: true },
      teachers: [{ teacher_id: 't1', name: '李明华', certificate: 'teacher' }],
      capacity: 30,
      enrolled: 2,
      fee_per_student: 10000,
      weekly_sessions: 2,
      description: '课程',
    });
    expect(o1?.decision?.decision).toBe('halted');
    expect(o1?.decision?.notice_id).toBe('n2');
    expect(o2).toMatchObject({ offering_id: 'o2', kind: 'school', category: 'arts', provider: null, decision: null });
  });
});
