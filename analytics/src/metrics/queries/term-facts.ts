import { sql, type Sql } from '../../clickhouse/sql.ts';
import { num, type Store } from '../../clickhouse/store.ts';
import { upToFilter } from '../scope.ts';
import { ENROLLMENT_VERSION } from './day-sessions.ts';
import { voidedSubjects } from '../../dimensions/decision-effects.ts';

// Enrollment facts of a term, for the whole city: each offering's net enrollment (the
// students_expected of its sessions) and each school's enrolled students and fees. They change
// only with enrollment and offering events, so readers compute them once per term and keep
// them until such an event lands (see reader.ts); scopes filter the city-wide rows.

export interface TermFacts {
  term: string;
  /** The moment they stand at (only events with ts ≤ it), or null: every event stored. */
  upTo: number | null;
  /** Net enrolled students per offering (any term: a session's offering may be from another). */
  netByOffering: Map<string, number>;
  /** Per school: distinct students with a net enrollment in the term, and their fees. */
  bySchool: Map<string, { students_enrolled: number; fees_enrolled: number }>;
}

/**
 * The latest state of every (student, offering) pair (as of `upTo`); a withdrawal wins a tie.
 * `where` narrows the enrollments read (e.g. to the offerings of a day's sessions).
 */
export function netEnrollments(upTo: number | null = null, where: Sql = sql`1`): Sql {
  return latestEnrollments(sql`enrollments`, upTo, where);
}

/**
 * netEnrollments of the offerings `offerings` (a subquery of ids) only, read from
 * enrollments_by_offering (migration 020): keyed by offering, it reads their granules, where
 * `enrollments` (keyed by school first) is read whole.
 */
export function netEnrollmentsOf(offerings: Sql, upTo: number | null = null): Sql {
  return latestEnrollments(sql`enrollments_by_offering`, upTo, sql`offering_id IN (${offerings})`);
}

function latestEnrollments(table: Sql, upTo: number | null, where: Sql): Sql {
  return sql`
  SELECT offering_id, student_id,
         argMax(type, ${ENROLLMENT_VERSION}) AS state,
         argMax(fee, ${ENROLLMENT_VERSION}) AS latest_fee,
         argMax(school_id, ${ENROLLMENT_VERSION}) AS latest_school
  FROM ${table}
  WHERE ${upToFilter(upTo)} AND ${where}
  GROUP BY offering_id, student_id`;
}

/** The term's facts from every enrollment stored, or, with `upTo`, as they stood then. */
export async function termFacts(store: Store, term: string, upTo: number | null = null): Promise<TermFacts> {
  // A voided (否定) offering's enrollments count nowhere (contract v1.1, decision-effects.ts).
  const NET_ENROLLMENTS = netEnrollments(upTo, sql`offering_id NOT IN (${voidedSubjects('course', upTo)})`);
  const [offerings, schools] = await Promise.all([
    store.query<{ offering_id: string; n: string | number }>(sql`
      SELECT offering_id, count() AS n FROM (${NET_ENROLLMENTS}) WHERE state = 'enrolled' GROUP BY offering_id`),
    store.query<{ school_id: string; students_enrolled: string | number; fees_enrolled: string | number }>(sql`
      SELECT latest_school AS school_id,
             uniqExact(student_id) AS students_enrolled,
             sum(latest_fee) AS fees_enrolled
      FROM (${NET_ENROLLMENTS})
      WHERE state = 'enrolled' AND offering_id IN (
        SELECT offering_id FROM offerings WHERE ${upToFilter(upTo)}
        GROUP BY offering_id HAVING argMax(term, ts_ms) = ${term}
      )
      GROUP BY latest_school`),
  ]);
  return {
    term,
    upTo,
    netByOffering: new Map(offerings.map((r) => [r.offering_id, num(r.n)])),
    bySchool: new Map(
      schools.map((r) => [
        r.school_id,
        { students_enrolled: num(r.students_enrolled), fees_enrolled: num(r.fees_enrolled) },
      ]),
    ),
  };
}
