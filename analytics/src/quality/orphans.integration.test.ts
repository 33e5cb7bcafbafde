import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupByTable, toRow } from '../clickhouse/rows.ts';
import type { Store } from '../clickhouse/store.ts';
import type { InboundEvent } from '../contract/events.ts';
import { toShanghaiRfc3339 } from '../contract/time.ts';
import { computeOverview } from '../metrics/overview.ts';
import { disposeTestStore, openTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { maskId, orphanReport, type OrphanReport, type OrphanRow } from './orphans.ts';

// Orphans on both engines: events about schools, sessions, offerings and students the registry
// does not know are counted per source and type (each once, duplicates aside), with samples of
// the unknown ids; when the registry catches up they stop being orphans, and a check-in whose
// session is scheduled late then counts in the overview's figures.

const DAY = '2026-11-27';
const at = (hhmm: string, day = DAY) => toShanghaiRfc3339(Date.parse(`${day}T${hhmm}:00+08:00`));
const NOW = Date.parse(`${DAY}T17:00:00+08:00`);
const EARLIER = NOW - 2 * 3_600_000; // stored two hours ago: not recent
const RECENT = NOW - 10 * 60_000;

let seq = 0;
const id = () => `orph-${++seq}`;
const checkin = (
  session: string,
  school: string,
  who: string,
  person: 'student' | 'teacher' = 'student',
  day = DAY,
): InboundEvent => ({
  id: id(),
  type: 'checkin',
  ts: at('15:35', day),
  school_id: school,
  session_id: session,
  person,
  person_id: who,
  method: 'face',
});
const scheduled = (session: string, school: string, offering: string): InboundEvent => ({
  id: id(),
  type: 'session_scheduled',
  ts: at('08:00', '2026-11-20'),
  school_id: school,
  session_id: session,
  offering_id: offering,
  course_id: 'c1',
  teacher_id: 't1',
  room: '301',
  planned_start: at('15:30'),
  planned_end: at('16:30'),
});
const student = (entity: string, school: string): InboundEvent => ({
  id: id(),
  type: 'student',
  ts: at('08:00', '2026-11-25'),
  school_id: school,
  entity_id: entity,
  grade: 3,
  class_name: '三(1)班',
  name: '张三明',
});
const school = (entity: string): InboundEvent => ({
  id: id(),
  type: 'school',
  ts: at('08:00', '2026-11-25'),
  school_id: entity,
  entity_id: entity,
  name: `第${entity}小学`,
  zone_id: 'z1',
  district_id: 'd1',
  stage: 'primary',
  students: 100,
});
const enrolled = (who: string, offering: string): InboundEvent => ({
  id: id(),
  type: 'enrolled',
  ts: at('10:00', '2026-11-21'),
  school_id: 's1',
  student_id: who,
  offering_id: offering,
  fee: 1000,
});

const prepared = (session: string): InboundEvent => ({
  id: id(),
  type: 'lesson_prepared',
  ts: at('09:00'),
  school_id: 's1',
  session_id: session,
  teacher_id: 't1',
  title: '篮球训练教案',
});

const known: InboundEvent[] = [
  { id: id(), type: 'district', ts: at('08:00', '2026-11-25'), entity_id: 'd1', name: '东城区' },
  { id: id(), type: 'zone', ts: at('08:00', '2026-11-25'), entity_id: 'z1', name: '一学区', district_id: 'd1' },
  school('s1'),
  student('st1', 's1'),
  student('st2', 's1'),
  {
    id: id(),
    type: 'offering_submitted',
    ts: at('09:00', '2026-11-21'),
    school_id: 's1',
    offering_id: 'o1',
    term: '2026-autumn',
    course_id: 'c1',
    teacher_ids: ['t1'],
    capacity: 30,
    fee_per_student: 1000,
    weekly_sessions: 2,
    description: '课程',
  },
  enrolled('st1', 'o1'),
  enrolled('st2', 'o1'),
  scheduled('se1', 's1', 'o1'),
  checkin('se1', 's1', 'st1'),
  { ...checkin('se1', 's1', 'st1'), type: 'checkout' } as InboundEvent,
];
const duplicated = checkin('sex', 'sx', 'stx'); // unknown school, session and student
const orphansEarlier: InboundEvent[] = [
  duplicated,
  checkin('sex2', 's1', 't1', 'teacher'), // a teacher in an unknown session: a session orphan only
  { id: id(), type: 'class_started', ts: at('15:30'), school_id: 's1', session_id: 'sex', teacher_id: 't1' },
  enrolled('st1', 'ox'),
  scheduled('se9', 's1', 'ox'),
  student('st3', 'sy'),
  checkin('sold', 'sold', 'stold', 'student', '2026-11-17'), // ten days ago: outside the window
  prepared('sex3'), // (v1.1) a lesson prepared for a session never scheduled
  prepared('se1'), // a known session: no orphan
];
const orphansRecent: InboundEvent[] = [
  checkin('se-late', 's1', 'st2'), // its session is scheduled late (the catch-up below)
  checkin('se1', 's1', 'st-ghost'),
];

async function store(s: Store, events: readonly InboundEvent[], ingestedMs: number): Promise<void> {
  for (const [table, rows] of groupByTable(events.map((e) => toRow(e, ingestedMs)))) await s.insert(table, rows);
}

const row = (r: OrphanReport, type: string): OrphanRow | undefined => r.rows.find((x) => x.type === type);

describe.each(TEST_ENGINES)('orphans on %s', (engine) => {
  let s: Store;

  beforeAll(async () => {
    s = await openTestStore(engine, 'orphans');
    await store(s, known, EARLIER);
    await store(s, orphansEarlier, EARLIER);
    await store(s, [duplicated], EARLIER); // redelivered, in another part
    await store(s, orphansRecent, RECENT);
  });
  afterAll(async () => {
    if (s) await disposeTestStore(s);
  });

  it('counts each source and type once per event, by kind, with masked student samples', async () => {
    const r = await orphanReport(s, NOW);
    expect(r.since_day).toBe('2026-11-20');
    expect(r.rows.map((x) => [x.source, x.type])).toEqual([
      ['edu.checkin.v1', 'checkin'],
      ['edu.class.v1', 'class_started'],
      ['edu.class.v1', 'lesson_prepared'],
      ['edu.enrollment.v1', 'enrolled'],
      ['edu.registry.v1', 'student'],
      ['edu.schedule.v1', 'session_scheduled'],
    ]);
    expect(row(r, 'checkin')).toEqual({
      source: 'edu.checkin.v1',
      type: 'checkin',
      orphans: 4,
      recent: 2,
      by_kind: { school: 1, session: 3, offering: 0, student: 2 },
      samples: { school: ['sx'], session: ['se-late', 'sex', 'sex2'], offering: [], student: ['st****st', '***'] },
    });
    expect(row(r, 'class_started')).toMatchObject({ orphans: 1, recent: 0, by_kind: { session: 1 } });
    expect(row(r, 'lesson_prepared')).toMatchObject({
      orphans: 1,
      by_kind: { school: 0, session: 1 },
      samples: { session: ['sex3'] },
    });
    expect(row(r, 'enrolled')).toMatchObject({ orphans: 1, by_kind: { offering: 1, student: 0 } });
    expect(row(r, 'session_scheduled')).toMatchObject({ orphans: 1, samples: { offering: ['ox'] } });
    expect(row(r, 'student')).toMatchObject({ orphans: 1, samples: { school: ['sy'] } });
    expect(maskId('st-ghost')).toBe('st****st');
  });

  it('an orphan check-in counts in no figure, then counts once its session is scheduled', async () => {
    const before = await computeOverview(s, { kind: 'city' }, DAY, NOW);
    // se1 and se9 (whose offering is unknown: the schedule counts without it, see the README);
    // st1 present in se1; the check-in into se-late counts nowhere.
    expect(before.overview.metrics).toMatchObject({ sessions_scheduled: 2, students_present: 1, students_expected: 3 });

    // The registry catches up: the session's schedule and the unknown school arrive late.
    await store(s, [scheduled('se-late', 's1', 'o1'), school('sy')], NOW);

    const r = await orphanReport(s, NOW);
    expect(row(r, 'checkin')).toMatchObject({
      orphans: 3,
      by_kind: { school: 1, session: 2, student: 2 },
      samples: { session: ['sex', 'sex2'] },
    });
    expect(row(r, 'student')).toBeUndefined();
    const after = await computeOverview(s, { kind: 'city' }, DAY, NOW);
    // se-late counts, with o1's two students expected and st2 present.
    expect(after.overview.metrics).toMatchObject({ sessions_scheduled: 3, students_present: 2, students_expected: 5 });
  });
});
