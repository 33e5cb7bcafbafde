import { type Notice, type NoticeRequest, type Store } from '@edu/analytics';
import { insertSupervision } from '@edu/analytics';
import type { AlertBook } from '../alerts/book.ts';
import type { Clock } from '../clock.ts';
import { conflict } from '../errors.ts';
import { supervisionEvent } from '../publish/event.ts';
import type { SupervisionPublisher } from '../publish/publisher.ts';
import type { SharedState } from '../shared/state.ts';
import type { User } from '../auth/user.ts';
import type { NoticeBook } from './book.ts';

// 一键监管: issuing a notice. An Idempotency-Key makes a retried click one notice (SET NX in
// SharedState, across instances); an open notice on the same target and dimension is handed
// back (409) instead of a silent duplicate, unless the officer insists (`force`).
// Order: publish (acks = all) → remember the key → append to supervision_log. A notice that
// could not be published is not recorded, and its key is released so the click can be retried.

export interface IssueResult {
  notice: Notice;
  replayed: boolean;
}

export class NoticeService {
  constructor(
    private readonly store: Store,
    private readonly shared: SharedState,
    private readonly publisher: SupervisionPublisher,
    private readonly book: NoticeBook,
    private readonly alerts: AlertBook,
    private readonly clock: Clock,
    private readonly idempotencyTtlMs: number,
  ) {}

  async issue(
    user: User,
    req: NoticeRequest & { force?: boolean },
    idempotencyKey: string | null,
  ): Promise<IssueResult> {
    const idemKey = idempotencyKey ? `idem:notice:${user.user_id}:${idempotencyKey}` : null;
    if (idemKey && !(await this.shared.setIfAbsent(idemKey, 'pending', this.idempotencyTtlMs))) {
      return { notice: await this.awaitReplay(idemKey), replayed: true };
    }
    try {
      const existing = this.book.openFor(req.target_id, req.dimension);
      if (existing && !req.force) {
        throw conflict(
          `an open notice ${existing.notice_id} already exists for ${req.target_id} (${req.dimension})`,
          'notice_exists',
          { notice: existing },
        );
      }
      const now = this.clock.now();
      const event = supervisionEvent(user, 'notice', req, now);
      await this.publisher.publish(event);
      if (idemKey) await this.shared.set(idemKey, event.notice_id, this.idempotencyTtlMs);
      await insertSupervision(this.store, event);
      const notice = this.book.toNotice(event, 'open');
      await this.book.added(notice);
      if (this.alerts.get(req.subject_id)) await this.alerts.noticeIssued(req.subject_id, event.notice_id);
      return { notice, replayed: false };
    } catch (err) {
      if (idemKey && (await this.shared.get(idemKey)) === 'pending') await this.shared.del(idemKey);
      throw err;
    }
  }

  /** The notice a key already created; waits briefly while the first request is in flight. */
  private async awaitReplay(idemKey: string): Promise<Notice> {
    for (let i = 0; i < 50; i++) {
      const v = await this.shared.get(idemKey);
      if (v && v !== 'pending') {
        const n = this.book.get(v);
        if (n) return n;
      }
      if (v === null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw conflict(
      'a request with this Idempotency-Key is still in progress or failed; retry',
      'idempotency_in_progress',
    );
  }
}
