import { isIn, sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import { toShanghaiRfc3339 } from '../contract/time.ts';
import { rate } from '../metrics/definitions.ts';
import { ENROLLMENT_VERSION } from '../metrics/queries/day-sessions.ts';
import { registryEntities, type RegistryEntity } from './latest.ts';
import { maskName } from './mask.ts';
import { sessionsBetween, type SessionRow, type SessionState } from './sessions.ts';
import { isoWeek } from './term.ts';

// 一校一表 / 一师一表 / 一生一表: the sessions of one school, teacher or student in the ISO week
// (Monday–Sunday) of a day, cancelled ones included with their state.

export interface TimetableEntry {
  session_id: string;
  school_id: string;
  offering_id: string;
  course_id: string;
  course_name: string;
  teacher_id: string;
  teacher_name: string;
  room: string;
  planned_start: string;
  planned_end: string;
  state: SessionState;
  /** (v1.1) 教师备课: prepared before its start. */
  prepared: boolean;
}

/** (v1.1) 教师备课 over a week's sessions that are not cancelled. */
export interface WeekPrepared {
  sessions_scheduled: number;
  sessions_prepared: number;
  /** 备课率 = sessions_prepared / sessions_scheduled. */
  prepared_rate: number | null;
}

export interface Timetable {
  monday: string;
  sunday: string;
  sessions: TimetableEntry[];
  prepared: WeekPrepared;
}

function withPrepared(sessions: TimetableEntry[]): { sessions: TimetableEntry[]; prepared: WeekPrepared } {
  const scheduled = sessions.filter((s) => s.state !== 'cancelled');
  const prepared = scheduled.filter((s) => s.prepared).length;
  return {
    sessions,
    prepared: {
      sessions_scheduled: scheduled.length,
      sessions_prepared: prepared,
      prepared_rate: rate(prepared, scheduled.length),
    },
  };
}

async function named(store: Store, rows: SessionRow[]): Promise<TimetableEntry[]> {
  const [courses, teachers] = await Promise.all([
    registryEntities(store, 'course', [...new Set(rows.map((r) => r.course_id))]),
    registryEntities(store, 'teacher', [...new Set(rows.map((r) => r.teacher_id))]),
  ]);
  return rows.map((r) => ({
    session_id: r.session_id,
    school_id: r.school_id,
    offering_id: r.offering_id,
    course_id: r.course_id,
    course_name: courses.get(r.course_id)?.name ?? '',
    teacher_id: r.teacher_id,
    teacher_name: teachers.get(r.teacher_id)?.name ?? '',
    room: r.room,
    planned_start: toShanghaiRfc3339(r.planned_start_ms),
    planned_end: toShanghaiRfc3339(r.planned_end_ms),
    state: r.state,
    prepared: r.prepared,
  }));
}

/** 一校一表: a school's sessions in the week of `day`. */
export async function schoolTimetable(store: Store, schoolId: string, day: string): Promise<Timetable> {
  const { monday, sunday } = isoWeek(day);
  const rows = await sessionsBetween(store, monday, sunday, sql`school_id = ${schoolId}`);
  return { monday, sunday, ...withPrepared(await named(store, rows)) };
}

export interface TeacherTimetable extends Timetable {
  /** Registry facts (certificate, provider or school); null when never registered. */
  teacher: (RegistryEntity & { provider_name: string }) | null;
}

/**
 * 一师一表: a teacher's qualification and sessions in the week of `day` — at one school when
 * `schoolId` is given (the console opens it through a school, and a teacher who also teaches
 * in another district must not show that district's timetable), at every school otherwise.
 */
export async function teacherTimetable(
  store: Store,
  teacherId: string,
  day: string,
  schoolId?: string,
): Promise<TeacherTimetable> {
  const { monday, sunday } = isoWeek(day);
  const where =
    schoolId === undefined
      ? sql`teacher_id = ${teacherId}`
      : sql`teacher_id = ${teacherId} AND school_id = ${schoolId}`;
  const [reg, rows] = await Promise.all([
    registryEntities(store, 'teacher', [teacherId]),
    sessionsBetween(store, monday, sunday, where),
  ]);
  const t = reg.get(teacherId);
  const provider = t?.provider_id
    ? (await registryEntities(store, 'provider', [t.provider_id])).get(t.provider_id)
    : undefined;
  return {
    monday,
    sunday,
    teacher: t ? { ...t, provider_name: provider?.name ?? '' } : null,
    ...withPrepared(await named(store, rows)),
  };
}

/**
 * Whether a teacher is one of a school's: registered by it, named on one of its offerings, or
 * scheduled for one of its sessions (any day). Through a school, only its teachers are shown.
 */
export async function teacherAtSchool(store: Store, teacherId: string, schoolId: string): Promise<boolean> {
  const rows = await store.query<{ n: string | number }>(sql`
    SELECT count() AS n FROM (
      SELECT 1 AS x FROM registry WHERE type = 'teacher' AND entity_id = ${teacherId} AND school_id = ${schoolId}
      UNION ALL
      SELECT 1 AS x FROM offerings WHERE school_id = ${schoolId} AND has(teacher_ids, ${teacherId})
      UNION ALL
      SELECT 1 AS x FROM sessions WHERE school_id = ${schoolId} AND teacher_id = ${teacherId}
    )`);
  return num(rows[0]?.n ?? 0) > 0;
}

export interface StudentTimetable extends Timetable {
  student: { student_id: string; masked_name: string; school_id: string; grade: number; class_name: string } | null;
  /** Offerings with a net enrollment now. */
  offering_ids: string[];
  /** Session ids of the week the student checked in to. */
  present_session_ids: string[];
}

/**
 * 一生一表: the week's sessions of the offerings the student is enrolled in (net of
 * withdrawals), with a masked name. The caller checks that the user may see this student.
 */
export async function studentTimetable(store: Store, studentId: string, day: string): Promise<StudentTimetable> {
  const { monday, sunday } = isoWeek(day);
  const [reg, enrolled] = await Promise.all([
    registryEntities(store, 'student', [studentId]),
    store.query<{ offering_id: string }>(sql`
      SELECT offering_id FROM (
        SELECT offering_id, argMax(type, ${ENROLLMENT_VERSION}) AS state
        FROM enrollments WHERE student_id = ${studentId} GROUP BY offering_id
      ) WHERE state = 'enrolled' ORDER BY offering_id`),
  ]);
  const offeringIds = enrolled.map((r) => r.offering_id);
  const rows = await sessionsBetween(store, monday, sunday, isIn(sql`offering_id`, offeringIds));
  const present = rows.length
    ? await store.query<{ session_id: string; n: string | number }>(sql`
        SELECT session_id, count() AS n FROM checkins
        WHERE day >= toDate(${monday}) - 1 AND day <= toDate(${sunday}) + 1 AND type = 'checkin'
          AND person = 'student' AND person_id = ${studentId} AND ${isIn(
            sql`session_id`,
            rows.map((r) => r.session_id),
          )}
        GROUP BY session_id ORDER BY session_id`)
    : [];
  const s = reg.get(studentId);
  return {
    monday,
    sunday,
    student: s
      ? {
          student_id: studentId,
          masked_name: maskName(s.name),
          school_id: s.school_id,
          grade: s.grade,
          class_name: s.class_name,
        }
      : null,
    offering_ids: offeringIds,
    present_session_ids: present.filter((p) => num(p.n) > 0).map((p) => p.session_id),
    ...withPrepared(await named(store, rows)),
  };
}
