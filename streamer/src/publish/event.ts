import { randomBytes } from 'node:crypto';
import {
  toShanghaiRfc3339,
  type Decision,
  type Dimension,
  type SupervisionEvent,
  type TargetType,
} from '@edu/analytics';
import type { User } from '../auth/user.ts';

export interface SupervisionFields {
  target_type: TargetType;
  target_id: string;
  dimension: Dimension;
  subject_id: string;
  content: string;
  deadline?: string;
}

/** A new edu.supervision.v1 event issued by `user` now: a notice (一键监管) or a decision. */
export function supervisionEvent(user: User, decision: Decision, f: SupervisionFields, now: number): SupervisionEvent {
  return {
    type: decision === 'notice' ? 'notice_issued' : 'decision',
    notice_id: `${decision === 'notice' ? 'n' : 'd'}-${now.toString(36)}-${randomBytes(4).toString('hex')}`,
    ts: toShanghaiRfc3339(now),
    issuer_id: user.user_id,
    issuer_role: user.role,
    target_type: f.target_type,
    target_id: f.target_id,
    dimension: f.dimension,
    subject_id: f.subject_id,
    decision,
    content: f.content,
    ...(f.deadline ? { deadline: toShanghaiRfc3339(Date.parse(f.deadline)) } : {}),
  };
}
