import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../clickhouse/store.ts';
import { FIXTURE_DAY } from '../testing/fixture-city.ts';
import { disposeTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { chartAttendance, chartEnrollment, chartScheduling, chartSelection } from './chart-rankings.ts';
import { chartRegistry, chartSettlement, chartTotals } from './charts.ts';
import { openDimensionStore } from './fixture-store.ts';

// Hand computation, term 2026-autumn, city:
//   资源: providers p1–p4 = 4; teachers t1–t5 = 5; courses c-o1..c-o5, c-x1 = 6
//   选课: offerings o1–o4 = 4; net enrollments o1 2 + o2 2 + o3 2 + o4 1 = 7; students 3+2+1 = 6;
//         fees s1 10000·2 + 5000·2 = 30000, s2 16000, s3 6000 → 52000
//   交付: sessions se1 se2 se5 se7 = 4, held se1 se2 se5 = 3, completed se1 se5 = 2
//   结算 (latest per settlement, periods 2026-08..2027-01): set1 90000 + set2 50000 + set3 70000
//         (2026-10) + dset1 30000 = 240000; per offering o1 210000, o4 30000; Nov 170000, Oct 70000
//   入库: channels bid p1 p4, recommended p2 (re-registered), self p3;
//         certificates teacher t1 t3 (re-registered), coach t2, skill t4, none t5;
//         categories sports c-o1 c-x1, arts c-o2 (re-registered), science, reading, labor; kinds 2 school, 4 external
//   排课: se1 sports, se2 arts, se5 + se7 reading → 1/4, 1/4, 2/4; per school s1 2, s3 1, s4 1, s2 0, s5 0
//   选课 ranks: offerings with enrollment s1 2, s2 1, s3 1, s4 0, s5 0

const ids = (rows: { school_id: string; value: number }[]) => rows.map((r) => [r.school_id, r.value]);

describe.each(TEST_ENGINES)('charts on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDimensionStore(engine, 'dim_charts');
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('统计: resources, selection, delivery, settlement', async () => {
    expect(await chartTotals(store, { kind: 'city' }, '2026-autumn')).toEqual({
      resources: { providers: 4, teachers: 5, courses: 6 },
      selection: {
        offerings: 4,
        offerings_by_state: { pending: 4, approved: 0, rejected: 0, voided: 0 },
        enrollments: 7,
        students_enrolled: 6,
        fees_enrolled: 52000,
      },
      // 备课: se1 se5 se7 prepared before their start, se2 after it.
      delivery: {
        sessions_scheduled: 4,
        sessions_held: 3,
        sessions_completed: 2,
        sessions_prepared: 3,
        prepared_rate: 3 / 4,
      },
      settlement: { settled_amount: 240000 },
    });
    // District d2 {s3, s4}: teachers t4 t5, courses c-o4 c-o5 c-x1, providers used p2 p4;
    // offering o4 (1 enrolled, 6000); se5 se7; settled set2 50000 + dset1 30000.
    expect(await chartTotals(store, { kind: 'district', id: 'd2' }, '2026-autumn')).toEqual({
      resources: { providers: 2, teachers: 2, courses: 3 },
      selection: {
        offerings: 1,
        offerings_by_state: { pending: 1, approved: 0, rejected: 0, voided: 0 },
        enrollments: 1,
        students_enrolled: 1,
        fees_enrolled: 6000,
      },
      delivery: {
        sessions_scheduled: 2,
        sessions_held: 1,
        sessions_completed: 1,
        sessions_prepared: 2,
        prepared_rate: 1,
      },
      settlement: { settled_amount: 80000 },
    });
  });

  it('入库: channel, certificate, category and kind shares', async () => {
    const r = await chartRegistry(store, { kind: 'city' });
    expect(r.provider_channel).toEqual([
      { key: 'bid', count: 2, share: 0.5 },
      { key: 'recommended', count: 1, share: 0.25 },
      { key: 'self', count: 1, share: 0.25 },
    ]);
    expect(r.teacher_certificate.map((s) => [s.key, s.count])).toEqual([
      ['teacher', 2],
      ['coach', 1],
      ['skill', 1],
      ['none', 1],
    ]);
    expect(r.course_category.map((s) => [s.key, s.count])).toEqual([
      ['sports', 2],
      ['arts', 1],
      ['science', 1],
      ['reading', 1],
      ['labor', 1],
      ['homework', 0],
      ['other', 0],
    ]);
    expect(r.course_kind).toEqual([
      { key: 'school', count: 2, share: 2 / 6 },
      { key: 'external', count: 4, share: 4 / 6 },
    ]);
  });

  it('结算: per offering and per month', async () => {
    const s = await chartSettlement(store, { kind: 'city' }, '2026-autumn');
    expect(s.by_offering).toEqual([
      { offering_id: 'o1', course_id: 'c-o1', course_name: '篮球训练', amount: 210000 },
      { offering_id: 'o4', course_id: 'c-o4', course_name: '阅读写作', amount: 30000 },
    ]);
    expect(s.by_month.filter((m) => m.amount > 0)).toEqual([
      { period: '2026-10', amount: 70000 },
      { period: '2026-11', amount: 170000 },
    ]);
    expect(s.by_month.map((m) => m.period)).toEqual(['2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01']);
  });

  it('选课 and 排课 rankings, ties by school id', async () => {
    const sel = await chartSelection(store, { kind: 'city' }, '2026-autumn');
    expect(ids(sel.courses_selected.top)).toEqual([
      ['s1', 2],
      ['s2', 1],
      ['s3', 1],
      ['s4', 0],
      ['s5', 0],
    ]);
    expect(ids(sel.courses_selected.bottom)).toEqual([
      ['s4', 0],
      ['s5', 0],
      ['s2', 1],
      ['s3', 1],
      ['s1', 2],
    ]);
    expect(ids(sel.fees_enrolled.top).slice(0, 3)).toEqual([
      ['s1', 30000],
      ['s2', 16000],
      ['s3', 6000],
    ]);
    const sch = await chartScheduling(store, { kind: 'city' }, '2026-autumn');
    expect(sch.by_category.filter((c) => c.count > 0)).toEqual([
      { key: 'sports', count: 1, share: 0.25 },
      { key: 'arts', count: 1, share: 0.25 },
      { key: 'reading', count: 2, share: 0.5 },
    ]);
    expect(ids(sch.sessions_scheduled.top)).toEqual([
      ['s1', 2],
      ['s3', 1],
      ['s4', 1],
      ['s2', 0],
      ['s5', 0],
    ]);
    // 备课率 of the term: s1 1 of 2 (se2 late), s3 se5 and s4 se7 prepared; s2 and s5 have no
    // session, so no rate, and are ranked nowhere.
    expect(ids(sch.prepared_rate.top)).toEqual([
      ['s3', 1],
      ['s4', 1],
      ['s1', 0.5],
    ]);
    expect(ids(sch.prepared_rate.bottom)).toEqual([
      ['s1', 0.5],
      ['s3', 1],
      ['s4', 1],
    ]);
  });

  it('报名 and 上课 rankings', async () => {
    const e = await chartEnrollment(store, { kind: 'city' }, '2026-autumn');
    expect(ids(e.students_enrolled.top)).toEqual([
      ['s1', 3],
      ['s2', 2],
      ['s3', 1],
      ['s4', 0],
      ['s5', 0],
    ]);
    // rates: s2 2/300, s1 3/500, s3 1/200, s4 0/150, s5 0/80
    expect(ids(e.enrollment_rate.top)).toEqual([
      ['s2', 2 / 300],
      ['s1', 3 / 500],
      ['s3', 1 / 200],
      ['s4', 0],
      ['s5', 0],
    ]);
    const a = await chartAttendance(store, { kind: 'city' }, FIXTURE_DAY);
    expect(a.teachers).toEqual({ sessions_scheduled: 4, teachers_present: 2, teacher_attendance_rate: 0.5 });
    expect(a.students).toEqual({ students_expected: 6, students_present: 4, attendance_rate: 4 / 6 });
    // s1 3 of 4, s3 1 of 2; schools without sessions have no rate and are not ranked.
    expect(ids(a.attendance_rate.top)).toEqual([
      ['s1', 0.75],
      ['s3', 0.5],
    ]);
    expect(ids(a.attendance_rate.bottom)).toEqual([
      ['s3', 0.5],
      ['s1', 0.75],
    ]);
    // At 15:35 no class is due to start yet: ranked as the wall ranks, by the due rate — nobody.
    const early = await chartAttendance(
      store,
      { kind: 'city' },
      FIXTURE_DAY,
      Date.parse(`${FIXTURE_DAY}T15:35:00+08:00`),
    );
    expect([early.attendance_rate.top, early.due.attendance_rate]).toEqual([[], null]);
    expect(early.students.attendance_rate).toBe(4 / 6);
  });
});
