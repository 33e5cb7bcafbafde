import { sql, type Sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import type { Dimension } from '../contract/supervision.ts';
import { upToFilter } from '../metrics/scope.ts';

// (contract v1.1) What the bureau's decisions do to the figures, from the decision's `ts` on —
// the one home of these rules; the metric and dimension queries compose them:
//   否定 voided   on a material, budget or offering (its dimension): the item counts nowhere
//                 (counts, amounts, completeness, rankings, the day's sessions and enrollments),
//                 and stays listed, marked 已否定. Final: no resubmission lifts it.
//   驳回 rejected on a material or budget: submitted, not valid, until a later version (same id,
//                 later ts) supersedes the rejection; on an offering: its approval state.
//   审批 approved its approval state.
//   喊停 halted   on an offering: its sessions planned after the first halt are not scheduled.
// Decisions count as of `upTo` (a figure "as it stood at" a moment sees those made by then).

/** The supervision_log rows that are decisions of `dimension` made by `upTo`. */
function decided(dimension: Dimension, upTo: number | null): Sql {
  return sql`type = 'decision' AND dimension = ${dimension} AND ${upToFilter(upTo)}`;
}

/** Ids of the subjects of `dimension` voided (否定) by `upTo`. */
export function voidedSubjects(dimension: Dimension, upTo: number | null = null): Sql {
  return sql`SELECT subject_id FROM supervision_log WHERE ${decided(dimension, upTo)} AND decision = 'voided'`;
}

/** Offerings halted (喊停) by `upTo`: offering_id and halted_ms, the first halt's time. */
export function haltedOfferings(upTo: number | null = null): Sql {
  return sql`
    SELECT subject_id AS offering_id, min(ts_ms) AS halted_ms
    FROM supervision_log WHERE ${decided('course', upTo)} AND decision = 'halted'
    GROUP BY subject_id`;
}

/**
 * `sessions` (a query with offering_id and planned_start_ms among its columns) without the
 * sessions of halted offerings planned after the halt; `columns` are the columns kept.
 */
export function withoutHaltedSessions(sessions: Sql, columns: Sql, upTo: number | null = null): Sql {
  // ANY LEFT JOIN: an offering never halted gets halted_ms = 0 (join_use_nulls is off on both
  // engines), so its sessions all stay.
  return sql`
    SELECT ${columns} FROM (${sessions}) AS hs ANY LEFT JOIN (${haltedOfferings(upTo)}) AS h USING offering_id
    WHERE halted_ms = 0 OR planned_start_ms <= halted_ms`;
}

/** 待审批 / 已通过 / 已驳回 / 已否定: how the 开课审批 and 经费预算 pages count their items. */
export type ReviewState = 'pending' | 'approved' | 'rejected' | 'voided';

export const REVIEW_STATES: readonly ReviewState[] = ['pending', 'approved', 'rejected', 'voided'];

export type StateCounts = Record<ReviewState, number>;

export const zeroStates = (): StateCounts => ({ pending: 0, approved: 0, rejected: 0, voided: 0 });

/** The decisions on one subject that decide its state. */
export interface ReviewFacts {
  voided: boolean;
  /** The latest 审批 or 驳回, or null when neither was decided. */
  review: 'approved' | 'rejected' | null;
  review_ms: number;
}

/** Per subject of `dimension` with a 否定, 审批 or 驳回 by `upTo` (every subject; the log is small). */
export async function reviewFacts(
  store: Store,
  dimension: Dimension,
  upTo: number | null = null,
): Promise<Map<string, ReviewFacts>> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT subject_id, max(decision = 'voided') AS is_voided,
           argMaxIf(decision, ts_ms, decision IN ('approved', 'rejected')) AS latest_review,
           maxIf(ts_ms, decision IN ('approved', 'rejected')) AS review_ms
    FROM supervision_log
    WHERE ${decided(dimension, upTo)} AND decision IN ('voided', 'approved', 'rejected')
    GROUP BY subject_id`);
  return new Map(
    rows.map((r) => {
      const review = String(r.latest_review);
      return [
        String(r.subject_id),
        {
          voided: num(r.is_voided) === 1,
          review: review === 'approved' || review === 'rejected' ? review : null,
          review_ms: num(r.review_ms),
        },
      ];
    }),
  );
}

/**
 * A subject's state. `submittedMs` is its latest version's time for materials and budgets,
 * whose later version supersedes a rejection (back to 待审批); omitted for offerings.
 */
export function reviewState(f: ReviewFacts | undefined, submittedMs?: number): ReviewState {
  if (!f) return 'pending';
  if (f.voided) return 'voided';
  if (f.review === 'rejected' && submittedMs !== undefined && submittedMs > f.review_ms) return 'pending';
  return f.review ?? 'pending';
}

/** Whether an item in `state` is valid: counts towards amounts, 齐全 and checks (not 驳回 or 否定). */
export const isValid = (state: ReviewState): boolean => state === 'pending' || state === 'approved';
