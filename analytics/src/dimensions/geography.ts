import { sql } from '../clickhouse/sql.ts';
import type { Store } from '../clickhouse/store.ts';
import { LATEST_SCHOOLS } from '../metrics/scope.ts';

// The city's shape from the registry: school → zone → district, with names, each place as its
// latest registry event says. The streamer builds its Geography from it (which scopes a school's
// numbers appear in, which district a scope lies in, the names on a screen).

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

export interface CityPlaces {
  districts: Map<string, Place>;
  zones: Map<string, ZonePlace>;
  schools: Map<string, SchoolPlace>;
}

/** Every district, zone and school of the registry, by id. */
export async function cityPlaces(store: Store): Promise<CityPlaces> {
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
  return { districts, zones, schools: schoolMap };
}
