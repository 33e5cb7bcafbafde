import { isIn, sql, type Sql } from '../clickhouse/sql.ts';
import { idSchema } from '../contract/schemas.ts';

// A scope is what one screen or one API call looks at: the city, a district (辖区), a school
// zone (学区) or one school. Written `city`, `district:<id>`, `zone:<id>`, `school:<id>`.

export type Scope =
  | { kind: 'city' }
  | { kind: 'district'; id: string; members?: Members }
  | { kind: 'zone'; id: string; members?: Members }
  | { kind: 'school'; id: string };

/**
 * A district's or zone's schools, looked up for one read (membersSql, at the read's `upTo`):
 * schoolFilter then writes them as a literal list. 18.16 narrows a table's key by a literal list
 * only, and evaluates a subquery once per use (twelve in one figures read: ~5 ms each).
 */
export type Members = readonly string[];

export type ScopeKind = Scope['kind'];

export function parseScope(text: string): Scope | { error: string } {
  if (text === 'city') return { kind: 'city' };
  const m = /^(district|zone|school):(.+)$/.exec(text);
  if (!m) return { error: `scope must be city, district:<id>, zone:<id> or school:<id>, not ${JSON.stringify(text)}` };
  const id = m[2] as string;
  if (!idSchema.safeParse(id).success) return { error: `scope id ${JSON.stringify(id)} is not a valid id` };
  return { kind: m[1] as 'district' | 'zone' | 'school', id };
}

export function formatScope(scope: Scope): string {
  return scope.kind === 'city' ? 'city' : `${scope.kind}:${scope.id}`;
}

/** `ts_ms <= upTo`, or true when every event counts (see moment.ts). */
export function upToFilter(upTo: number | null, column: Sql = sql`ts_ms`): Sql {
  return upTo === null ? sql`1` : sql`${column} <= ${upTo}`;
}

/**
 * Latest registry facts of every school (as of `upTo`, when given): the registry is an upsert log.
 * SQL convention used throughout: an aggregate never takes the name of a column (ClickHouse
 * 18.16 substitutes SELECT aliases into WHERE and into other aggregates), so latest values
 * are named `latest_*` inside and renamed one level up.
 */
export function latestSchools(upTo: number | null = null): Sql {
  return sql`
  SELECT entity_id AS school_id, latest_zone AS zone_id, latest_district AS district_id,
         latest_students AS students, latest_name AS name
  FROM (
    SELECT entity_id,
           argMax(zone_id, ts_ms) AS latest_zone,
           argMax(district_id, ts_ms) AS latest_district,
           argMax(students, ts_ms) AS latest_students,
           argMax(name, ts_ms) AS latest_name
    FROM registry WHERE type = 'school' AND ${upToFilter(upTo)} GROUP BY entity_id
  )`;
}

export const LATEST_SCHOOLS = latestSchools();

/** A condition on a `school_id` column that keeps the scope's schools (as placed at `upTo`). */
export function schoolFilter(scope: Scope, column: Sql = sql`school_id`, upTo: number | null = null): Sql {
  switch (scope.kind) {
    case 'city':
      return sql`1`;
    case 'school':
      return sql`${column} = ${scope.id}`;
    case 'district':
    case 'zone':
      return scope.members ? isIn(column, scope.members) : sql`${column} IN (${membersSql(scope, upTo)})`;
  }
}

/** The schools of a district or zone as placed at `upTo` (one `school_id` column). */
export function membersSql(scope: { kind: 'district' | 'zone'; id: string }, upTo: number | null = null): Sql {
  const column = scope.kind === 'district' ? sql`district_id` : sql`zone_id`;
  return sql`SELECT school_id FROM (${latestSchools(upTo)}) WHERE ${column} = ${scope.id}`;
}

/** Whether scope `inner` lies within `outer`, given the school's place in the city. */
export function scopeContainsSchool(
  outer: Scope,
  school: { school_id: string; zone_id: string; district_id: string },
): boolean {
  switch (outer.kind) {
    case 'city':
      return true;
    case 'district':
      return school.district_id === outer.id;
    case 'zone':
      return school.zone_id === outer.id;
    case 'school':
      return school.school_id === outer.id;
  }
}
