import { allowedNoticeDecisions, type Notice, type SupervisionEvent } from '@edu/analytics';
import type { User } from '../auth/user.ts';
import type { DecisionService } from '../decisions/service.ts';
import { conflict } from '../errors.ts';
import type { SharedState } from '../shared/state.ts';
import type { NoticeBook } from './book.ts';

// 销号 (closed) and 退回重改 (returned): the bureau's decisions on a notice whose school has
// submitted its rectification. Published on edu.supervision.v1 as the contract says — a
// `decision` on the notice's target and dimension whose subject_id is the notice — then stored
// (DecisionService: nothing is recorded that the schools did not receive), then the loop is
// derived again. One decision at a time per notice, across instances (a short lock): two
// officers clicking at once make one decision, the other gets 409.

const LOCK_MS = 15_000;

export class NoticeLoopService {
  constructor(
    private readonly book: NoticeBook,
    private readonly decisions: DecisionService,
    private readonly shared: SharedState,
  ) {}

  /** The caller checked that `user` may decide on `notice` (routes/notices.ts). */
  async decide(
    user: User,
    notice: Notice,
    decision: 'closed' | 'returned',
    content: string,
  ): Promise<{ event: SupervisionEvent; notice: Notice }> {
    const lock = `notice:deciding:${notice.notice_id}`;
    if (!(await this.shared.setIfAbsent(lock, user.user_id, LOCK_MS)))
      throw conflict('another decision on this notice is being made; reload and retry', 'notice_state');
    try {
      // The state as stored now, not as the page last showed it.
      await this.book.refresh();
      const cur = this.book.get(notice.notice_id) ?? notice;
      if (!allowedNoticeDecisions(cur.state).includes(decision))
        throw conflict(
          `the notice is ${cur.state}: only a submitted rectification can be ${decision}`,
          'notice_state',
          {
            notice: cur,
          },
        );
      const event = await this.decisions.decide(user, {
        target_type: cur.target_type,
        target_id: cur.target_id,
        dimension: cur.dimension,
        subject_id: cur.notice_id,
        decision,
        content,
      });
      await this.book.decided();
      return { event, notice: this.book.get(cur.notice_id) ?? cur };
    } finally {
      await this.shared.del(lock);
    }
  }
}
