import { sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import { registryEntities } from './latest.ts';
import { maskName } from './mask.ts';
import { sessionsBetween } from './sessions.ts';
import { isoWeek } from './term.ts';

// 过程监管's ways in to 一生一表 and 一师一表 (manual 4.3): a school's students found by a
// fragment of their name, and a school's teachers, whether or not they teach this week.

export interface StudentListItem {
  student_id: string;
  /** Students are minors: the name leaves the server masked only (contract, "Personal data"). */
  masked_name: string;
  grade: number;
  class_name: string;
}

export interface StudentList {
  /** Students of the school matching the search, of which `students` is one page. */
  total: number;
  students: StudentListItem[];
}

export interface StudentSearch {
  /** A fragment of the name, or a whole student id; empty: every student of the school. */
  q?: string;
  limit?: number;
  offset?: number;
}

/**
 * The students whose latest registration is at `schoolId` (a student who moved away is no
 * longer the school's), matching a name fragment or their exact id, by grade, class and id.
 * The fragment is matched against the full name here, in the store, so the full name never
 * has to leave the server for the search to work.
 */
export async function schoolStudents(store: Store, schoolId: string, search: StudentSearch = {}): Promise<StudentList> {
  const q = (search.q ?? '').trim();
  const limit = Math.max(1, Math.min(200, Math.floor(search.limit ?? 50)));
  const offset = Math.max(0, Math.floor(search.offset ?? 0));
  // Candidates: any version ever at the school; then the latest version must still be there.
  const latest = sql`
    SELECT entity_id, argMax(name, ts_ms) AS latest_name, argMax(school_id, ts_ms) AS latest_school,
           argMax(grade, ts_ms) AS latest_grade, argMax(class_name, ts_ms) AS latest_class
    FROM registry
    WHERE type = 'student'
      AND entity_id IN (SELECT entity_id FROM registry WHERE type = 'student' AND school_id = ${schoolId})
    GROUP BY entity_id`;
  const match = sql`latest_school = ${schoolId} AND (position(latest_name, ${q}) > 0 OR entity_id = ${q})`;
  const [rows, counted] = await Promise.all([
    store.query<Record<string, unknown>>(sql`
      SELECT entity_id, latest_name, latest_grade, latest_class FROM (${latest})
      WHERE ${match}
      ORDER BY latest_grade, latest_class, entity_id
      LIMIT ${offset}, ${limit}`),
    store.query<{ n: string | number }>(sql`SELECT count() AS n FROM (${latest}) WHERE ${match}`),
  ]);
  return {
    total: num(counted[0]?.n ?? 0),
    students: rows.map((r) => ({
      student_id: String(r.entity_id),
      masked_name: maskName(String(r.latest_name)),
      grade: num(r.latest_grade),
      class_name: String(r.latest_class),
    })),
  };
}

const BY_NAME = new Intl.Collator('zh-CN');

export interface TeacherListItem {
  teacher_id: string;
  /** Empty when the teacher is named by an offering or session but was never registered. */
  name: string;
  certificate: string;
  /** The provider (课程方) the teacher comes from; empty for the school's own teachers. */
  provider_id: string;
  provider_name: string;
  provider_qualified: boolean | null;
  /** Sessions (not cancelled) at this school in the ISO week of the day asked (当周节次). */
  week_sessions: number;
}

export interface TeacherList {
  monday: string;
  sunday: string;
  teachers: TeacherListItem[];
}

/**
 * A school's teachers: registered by it, named on one of its offerings or scheduled for one of
 * its sessions on any day — exactly those teacherAtSchool admits, so every one opens its 一师一表.
 * With each, their sessions there in the week of `day` (0 for a teacher with none).
 */
export async function schoolTeachers(store: Store, schoolId: string, day: string): Promise<TeacherList> {
  const { monday, sunday } = isoWeek(day);
  const [idRows, week] = await Promise.all([
    store.query<{ teacher_id: string }>(sql`
      SELECT teacher_id FROM (
        SELECT entity_id AS teacher_id FROM registry WHERE type = 'teacher' AND school_id = ${schoolId}
        UNION ALL
        SELECT arrayJoin(teacher_ids) AS teacher_id FROM offerings WHERE school_id = ${schoolId}
        UNION ALL
        SELECT teacher_id FROM sessions WHERE school_id = ${schoolId}
      )
      WHERE teacher_id != ''
      GROUP BY teacher_id`),
    sessionsBetween(store, monday, sunday, sql`school_id = ${schoolId}`),
  ]);
  const ids = idRows.map((r) => String(r.teacher_id));
  const registered = await registryEntities(store, 'teacher', ids);
  const providerIds = [...new Set([...registered.values()].map((t) => t.provider_id).filter(Boolean))];
  const providers = providerIds.length ? await registryEntities(store, 'provider', providerIds) : new Map();
  const perTeacher = new Map<string, number>();
  for (const s of week)
    if (s.state !== 'cancelled') perTeacher.set(s.teacher_id, (perTeacher.get(s.teacher_id) ?? 0) + 1);
  const teachers = ids.map((id): TeacherListItem => {
    const t = registered.get(id);
    const p = t?.provider_id ? providers.get(t.provider_id) : undefined;
    return {
      teacher_id: id,
      name: t?.name ?? '',
      certificate: t?.certificate ?? '',
      provider_id: t?.provider_id ?? '',
      provider_name: p?.name ?? '',
      provider_qualified: p ? p.qualified : null,
      week_sessions: perTeacher.get(id) ?? 0,
    };
  });
  // Registered teachers by name in pinyin order, as a Chinese reader looks for them; the
  // never-registered after them; ids break ties.
  teachers.sort(
    (a, b) =>
      Number(!a.name) - Number(!b.name) ||
      BY_NAME.compare(a.name, b.name) ||
      (a.teacher_id < b.teacher_id ? -1 : a.teacher_id > b.teacher_id ? 1 : 0),
  );
  return { monday, sunday, teachers };
}
