import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../contract/index.ts';
import { groupByTable, toRow } from '../clickhouse/rows.ts';
import type { Store } from '../clickhouse/store.ts';
import { disposeTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { openDimensionStore } from './fixture-store.ts';
import { schoolStudents, schoolTeachers } from './people.ts';
import { teacherAtSchool } from './timetables.ts';

// The fixture city's students (st1 张小明 g3, st2 李华 g3, st4 欧阳娜娜 g4 at s1; st7 王五 at s3)
// plus, here: a name with a quote and a backslash at s1 (the search value must be escaped), and
// a student who moved from s1 to s2 (the latest registration decides).
// Teachers (in pinyin order): s1 registers t1 and t2 (provider p1 星火体育); s3 registers t4 (p2 墨香书院) and t5,
// and its offerings o4 / o5 name t1. Week of 2026-11-27: se5 (t4) and se6 (t5) at s3.

const student = (entity_id: string, name: string, school_id: string, grade: number, ts: string): InboundEvent => ({
  id: `people-${entity_id}-${ts}`,
  type: 'student',
  ts,
  school_id,
  entity_id,
  name,
  grade,
  class_name: `${grade}年级2班`,
});

describe.each(TEST_ENGINES)('people of a school on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDimensionStore(engine, 'dim_people');
    const extra = [
      student('st20', "O'Brien\\明", 's1', 6, '2026-09-01T08:00:00+08:00'),
      student('st21', '张大明', 's1', 5, '2026-09-01T08:00:00+08:00'),
      student('st21', '张大明', 's2', 5, '2026-10-01T08:00:00+08:00'),
    ].map((e) => toRow(e, Date.now()));
    for (const [table, list] of groupByTable(extra)) await store.insert(table, list);
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('lists a school’s students by grade and class with masked names only', async () => {
    const all = await schoolStudents(store, 's1');
    expect(all.total).toBe(4);
    expect(all.students).toEqual([
      { student_id: 'st1', masked_name: '张*明', grade: 3, class_name: '3年级1班' },
      { student_id: 'st2', masked_name: '李*', grade: 3, class_name: '3年级1班' },
      { student_id: 'st4', masked_name: '欧**娜', grade: 4, class_name: '4年级1班' },
      { student_id: 'st20', masked_name: 'O*******明', grade: 6, class_name: '6年级2班' },
    ]);
    expect(JSON.stringify(all)).not.toMatch(/张小明|李华|欧阳娜娜|Brien/);
  });

  it('finds students by a fragment of the name, escaped, or by their id', async () => {
    const ids = async (q: string) => (await schoolStudents(store, 's1', { q })).students.map((s) => s.student_id);
    expect(await ids('明')).toEqual(['st1', 'st20']);
    expect(await ids('阳娜')).toEqual(['st4']);
    expect(await ids("O'Bri")).toEqual(['st20']);
    expect(await ids('n\\明')).toEqual(['st20']);
    expect(await ids("' OR 1=1 --")).toEqual([]);
    expect(await ids('st2')).toEqual(['st2']);
    // 王五 is s3's; 张大明 moved to s2 and is no longer s1's.
    expect(await ids('王')).toEqual([]);
    expect(await ids('大明')).toEqual([]);
    expect((await schoolStudents(store, 's2', { q: '大明' })).students).toEqual([
      { student_id: 'st21', masked_name: '张*明', grade: 5, class_name: '5年级2班' },
    ]);
  });

  it('pages a long list and counts every match', async () => {
    const page = await schoolStudents(store, 's1', { limit: 2, offset: 1 });
    expect([page.total, page.students.map((s) => s.student_id)]).toEqual([4, ['st2', 'st4']]);
  });

  it('lists a school’s teachers with qualification and provider, those without a session too', async () => {
    const s3 = await schoolTeachers(store, 's3', '2026-11-27');
    expect([s3.monday, s3.sunday]).toEqual(['2026-11-23', '2026-11-29']);
    expect(
      s3.teachers.map((t) => [
        t.teacher_id,
        t.name,
        t.certificate,
        t.provider_name,
        t.provider_qualified,
        t.week_sessions,
      ]),
    ).toEqual([
      ['t4', '陈静', 'skill', '墨香书院', true, 1],
      ['t1', '李明华', 'teacher', '', null, 0],
      ['t5', '刘洋', 'none', '', null, 1],
    ]);
    // Next week nobody teaches at s3, and every teacher is still listed.
    const next = await schoolTeachers(store, 's3', '2026-11-30');
    expect(next.teachers.map((t) => [t.teacher_id, t.week_sessions])).toEqual([
      ['t4', 0],
      ['t1', 0],
      ['t5', 0],
    ]);
    const s1 = await schoolTeachers(store, 's1', '2026-11-27');
    expect(s1.teachers.map((t) => [t.teacher_id, t.provider_name, t.week_sessions])).toEqual([
      ['t1', '', 1],
      ['t2', '星火体育', 1],
    ]);
    // Each one listed opens its 一师一表 (the route admits exactly teacherAtSchool's teachers).
    for (const t of [...s3.teachers, ...s1.teachers])
      expect(await teacherAtSchool(store, t.teacher_id, s3.teachers.includes(t) ? 's3' : 's1')).toBe(true);
    expect((await schoolTeachers(store, 's9', '2026-11-27')).teachers).toEqual([]);
  });
});
