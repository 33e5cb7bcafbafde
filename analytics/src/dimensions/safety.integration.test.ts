import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../clickhouse/store.ts';
import { computeOverview } from '../metrics/overview.ts';
import { FIXTURE_DAY } from '../testing/fixture-city.ts';
import { disposeTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { openDimensionStore } from './fixture-store.ts';
import { classReport } from './class-report.ts';
import { courseSessions, safetyByChild, safetyByCourse, safetyBySchool } from './safety.ts';

// Hand computation for FIXTURE_DAY (2026-11-27) from the fixture city:
//   d1: se1 (o1: 2 expected, st1 st2 present, t1 present, started+ended),
//       se2 (o2: 2 expected, st4 present, substitute t9 → teacher absent, started)
//       → 2 scheduled, 2 started, 1 completed, 4 expected, 3 present, 1 teacher
//   d2: se5 (o4: 1 expected, st7 present, t4 present, completed), se6 (o5: 1 expected, nobody)
//       → 2, 1, 1, 2, 1, 1
//   per course of s1: c-o1 = se1, c-o2 = se2
//   class_report of se1: two versions, the 17:10 one wins (summary 本节课完成运球练习)

describe.each(TEST_ENGINES)('safety on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDimensionStore(engine, 'dim_safety');
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('rolls the day metrics up per district, equal to the overview', async () => {
    const rows = await safetyByChild(store, { kind: 'city' }, FIXTURE_DAY);
    const pick = (m: (typeof rows)[number]['metrics']) => [
      m.sessions_scheduled,
      m.sessions_started,
      m.sessions_completed,
      m.students_expected,
      m.students_present,
      m.teachers_present,
    ];
    expect(rows.map((r) => [r.child.id, ...pick(r.metrics)])).toEqual([
      ['d1', 2, 2, 1, 4, 3, 1],
      ['d2', 2, 1, 1, 2, 1, 1],
      ['d3', 0, 0, 0, 0, 0, 0],
    ]);
    expect(rows[0]?.metrics.attendance_rate).toBe(0.75);
    expect(rows[2]?.metrics.attendance_rate).toBeNull();
    const { overview } = await computeOverview(store, { kind: 'district', id: 'd1' }, FIXTURE_DAY);
    expect(rows[0]?.metrics).toEqual(overview.metrics);
    const schools = await safetyBySchool(store, { kind: 'zone', id: 'z3' }, FIXTURE_DAY);
    expect(schools.map((s) => [s.school.school_id, s.metrics.sessions_scheduled])).toEqual([
      ['s3', 2],
      ['s4', 0],
    ]);
  });

  it('breaks a school down per course', async () => {
    const rows = await safetyByCourse(store, 's1', FIXTURE_DAY);
    expect(rows.map((r) => [r.course_id, r.course_name, r.offering_ids, r.metrics])).toEqual([
      [
        'c-o1',
        '篮球训练',
        ['o1'],
        {
          sessions_scheduled: 1,
          sessions_started: 1,
          sessions_completed: 1,
          students_expected: 2,
          students_present: 2,
          teachers_present: 1,
          completion_rate: 1,
          attendance_rate: 1,
          teacher_attendance_rate: 1,
        },
      ],
      [
        'c-o2',
        '书法',
        ['o2'],
        {
          sessions_scheduled: 1,
          sessions_started: 1,
          sessions_completed: 0,
          students_expected: 2,
          students_present: 1,
          teachers_present: 0,
          completion_rate: 0,
          attendance_rate: 0.5,
          teacher_attendance_rate: 0,
        },
      ],
    ]);
  });

  it("lists a course's sessions with their check-ins, a redelivery once", async () => {
    const [se1, ...rest] = await courseSessions(store, 's1', 'c-o1', FIXTURE_DAY);
    expect(rest).toEqual([]);
    expect(se1).toMatchObject({
      session_id: 'se1',
      state: 'completed',
      started_at: '2026-11-27T15:30:00.000+08:00',
      ended_at: '2026-11-27T16:30:00.000+08:00',
      teacher_present: true,
      students_expected: 2,
      students_present: 2,
    });
    // t1 15:20, st2 15:29, st1 15:31 (delivered twice: once), st1 again 15:40; st3, who
    // withdrew, is listed but not present (contract v1.1).
    expect(se1?.checkins.map((c) => [c.person_id, c.ts.slice(11, 16)])).toEqual([
      ['t1', '15:20'],
      ['st2', '15:29'],
      ['st1', '15:31'],
      ['st1', '15:40'],
      ['st3', '15:45'],
    ]);
    // Names, never ids: the teacher's, the students' masked; st3 is not in the registry.
    expect(se1?.checkins.map((c) => c.person_name)).toEqual(['李明华', '李*', '张*明', '张*明', '']);
    const [se2] = await courseSessions(store, 's1', 'c-o2', FIXTURE_DAY);
    expect([se2?.state, se2?.teacher_present, se2?.ended_at]).toEqual(['started', false, null]);
  });

  it('学情汇报: the latest class report with masked names', async () => {
    expect(await classReport(store, 's1', 'se1')).toEqual({
      session_id: 'se1',
      ts: '2026-11-27T17:10:00.000+08:00',
      summary: '本节课完成运球练习',
      students: [
        { student_id: 'st1', masked_name: '张*明', performance: 4, note: '进步明显' },
        { student_id: 'st2', masked_name: '李*', performance: 2, note: '注意力不集中' },
      ],
    });
    expect(await classReport(store, 's1', 'se2')).toBeNull();
    expect(await classReport(store, 's2', 'se1')).toBeNull(); // another school's session
  });
});
