import { createHash } from 'node:crypto';
import { type Notice, type NoticeRequest, type Store } from '@edu/analytics';
import { insertSupervision } from '@edu/analytics';
import type { AlertBook } from '../alerts/book.ts';
import type { Clock } from '../clock.ts';
import { conflict, HttpError } from '../errors.ts';
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
// The key remembers a digest of the request: the same key with another body is refused (422),
// never answered with the first notice.

interface KeyState {
  /** Digest of the request the key was first used with. */
  h: string;
  /** The notice it created; absent while the first request is in flight. */
  id?: string;
}

/** A digest of everything a notice request says, field order aside. */
export function requestDigest(req: NoticeRequest & { force?: boolean; school_id?: string }): string {
  const canonical = JSON.stringify([
    req.target_type,
    req.target_id,
    req.dimension,
    req.subject_id,
    req.content,
    req.deadline ?? null,
    req.force ?? false,
    req.school_id ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

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

  /** `schools`: the schools the notice concerns, as placed by decisions/subjects.ts. */
  async issue(
    user: User,
    req: NoticeRequest & { force?: boolean; school_id?: string },
    idempotencyKey: string | null,
    schools: string[],
  ): Promise<IssueResult> {
    const idemKey = idempotencyKey ? `idem:notice:${user.user_id}:${idempotencyKey}` : null;
    const digest = requestDigest(req);
    if (
      idemKey &&
      !(await this.shared.setIfAbsent(idemKey, JSON.stringify({ h: digest } satisfies KeyState), this.idempotencyTtlMs))
    ) {
      return { notice: await this.awaitReplay(idemKey, digest), replayed: true };
    }
    try {
      const existing = this.book.openFor(req.target_id, req.dimension, user);
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
      if (idemKey)
        await this.shared.set(
          idemKey,
          JSON.stringify({ h: digest, id: event.notice_id } satisfies KeyState),
          this.idempotencyTtlMs,
        );
      await insertSupervision(this.store, event);
      const notice = this.book.toNotice(event, schools);
      await this.book.added(notice, schools);
      // Only an alert of the notice's dimension is its subject (decisions/subjects.ts checked it).
      if (this.alerts.get(req.subject_id)?.dimension === req.dimension)
        await this.alerts.noticeIssued(req.subject_id, event.notice_id);
      return { notice, replayed: false };
    } catch (err) {
      if (idemKey) {
        const v = await this.shared.get(idemKey);
        if (v !== null && parseKey(v)?.id === undefined) await this.shared.del(idemKey);
      }
      throw err;
    }
  }

  /** The notice a key already created; waits briefly while the first request is in flight. */
  private async awaitReplay(idemKey: string, digest: string): Promise<Notice> {
    for (let i = 0; i < 50; i++) {
      const v = await this.shared.get(idemKey);
      if (v === null) break;
      const state = parseKey(v);
      if (state && state.h !== digest)
        throw new HttpError(
          422,
          'idempotency_key_reused',
          'this Idempotency-Key was used with a different request; use a new key for a new notice',
        );
      if (state?.id) {
        const n = this.book.get(state.id);
        if (n) return n;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw conflict(
      'a request with this Idempotency-Key is still in progress or failed; retry',
      'idempotency_in_progress',
    );
  }
}

function parseKey(raw: string): KeyState | null {
  try {
    const v = JSON.parse(raw) as KeyState;
    return typeof v === 'object' && v !== null && typeof v.h === 'string' ? v : null;
  } catch {
    return null;
  }
}
