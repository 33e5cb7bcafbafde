import { isIn, sql, type Sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import { schoolFilter, upToFilter, type Scope } from '../metrics/scope.ts';

// Latest versions of the upserted entities the dimensions read: registry entries and term
// offerings. The latest `ts_ms` per entity wins; aggregates are named latest_* and renamed
// one level up (ClickHouse 18.16 substitutes SELECT aliases into other expressions).

export type RegistryType = 'provider' | 'operator' | 'teacher' | 'course' | 'student';

export interface RegistryEntity {
  entity_id: string;
  name: string;
  school_id: string;
  provider_id: string;
  certificate: string;
  channel: string;
  qualified: boolean;
  kind: string;
  category: string;
  grade: number;
  class_name: string;
}

/** Registry entities of one type (all of them, or those in `ids`), by id. */
export async function registryEntities(
  store: Store,
  type: RegistryType,
  ids?: readonly string[],
): Promise<Map<string, RegistryEntity>> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT entity_id, latest_name AS name, latest_school AS school_id, latest_provider AS provider_id,
           latest_certificate AS certificate, latest_channel AS channel, latest_qualified AS qualified,
           latest_kind AS kind, latest_category AS category, latest_grade AS grade, latest_class AS class_name
    FROM (
      SELECT entity_id,
             argMax(name, ts_ms) AS latest_name, argMax(school_id, ts_ms) AS latest_school,
             argMax(provider_id, ts_ms) AS latest_provider, argMax(certificate, ts_ms) AS latest_certificate,
             argMax(channel, ts_ms) AS latest_channel, argMax(qualified, ts_ms) AS latest_qualified,
             argMax(kind, ts_ms) AS latest_kind, argMax(category, ts_ms) AS latest_category,
             argMax(grade, ts_ms) AS latest_grade, argMax(class_name, ts_ms) AS latest_class
      FROM registry
      WHERE type = ${type} AND ${ids ? isIn(sql`entity_id`, ids) : sql`1`}
      GROUP BY entity_id
    )`);
  return new Map(
    rows.map((r) => [
      String(r.entity_id),
      {
        entity_id: String(r.entity_id),
        name: String(r.name),
        school_id: String(r.school_id),
        provider_id: String(r.provider_id),
        certificate: String(r.certificate),
        channel: String(r.channel),
        qualified: num(r.qualified) === 1,
        kind: String(r.kind),
        category: String(r.category),
        grade: num(r.grade),
        class_name: String(r.class_name),
      },
    ]),
  );
}

/**
 * Offerings whose latest version is of `term`, of the scope's schools; with `upTo` (epoch ms,
 * replay's `at`), as submitted by then.
 */
export function latestOfferings(scope: Scope, term: string, upTo: number | null = null): Sql {
  return sql`
    SELECT offering_id, latest_school AS school_id, latest_course AS course_id, latest_teachers AS teacher_ids,
           latest_capacity AS capacity, latest_fee AS fee_per_student, latest_weekly AS weekly_sessions,
           latest_description AS description
    FROM (
      SELECT offering_id,
             argMax(school_id, ts_ms) AS latest_school, argMax(term, ts_ms) AS latest_term,
             argMax(course_id, ts_ms) AS latest_course, argMax(teacher_ids, ts_ms) AS latest_teachers,
             argMax(capacity, ts_ms) AS latest_capacity, argMax(fee_per_student, ts_ms) AS latest_fee,
             argMax(weekly_sessions, ts_ms) AS latest_weekly, argMax(description, ts_ms) AS latest_description
      FROM offerings WHERE ${schoolFilter(scope)} AND ${upToFilter(upTo)}
      GROUP BY offering_id
    )
    WHERE latest_term = ${term}`;
}

export interface Offering {
  offering_id: string;
  school_id: string;
  course_id: string;
  teacher_ids: string[];
  capacity: number;
  fee_per_student: number;
  weekly_sessions: number;
  description: string;
}

export async function offeringsOf(store: Store, scope: Scope, term: string): Promise<Offering[]> {
  const rows = await store.query<Record<string, unknown>>(
    sql`SELECT * FROM (${latestOfferings(scope, term)}) ORDER BY offering_id`,
  );
  return rows.map((r) => ({
    offering_id: String(r.offering_id),
    school_id: String(r.school_id),
    course_id: String(r.course_id),
    teacher_ids: (r.teacher_ids as string[]).map(String),
    capacity: num(r.capacity),
    fee_per_student: num(r.fee_per_student),
    weekly_sessions: num(r.weekly_sessions),
    description: String(r.description),
  }));
}
