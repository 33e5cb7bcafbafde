import type { Decision, Dimension, Role } from '../contract/supervision.ts';
import type { ErrorCode } from '../live/errors.ts';

// Who may make which decision (manual ch. 2 and 4), the one home of the rule: the streamer's
// POST /api/v1/decisions refuses by it (403 with the code below) and the console shows a
// decision's button only to a user it allows. Browser-safe: type imports only (the screen
// loads it as @edu/analytics/may-decide).
//   administrators   decide nothing (they manage users)
//   喊停 / 否定       leaders only
//   staff            通过 / 驳回 within their dimensions, on subjects whose schools all lie in
//                    their districts (a provider's admission touches every school of the city)

/** 喊停 and 否定: a bureau leader's decisions. */
export const LEADER_ONLY: ReadonlySet<Decision> = new Set(['halted', 'voided']);

/** What the rule reads of a user (the streamer's User and the console's PublicUser both fit). */
export interface DecidingUser {
  role: Role;
  dimensions: readonly string[];
  districts: readonly string[];
}

export interface DecisionRefusal {
  code: Extract<ErrorCode, 'admin_not_decider' | 'leader_only' | 'dimension_not_yours' | 'outside_scope'>;
  message: string;
}

/**
 * Null when `user` may make `decision` in `dimension` on a subject whose schools lie in
 * `districts`, otherwise why not. The streamer checks the districts school by school as it
 * resolves the subject (decisions/subjects.ts, the same rule: a staff member's districts) and
 * passes none here.
 */
export function decisionRefusal(
  user: DecidingUser,
  decision: Exclude<Decision, 'notice'>,
  dimension: Dimension,
  districts: readonly string[] = [],
): DecisionRefusal | null {
  if (user.role === 'admin')
    return { code: 'admin_not_decider', message: 'administrators manage users; they do not decide' };
  if (LEADER_ONLY.has(decision) && user.role !== 'leader')
    return { code: 'leader_only', message: `only a bureau leader may decide "${decision}"` };
  if (user.role === 'leader') return null;
  if (!user.dimensions.includes(dimension))
    return { code: 'dimension_not_yours', message: `dimension ${dimension} is not yours` };
  const outside = districts.find((d) => !user.districts.includes(d));
  if (outside !== undefined)
    return { code: 'outside_scope', message: `district ${outside} lies outside your districts` };
  return null;
}
