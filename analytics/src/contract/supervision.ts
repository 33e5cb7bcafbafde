import type { Rfc3339 } from './events.ts';

// edu.supervision.v1: what the bureau decides, published by the platform, key = target id.

export const DIMENSIONS = ['material', 'budget', 'process', 'course', 'safety', 'feedback'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

// (v1.1) `closed` (销号) and `returned` (退回重改) decide on a notice: their `subject_id` is the
// notice's `notice_id`.
export const DECISIONS = ['notice', 'approved', 'rejected', 'halted', 'voided', 'closed', 'returned'] as const;
export type Decision = (typeof DECISIONS)[number];

export const TARGET_TYPES = ['school', 'provider', 'operator'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

export const ROLES = ['leader', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface SupervisionEvent {
  type: 'notice_issued' | 'decision';
  notice_id: string;
  ts: Rfc3339;
  issuer_id: string;
  issuer_role: Role;
  target_type: TargetType;
  target_id: string;
  dimension: Dimension;
  /** The alert, material, budget or offering concerned; for `closed` / `returned`, the notice. */
  subject_id: string;
  decision: Decision;
  content: string;
  deadline?: Rfc3339;
}
