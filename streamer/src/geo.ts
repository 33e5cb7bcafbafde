import { LATEST_SCHOOLS, sql, type Scope, type Store } from '@edu/analytics';

// The city's shape from the registry: school → zone → district, with names. Used to map a
// changed school to the scopes whose screens must update, to check scopes against a user's
// districts, and to name the children on a screen.

export interface Place {
  id: string;
  name: string;
}
export interface SchoolPlace extends Place {
  zone_id: string;
  district_id: string;
}
export interface ZonePlace extends Place {
  district_id: string;
}

export class Geography {
  constructor(
    readonly districts: Map<string, Place>,
    readonly zones: Map<string, ZonePlace>,
    readonly schools: Map<string, SchoolPlace>,
  ) {}

  static empty(): Geography {
    return new Geography(new Map(), new Map(), new Map());
  }

  /** The district a scope lies in; null for the city or an unknown place. */
  districtOf(scope: Scope): string | null {
    switch (scope.kind) {
      case 'city':
        return null;
      case 'district':
        return scope.id;
      case 'zone':
        return this.zones.get(scope.id)?.district_id ?? null;
      case 'school':
        return this.schools.get(scope.id)?.district_id ?? null;
    }
  }

  /** The scopes a school's numbers appear in: its own, its zone's, its district's, the city's. */
  scopesOfSchool(schoolId: string): string[] {
    const s = this.schools.get(schoolId);
    const out = ['city', `school:${schoolId}`];
    if (s?.zone_id) out.push(`zone:${s.zone_id}`);
    if (s?.district_id) out.push(`district:${s.district_id}`);
    return out;
  }

  placeOfSchool(schoolId: string): { school_id: string; zone_id: string; district_id: string; name: string } {
    const s = this.schools.get(schoolId);
    return { school_id: schoolId, zone_id: s?.zone_id ?? '', district_id: s?.district_id ?? '', name: s?.name ?? '' };
  }
}

export async function loadGeography(store: Store): Promise<Geography> {
  const [places, schools] = await Promise.all([
    store.query<Record<string, unknown>>(sql`
      SELECT entity_id, type, argMax(name, ts_ms) AS l_name, argMax(district_id, ts_ms) AS l_district
      FROM registry WHERE type IN ('district', 'zone') GROUP BY entity_id, type`),
    store.query<Record<string, unknown>>(
      sql`SELECT school_id, name, zone_id, district_id, students FROM (${LATEST_SCHOOLS})`,
    ),
  ]);
  const districts = new Map<string, Place>();
  const zones = new Map<string, ZonePlace>();
  for (const p of places) {
    const id = String(p.entity_id);
    if (p.type === 'district') districts.set(id, { id, name: String(p.l_name) });
    else zones.set(id, { id, name: String(p.l_name), district_id: String(p.l_district) });
  }
  const schoolMap = new Map<string, SchoolPlace>();
  for (const s of schools) {
    const id = String(s.school_id);
    schoolMap.set(id, { id, name: String(s.name), zone_id: String(s.zone_id), district_id: String(s.district_id) });
  }
  return new Geography(districts, zones, schoolMap);
}
