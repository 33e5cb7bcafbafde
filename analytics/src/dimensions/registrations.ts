import { sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import type { Scope } from '../metrics/scope.ts';
import { scopeChildren, type Child } from './children.ts';

// 入库统计 (manual §7 "课程方入库统计、教师入库统计、课程入库统计"): how many providers,
// teachers and courses were registered, per child place of the scope and per month. An entity
// counts in the month of its current registry record: the registry table keeps only the
// latest version of an entity once ClickHouse merges it (ReplacingMergeTree), so a first
// registration's time does not survive a re-registration, and a month derived from it would
// change with merges. A re-registration (a new name or channel) thus moves the entity to its
// month. Teachers and courses belong to the school
// that registered them; a provider belongs to every place where one of its teachers or courses
// is registered (it serves several districts), so the children's provider counts need not add
// up to the scope's.

export interface RegistrationCounts {
  providers: number;
  teachers: number;
  courses: number;
}

export interface Registrations {
  /** The scope's totals (a city counts every provider, also one with no teacher or course yet). */
  total: RegistrationCounts;
  by_child: ({ child: Child } & RegistrationCounts)[];
  /** Months (Beijing time, `2026-09`) of the scope's entities' current registrations, ascending. */
  by_month: ({ month: string } & RegistrationCounts)[];
}

const BEIJING_MS = 8 * 3600_000;
const monthOf = (ms: number) => new Date(ms + BEIJING_MS).toISOString().slice(0, 7);
const zero = (): RegistrationCounts => ({ providers: 0, teachers: 0, courses: 0 });

interface Entity {
  type: 'provider' | 'teacher' | 'course';
  id: string;
  latest_ms: number;
  school_id: string;
  provider_id: string;
}

export async function registrationsOf(store: Store, scope: Scope): Promise<Registrations> {
  const [sc, rows] = await Promise.all([
    scopeChildren(store, scope),
    store.query<Record<string, unknown>>(sql`
      SELECT type, entity_id, latest_ms, latest_school AS school_id, latest_provider AS provider_id FROM (
        SELECT type, entity_id, max(ts_ms) AS latest_ms,
               argMax(school_id, ts_ms) AS latest_school, argMax(provider_id, ts_ms) AS latest_provider
        FROM registry WHERE type IN ('provider', 'teacher', 'course')
        GROUP BY type, entity_id
      )`),
  ]);
  const entities: Entity[] = rows.map((r) => ({
    type: String(r.type) as Entity['type'],
    id: String(r.entity_id),
    latest_ms: num(r.latest_ms),
    school_id: String(r.school_id),
    provider_id: String(r.provider_id),
  }));
  const childOf = new Map(
    sc.schools.map((s) => [
      s.school_id,
      sc.kind === 'district' ? s.district_id : sc.kind === 'zone' ? s.zone_id : s.school_id,
    ]),
  );
  const byChild = new Map(sc.children.map((c) => [c.id, { child: c, ...zero() }]));
  const byMonth = new Map<string, RegistrationCounts>();
  const total = zero();
  // Providers per child: the places of their teachers and courses.
  const providerPlaces = new Map<string, Set<string>>();
  const count = (type: Entity['type'], place: string | null, ms: number) => {
    const key = type === 'provider' ? 'providers' : type === 'teacher' ? 'teachers' : 'courses';
    total[key] += 1;
    const month = monthOf(ms);
    const m = byMonth.get(month) ?? zero();
    m[key] += 1;
    byMonth.set(month, m);
    const c = place === null ? undefined : byChild.get(place);
    if (c) c[key] += 1;
  };
  for (const e of entities) {
    if (e.type === 'provider') continue;
    const place = childOf.get(e.school_id);
    if (place === undefined) continue; // outside the scope (or an unregistered school's)
    count(e.type, place, e.latest_ms);
    if (e.provider_id) {
      const set = providerPlaces.get(e.provider_id) ?? new Set<string>();
      set.add(place);
      providerPlaces.set(e.provider_id, set);
    }
  }
  for (const e of entities) {
    if (e.type !== 'provider') continue;
    const places = providerPlaces.get(e.id);
    if (!places && scope.kind !== 'city') continue;
    total.providers += 1;
    const month = monthOf(e.latest_ms);
    const m = byMonth.get(month) ?? zero();
    m.providers += 1;
    byMonth.set(month, m);
    for (const place of places ?? []) {
      const c = byChild.get(place);
      if (c) c.providers += 1;
    }
  }
  return {
    total,
    by_child: [...byChild.values()],
    by_month: [...byMonth.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([month, c]) => ({ month, ...c })),
  };
}
