import { sql, type Sql } from '../../clickhouse/sql.ts';
import { voidedSubjects } from '../../dimensions/decision-effects.ts';
import { upToFilter } from '../scope.ts';

/**
 * The settlements that count, as of `upTo`: the latest version of each settlement_id (a re-sent
 * or corrected settlement replaces the earlier one instead of adding to it) among the rows that
 * match `where`, without those of an offering voided (否定) by `upTo` (contract v1.1: a voided
 * offering counts nowhere, its settled amounts included). The one home of "settled" that every
 * settlement figure reads: settled_amount, settled-vs-budget, the 结算 charts and 便捷结算.
 * Columns: settlement_id, latest_school, latest_offering, latest_amount, latest_period.
 */
export function countedSettlements(where: Sql, upTo: number | null = null): Sql {
  return sql`
    SELECT settlement_id, latest_school, latest_offering, latest_amount, latest_period FROM (
      SELECT settlement_id,
             argMax(school_id, ts_ms) AS latest_school,
             argMax(offering_id, ts_ms) AS latest_offering,
             argMax(amount, ts_ms) AS latest_amount,
             argMax(period, ts_ms) AS latest_period
      FROM settlements
      WHERE ${where} AND ${upToFilter(upTo)}
      GROUP BY settlement_id
    )
    WHERE latest_offering NOT IN (${voidedSubjects('course', upTo)})`;
}
