import { randomUUID } from 'node:crypto';
import type { Notice, NoticeState, Store, SupervisionEvent } from '@edu/analytics';
import { insertNoticeState, loadNotices } from '@edu/analytics';
import type { User } from '../auth/user.ts';
import type { Clock } from '../clock.ts';
import type { Geography } from '../geo.ts';
import type { SharedState } from '../shared/state.ts';

// The notices the bureau issued and their states. The issued notice itself is the published
// event (supervision_log); later states (overdue, closed) are versions in notice_state_log.
// Instances follow each other through NOTICES_CHANNEL.
// Each notice is kept with the schools it concerns (its target school; for a provider or
// operator, the school named or the subject's schools, see decisions/subjects.ts): staff see
// a notice only when every one of them lies in their districts. Notices loaded at start whose
// target is not a school get their schools from `resolveSchools` (set by the service).

export const NOTICES_CHANNEL = 'notices:changed';
const LOAD_DAYS = 180;

export type NoticeListener = (n: Notice, origin: 'local' | 'remote') => void;

interface Entry {
  notice: Notice;
  version: number;
  /** The schools the notice concerns; null while not known (then staff do not see it). */
  schools: string[] | null;
}

/** Whether a user may see a notice concerning these schools. */
export function noticeVisibleTo(user: User, n: Notice, schools: readonly string[] | null, geo: Geography): boolean {
  if (user.disabled) return false;
  if (user.role !== 'staff') return true;
  if (!user.dimensions.includes(n.dimension) || !schools || schools.length === 0) return false;
  return schools.every((s) => {
    const d = geo.schools.get(s)?.district_id;
    return d !== undefined && user.districts.includes(d);
  });
}

export class NoticeBook {
  private readonly notices = new Map<string, Entry>();
  private readonly listeners = new Set<NoticeListener>();
  private readonly instance = randomUUID();
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(
    private readonly store: Store,
    private readonly shared: SharedState,
    private readonly clock: Clock,
    private readonly geo: () => Geography,
  ) {}

  async start(): Promise<void> {
    for (const s of await loadNotices(this.store, this.clock.now() - LOAD_DAYS * 86_400_000)) {
      this.notices.set(s.event.notice_id, {
        notice: this.toNotice(s.event, s.state ?? 'open'),
        version: s.state_version,
        schools: s.event.target_type === 'school' ? [s.event.target_id] : null,
      });
    }
    this.unsubscribe = await this.shared.subscribe(NOTICES_CHANNEL, (raw) => {
      const msg = JSON.parse(raw) as { from: string; notice: Notice; version: number; schools?: string[] | null };
      if (msg.from === this.instance) return;
      const cur = this.notices.get(msg.notice.notice_id);
      if (cur && cur.version >= msg.version && cur.notice.state === msg.notice.state) return;
      this.notices.set(msg.notice.notice_id, {
        notice: msg.notice,
        version: msg.version,
        schools: msg.schools ?? cur?.schools ?? null,
      });
      for (const l of this.listeners) l(msg.notice, 'remote');
    });
  }

  /**
   * Finds the schools of loaded notices whose target is a provider or an operator (their
   * subject's schools). Failures leave them unknown, i.e. seen by leaders only.
   */
  async resolveSchools(resolve: (n: Notice) => Promise<string[] | null>): Promise<void> {
    for (const [id, e] of this.notices) {
      if (e.schools !== null) continue;
      const schools = await resolve(e.notice).catch(() => null);
      const cur = this.notices.get(id);
      if (cur && cur.schools === null) cur.schools = schools;
    }
  }

  /** The schools a notice concerns, or null when unknown. */
  schoolsOf(id: string): string[] | null {
    return this.notices.get(id)?.schools ?? null;
  }

  /** Whether the user may see this notice (its schools all in their districts, for staff). */
  visibleTo(user: User, n: Notice): boolean {
    return noticeVisibleTo(user, n, this.schoolsOf(n.notice_id), this.geo());
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
  }

  onChange(l: NoticeListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  toNotice(e: SupervisionEvent, state: NoticeState): Notice {
    const name = e.target_type === 'school' ? (this.geo().schools.get(e.target_id)?.name ?? '') : '';
    return {
      notice_id: e.notice_id,
      ts: e.ts,
      issuer_id: e.issuer_id,
      issuer_role: e.issuer_role,
      target_type: e.target_type,
      target_id: e.target_id,
      target_name: name,
      dimension: e.dimension,
      subject_id: e.subject_id,
      decision: e.decision,
      content: e.content,
      deadline: e.deadline ?? null,
      state,
    };
  }

  get(id: string): Notice | null {
    return this.notices.get(id)?.notice ?? null;
  }

  all(): Notice[] {
    return [...this.notices.values()].map((e) => e.notice).sort((a, b) => (a.ts < b.ts ? 1 : -1));
  }

  /**
   * An open (or overdue) notice on the same target and dimension, among those `user` may see:
   * another district's notice to the same provider is neither shown nor in the way.
   */
  openFor(targetId: string, dimension: string, user: User): Notice | null {
    return (
      this.all().find(
        (n) => n.target_id === targetId && n.dimension === dimension && n.state !== 'closed' && this.visibleTo(user, n),
      ) ?? null
    );
  }

  /** Records a notice already stored in supervision_log, with the schools it concerns. */
  async added(notice: Notice, schools: string[]): Promise<void> {
    await this.announce(notice, 0, schools);
  }

  async setState(id: string, state: NoticeState, by: string): Promise<Notice | null> {
    const cur = this.notices.get(id);
    if (!cur) return null;
    const version = Math.max(cur.version + 1, this.clock.now());
    await insertNoticeState(this.store, { notice_id: id, version, ts_ms: this.clock.now(), state, by_id: by });
    const next = { ...cur.notice, state };
    await this.announce(next, version, cur.schools);
    return next;
  }

  private async announce(notice: Notice, version: number, schools: string[] | null): Promise<void> {
    this.notices.set(notice.notice_id, { notice, version, schools });
    await this.shared.publish(NOTICES_CHANNEL, JSON.stringify({ from: this.instance, notice, version, schools }));
    for (const l of this.listeners) l(notice, 'local');
  }

  /** Open notices past their deadline become overdue (escalated to leaders by the hub). */
  async markOverdue(): Promise<Notice[]> {
    const now = this.clock.now();
    const out: Notice[] = [];
    for (const n of this.all()) {
      if (n.state === 'open' && n.deadline !== null && Date.parse(n.deadline) < now) {
        const next = await this.setState(n.notice_id, 'overdue', 'system');
        if (next) out.push(next);
      }
    }
    return out;
  }
}
