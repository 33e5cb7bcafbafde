import { sql } from '../clickhouse/sql.ts';
import type { Store } from '../clickhouse/store.ts';
import { schoolsOf, type SchoolInfo } from '../metrics/queries/term-by-school.ts';
import type { Scope } from '../metrics/scope.ts';

// Every dimension answers "per child of the scope": the city per district, a district per
// zone, a zone (or one school) per school. Queries compute per school; this module names the
// children and rolls school numbers up into them, so every dimension groups the same way.

export type ChildKind = 'district' | 'zone' | 'school';

export interface Child {
  kind: ChildKind;
  id: string;
  name: string;
}

export interface ScopeChildren {
  kind: ChildKind;
  children: Child[];
  /** The scope's schools as the registry knows them now. */
  schools: SchoolInfo[];
}

export function childKind(scope: Scope): ChildKind {
  return scope.kind === 'city' ? 'district' : scope.kind === 'district' ? 'zone' : 'school';
}

function childIdOf(kind: ChildKind, s: SchoolInfo): string {
  return kind === 'district' ? s.district_id : kind === 'zone' ? s.zone_id : s.school_id;
}

/**
 * The scope's children: districts and zones from the registry (so one without schools still
 * has a row), plus any named by a school but never registered (with an empty name).
 */
export async function scopeChildren(store: Store, scope: Scope): Promise<ScopeChildren> {
  const kind = childKind(scope);
  const areaFilter = scope.kind === 'district' ? sql`district_id = ${scope.id}` : sql`1`;
  const [schools, areas] = await Promise.all([
    schoolsOf(store, scope),
    kind === 'school'
      ? Promise.resolve([])
      : store.query<{ entity_id: string; name: string }>(sql`
          SELECT entity_id, name FROM (
            SELECT entity_id, latest_name AS name, latest_district AS district_id FROM (
              SELECT entity_id, argMax(name, ts_ms) AS latest_name, argMax(district_id, ts_ms) AS latest_district
              FROM registry WHERE type = ${kind} GROUP BY entity_id
            )
          ) WHERE ${areaFilter}`),
  ]);
  const children = new Map<string, Child>();
  for (const a of areas) children.set(a.entity_id, { kind, id: a.entity_id, name: a.name });
  for (const s of schools) {
    const id = childIdOf(kind, s);
    if (!children.has(id)) children.set(id, { kind, id, name: kind === 'school' ? s.name : '' });
  }
  return { kind, schools, children: [...children.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}

export interface Rolled<C> {
  child: Child;
  /** Registry schools in the child. */
  schools: number;
  counts: C;
}

/**
 * Sums per-school counts into the children. Numbers of a school the registry does not know
 * (possible only in the city) go to a child with an empty id, so nothing is dropped.
 */
export function rollUp<C extends Record<string, number>>(
  sc: ScopeChildren,
  perSchool: Iterable<readonly [string, C]>,
  zero: () => C,
): Rolled<C>[] {
  const out = new Map<string, Rolled<C>>(sc.children.map((c) => [c.id, { child: c, schools: 0, counts: zero() }]));
  const info = new Map(sc.schools.map((s) => [s.school_id, s]));
  const rowOf = (id: string): Rolled<C> => {
    let r = out.get(id);
    if (!r) out.set(id, (r = { child: { kind: sc.kind, id, name: '' }, schools: 0, counts: zero() }));
    return r;
  };
  for (const s of sc.schools) rowOf(childIdOf(sc.kind, s)).schools += 1;
  for (const [schoolId, c] of perSchool) {
    const s = info.get(schoolId);
    const into = rowOf(s ? childIdOf(sc.kind, s) : sc.kind === 'school' ? schoolId : '').counts as Record<
      string,
      number
    >;
    for (const k of Object.keys(c)) into[k] = (into[k] ?? 0) + (c[k] ?? 0);
  }
  return [...out.values()];
}
