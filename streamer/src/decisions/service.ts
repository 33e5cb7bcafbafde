import {
  insertSupervision,
  type Decision,
  type Dimension,
  type Store,
  type SupervisionEvent,
  type TargetType,
} from '@edu/analytics';
import { LEADER_ONLY } from '@edu/analytics/may-decide';
import type { User } from '../auth/user.ts';
import type { Clock } from '../clock.ts';
import { forbidden } from '../errors.ts';
import { supervisionEvent } from '../publish/event.ts';
import type { SupervisionPublisher } from '../publish/publisher.ts';

// The bureau's decisions on the dimension pages (manual ch. 4): 通过 / 驳回 (approve, reject)
// by leaders and by staff within their dimensions and districts, 喊停 (halt a process) and
// 否定 (void data) by leaders only. Published to edu.supervision.v1 first, then appended to
// supervision_log: a decision the schools never received is not recorded as made.

export interface DecisionRequest {
  target_type: TargetType;
  target_id: string;
  dimension: Dimension;
  subject_id: string;
  decision: Exclude<Decision, 'notice'>;
  content: string;
}

export class DecisionService {
  constructor(
    private readonly store: Store,
    private readonly publisher: SupervisionPublisher,
    private readonly clock: Clock,
    /** Called once a decision is recorded: the service feeds it to its live path (affects.ts). */
    private readonly onRecorded: (event: SupervisionEvent) => void = () => {},
  ) {}

  async decide(user: User, req: DecisionRequest): Promise<SupervisionEvent> {
    if (LEADER_ONLY.has(req.decision) && user.role !== 'leader')
      throw forbidden(`only a bureau leader may decide "${req.decision}"`, 'leader_only', { decision: req.decision });
    const now = this.clock.now();
    const event = supervisionEvent(user, req.decision, req, now);
    await this.publisher.publish(event);
    await insertSupervision(this.store, event);
    this.onRecorded(event);
    return event;
  }
}
