import { cityPlaces, type Place, type SchoolPlace, type Scope, type Store, type ZonePlace } from '@edu/analytics';

// The city's shape from the registry (read by analytics: `cityPlaces`): school → zone →
// district, with names. Used to map a changed school to the scopes whose screens must update,
// to check scopes against a user's districts, and to name the children on a screen.

export type { Place, SchoolPlace, ZonePlace };

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

  /** Whether the registry knows the place (the city always exists). */
  knows(scope: Scope): boolean {
    switch (scope.kind) {
      case 'city':
        return true;
      case 'district':
        return this.districts.has(scope.id);
      case 'zone':
        return this.zones.has(scope.id);
      case 'school':
        return this.schools.has(scope.id);
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
  const { districts, zones, schools } = await cityPlaces(store);
  return new Geography(districts, zones, schools);
}
