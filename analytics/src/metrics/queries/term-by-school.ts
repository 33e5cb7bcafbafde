import { sql } from '../../clickhouse/sql.ts';
import { num, type Store } from '../../clickhouse/store.ts';
import { latestSchools, schoolFilter, type Scope } from '../scope.ts';
import { countedSettlements } from './settlements.ts';

// Per school of the scope: settled funds and the registry head count.

/**
 * Settled funds in the period: the settlements that count (settlements.ts), summed per school,
 * as of `upTo`.
 */
export async function settledBySchool(
  store: Store,
  scope: Scope,
  period: string,
  upTo: number | null = null,
): Promise<{ school_id: string; settled_amount: number }[]> {
  const rows = await store.query<Record<string, string | number>>(sql`
    SELECT latest_school AS school_id, sum(latest_amount) AS settled_amount
    FROM (${countedSettlements(schoolFilter(scope, sql`school_id`, upTo), upTo)})
    WHERE latest_period = ${period}
    GROUP BY latest_school`);
  return rows.map((r) => ({ school_id: String(r.school_id), settled_amount: num(r.settled_amount) }));
}

export interface SchoolInfo {
  school_id: string;
  name: string;
  zone_id: string;
  district_id: string;
  students: number;
}

/** The scope's schools as the registry knows them now (or knew them at `upTo`). */
export async function schoolsOf(store: Store, scope: Scope, upTo: number | null = null): Promise<SchoolInfo[]> {
  const rows = await store.query<Record<string, string | number>>(sql`
    SELECT school_id, name, zone_id, district_id, students
    FROM (${latestSchools(upTo)})
    WHERE ${schoolFilter(scope, sql`school_id`, upTo)}
    ORDER BY school_id`);
  return rows.map((r) => ({
    school_id: String(r.school_id),
    name: String(r.name),
    zone_id: String(r.zone_id),
    district_id: String(r.district_id),
    students: num(r.students),
  }));
}
