import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../clickhouse/store.ts';
import { disposeTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { openDimensionStore } from './fixture-store.ts';
import { participationByChild } from './process.ts';
import { schoolTimetable, studentTimetable, teacherTimetable } from './timetables.ts';

// Hand computation from the fixture city (+ dimension registry), term 2026-autumn:
//   enrolled (distinct per school, net): s1 st1 st2 st4 = 3, s2 st5 st6 = 2, s3 st7 = 1 (st8 is spring)
//   offerings of the term: s1 o1 o2, s2 o3, s3 o4 (o5 is spring)
//   sessions of the term's offerings, not cancelled: s1 se1 se2; s2 none (se3, se4 cancelled);
//     s3 se5 (se6 is o5, spring); s4 se7 (o4) → held (class_started): se1 se2 se5; completed: se1 se5
//   d1 {s1 500, s2 300, s5 80}: 5 of 880, 3 offerings, 2 sessions, 2 held, 1 completed
//   d2 {s3 200, s4 150}: 1 of 350, 1 offering, 2 sessions, 1 held, 1 completed
//   (v1.1) prepared before the start: se1 (the day before), se5 (a week ahead), se7 (the day
//     before); se2 was prepared after its start → d1 1 of 2, d2 2 of 2
// Week of 2026-11-27 (Fri): Monday 11-23 to Sunday 11-29.

describe.each(TEST_ENGINES)('process on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDimensionStore(engine, 'dim_process');
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('reports participation per district', async () => {
    const rows = await participationByChild(store, { kind: 'city' }, '2026-autumn');
    expect(
      rows.map((r) => [
        r.child.id,
        r.students,
        r.students_enrolled,
        r.enrollment_rate,
        r.offerings,
        r.sessions_scheduled,
        r.sessions_held,
        r.sessions_completed,
      ]),
    ).toEqual([
      ['d1', 880, 5, 5 / 880, 3, 2, 2, 1],
      ['d2', 350, 1, 1 / 350, 1, 2, 1, 1],
      ['d3', 0, 0, null, 0, 0, 0, 0],
    ]);
  });

  it('reports 备课率 per district and per school (v1.1)', async () => {
    const city = await participationByChild(store, { kind: 'city' }, '2026-autumn');
    expect(city.map((r) => [r.child.id, r.sessions_scheduled, r.sessions_prepared, r.prepared_rate])).toEqual([
      ['d1', 2, 1, 0.5],
      ['d2', 2, 2, 1],
      ['d3', 0, 0, null],
    ]);
    const s1 = await participationByChild(store, { kind: 'school', id: 's1' }, '2026-autumn');
    expect(s1.map((r) => [r.child.id, r.sessions_prepared, r.prepared_rate])).toEqual([['s1', 1, 0.5]]);
  });

  it('reports participation per school of a zone', async () => {
    const rows = await participationByChild(store, { kind: 'zone', id: 'z3' }, '2026-autumn');
    expect(rows.map((r) => [r.child.id, r.students_enrolled, r.offerings, r.sessions_scheduled])).toEqual([
      ['s3', 1, 1, 1],
      ['s4', 0, 0, 1],
    ]);
  });

  it('一校一表: the school week with names and states', async () => {
    const t = await schoolTimetable(store, 's1', '2026-11-27');
    expect([t.monday, t.sunday]).toEqual(['2026-11-23', '2026-11-29']);
    expect(
      t.sessions.map((s) => [s.session_id, s.course_name, s.teacher_name, s.room, s.planned_start, s.state]),
    ).toEqual([
      ['se1', '篮球训练', '李明华', '301', '2026-11-27T15:30:00.000+08:00', 'completed'],
      ['se2', '书法', '王芳', '301', '2026-11-27T15:30:00.000+08:00', 'started'],
    ]);
    // s2's two sessions were cancelled (se4 by a tie); se3's class_started does not revive it.
    const s2 = await schoolTimetable(store, 's2', '2026-11-23');
    expect(s2.sessions.map((s) => [s.session_id, s.state])).toEqual([
      ['se3', 'cancelled'],
      ['se4', 'cancelled'],
    ]);
    expect((await schoolTimetable(store, 's1', '2026-11-30')).sessions).toEqual([]);
  });

  it('marks each session of a week prepared or not (v1.1)', async () => {
    const t = await schoolTimetable(store, 's1', '2026-11-27');
    // se1 prepared the day before; se2 only after its start.
    expect(t.sessions.map((s) => [s.session_id, s.prepared])).toEqual([
      ['se1', true],
      ['se2', false],
    ]);
    expect(t.prepared).toEqual({ sessions_scheduled: 2, sessions_prepared: 1, prepared_rate: 0.5 });
    // s2's two sessions are cancelled: nothing scheduled, no rate.
    expect((await schoolTimetable(store, 's2', '2026-11-27')).prepared).toEqual({
      sessions_scheduled: 0,
      sessions_prepared: 0,
      prepared_rate: null,
    });
    const t4 = await teacherTimetable(store, 't4', '2026-11-29');
    expect(t4.sessions.map((s) => [s.session_id, s.prepared])).toEqual([
      ['se5', true],
      ['se7', true],
    ]);
  });

  it('一师一表: qualification, provider and sessions at every school', async () => {
    const t = await teacherTimetable(store, 't4', '2026-11-29');
    expect([
      t.teacher?.name,
      t.teacher?.certificate,
      t.teacher?.provider_id,
      t.teacher?.provider_name,
      t.teacher?.school_id,
    ]).toEqual(['陈静', 'skill', 'p2', '墨香书院', 's3']);
    expect(t.sessions.map((s) => [s.session_id, s.school_id, s.state])).toEqual([
      ['se5', 's3', 'completed'],
      ['se7', 's4', 'scheduled'],
    ]);
    const t3 = await teacherTimetable(store, 't3', '2026-11-27');
    expect(t3.teacher?.certificate).toBe('teacher'); // re-registered
  });

  it('一生一表: net enrollments, masked name, presence', async () => {
    const t = await studentTimetable(store, 'st1', '2026-11-27');
    expect(t.student).toEqual({
      student_id: 'st1',
      masked_name: '张*明',
      school_id: 's1',
      grade: 3,
      class_name: '3年级1班',
    });
    expect(t.offering_ids).toEqual(['o1', 'o2']);
    expect(t.sessions.map((s) => s.session_id)).toEqual(['se1', 'se2']);
    expect(t.present_session_ids).toEqual(['se1']);
    // st3 withdrew from o1: no sessions; st7 re-enrolled in o4: se5 and se7.
    expect((await studentTimetable(store, 'st3', '2026-11-27')).sessions).toEqual([]);
    const st7 = await studentTimetable(store, 'st7', '2026-11-27');
    expect(st7.sessions.map((s) => s.session_id)).toEqual(['se5', 'se7']);
    expect(st7.student?.masked_name).toBe('王*');
  });
});
