import { randomUUID } from 'node:crypto';
import type {
  LoopRows,
  LoopStep,
  Notice,
  NoticeDetail,
  NoticeState,
  Store,
  SupervisionEvent,
  UnmatchedRectification,
} from '@edu/analytics';
import { deriveLoop, isOverdue, loadLoopRows, loadNotices, noticesAsOf, toShanghaiRfc3339 } from '@edu/analytics';
import type { User } from '../auth/user.ts';
import type { Clock } from '../clock.ts';
import type { Geography } from '../geo.ts';
import type { SharedState } from '../shared/state.ts';

// The notices the bureau issued and where their 督办 loop stands. A notice is the published
// event (supervision_log); its state is derived by analytics (supervision/loop.ts) from the
// schools' receipts and rectifications and the bureau's closed / returned decisions, all read
// back from the store: `refresh()` re-reads them when ingest signals new rectifications or an
// instance made a decision (NOTICES_CHANNEL), so every instance derives the same state.
// Each notice is kept with the schools it concerns (its target school; for a provider or
// operator, the school named or the subject's schools, see decisions/subjects.ts): staff see
// a notice only when every one of them lies in their districts. Notices loaded at start whose
// target is not a school get their schools from `resolveSchools` (set by the service).

export const NOTICES_CHANNEL = 'notices:changed';
const LOAD_DAYS = 180;
/** How long a claim to announce one change of a notice lasts (one announcement per change). */
const CLAIM_MS = 10 * 60_000;

/** `origin`: 'local' when this instance announces the change to leaders (once, cluster-wide). */
export type NoticeListener = (n: Notice, origin: 'local' | 'remote') => void;

interface Entry {
  /** The notice as issued, with its derived state. */
  notice: Notice;
  steps: Omit<LoopStep, 'by_name'>[];
  /** The schools the notice concerns; null while not known (then staff do not see it). */
  schools: string[] | null;
}

/** What a channel message says: a notice was issued (with its schools), or the loop moved. */
interface ChannelMessage {
  from: string;
  notice?: Notice;
  schools?: string[] | null;
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
  private rows: LoopRows = { events: new Map(), decisions: new Map() };
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;

  constructor(
    private readonly store: Store,
    private readonly shared: SharedState,
    private readonly clock: Clock,
    private readonly geo: () => Geography,
  ) {}

  async start(): Promise<void> {
    const since = this.clock.now() - LOAD_DAYS * 86_400_000;
    for (const s of await loadNotices(this.store, since)) {
      if (s.event.type !== 'notice_issued') continue;
      const schools = s.event.target_type === 'school' ? [s.event.target_id] : null;
      this.notices.set(s.event.notice_id, { notice: this.toNotice(s.event, schools), steps: [], schools });
    }
    this.rows = await loadLoopRows(this.store, since);
    for (const id of this.notices.keys()) this.derive(id);
    this.unsubscribe = await this.shared.subscribe(NOTICES_CHANNEL, (raw) => {
      const msg = JSON.parse(raw) as ChannelMessage;
      if (msg.from === this.instance) return;
      if (msg.notice && !this.notices.has(msg.notice.notice_id)) {
        this.notices.set(msg.notice.notice_id, { notice: msg.notice, steps: [], schools: msg.schools ?? null });
        this.derive(msg.notice.notice_id);
        for (const l of this.listeners) l(this.get(msg.notice.notice_id) ?? msg.notice, 'remote');
      }
      void this.refresh().catch(() => undefined);
    });
  }

  /**
   * Re-reads the loop's events and decisions and announces every notice whose state moved.
   * Calls while one runs are folded into one more run after it.
   */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.refreshAgain = false;
          this.rows = await loadLoopRows(this.store, this.clock.now() - LOAD_DAYS * 86_400_000);
          const moved: Notice[] = [];
          for (const [id, e] of this.notices) {
            const before = e.notice;
            const after = this.derive(id);
            if (after && changed(before, after)) moved.push(after);
          }
          for (const n of moved) await this.announceDerived(n);
        } while (this.refreshAgain);
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
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
      if (cur && cur.schools === null) {
        cur.schools = schools;
        this.derive(id);
      }
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

  /** A newly issued notice: issued, nothing received yet. */
  toNotice(e: SupervisionEvent, schools: readonly string[] | null = null): Notice {
    const geo = this.geo();
    const name = e.target_type === 'school' ? (geo.schools.get(e.target_id)?.name ?? '') : '';
    const school = e.target_type === 'school' ? e.target_id : schools?.[0];
    const deadlineMs = e.deadline ? Date.parse(e.deadline) : 0;
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
      state: 'issued',
      overdue: isOverdue('issued', deadlineMs, this.clock.now()),
      state_at: e.ts,
      school_name: school ? (geo.schools.get(school)?.name ?? '') : '',
      submissions: 0,
    };
  }

  /** The notice with its overdue flag as of now. */
  get(id: string): Notice | null {
    const e = this.notices.get(id);
    return e ? this.current(e.notice) : null;
  }

  all(): Notice[] {
    return [...this.notices.values()].map((e) => this.current(e.notice)).sort((a, b) => (a.ts < b.ts ? 1 : -1));
  }

  /**
   * (replay, contract v1.1 `at`) The notices as they stood at `t` (epoch ms): those issued by then,
   * each in its state then, derived by the loop's rules from the events and decisions known by then.
   */
  asOf(t: number): Notice[] {
    return noticesAsOf(this.all(), this.rows, t);
  }

  /** A notice and its timeline (names not filled in: the caller knows the users). */
  detail(id: string): (Omit<NoticeDetail, 'steps'> & { steps: Omit<LoopStep, 'by_name'>[] }) | null {
    const e = this.notices.get(id);
    return e ? { notice: this.current(e.notice), steps: e.steps } : null;
  }

  /** Rectification events whose notice this book does not hold: shown, never lost. */
  unmatched(): (Omit<UnmatchedRectification, 'steps'> & { steps: Omit<LoopStep, 'by_name'>[] })[] {
    const geo = this.geo();
    const out = [];
    for (const [id, events] of this.rows.events) {
      if (this.notices.has(id)) continue;
      const school = events.find((e) => e.school_id !== '')?.school_id ?? '';
      const steps = [...events]
        .sort((a, b) => a.ts_ms - b.ts_ms || (a.id < b.id ? -1 : 1))
        .map((e) => ({
          kind: (e.type === 'notice_received' ? 'received' : 'submitted') as NoticeState,
          at: toShanghaiRfc3339(e.ts_ms),
          event_id: e.id,
          by_id: e.receiver_id,
          content: e.content,
          ...(e.type === 'rectification_submitted'
            ? { submission_id: e.submission_id, attachments: e.attachments }
            : {}),
          notes: [] as LoopStep['notes'],
        }));
      out.push({ notice_id: id, school_id: school, school_name: geo.schools.get(school)?.name ?? '', steps });
    }
    return out.sort((a, b) => ((a.steps.at(-1)?.at ?? '') < (b.steps.at(-1)?.at ?? '') ? 1 : -1));
  }

  /**
   * An unclosed notice on the same target and dimension, among those `user` may see: another
   * district's notice to the same provider is neither shown nor in the way.
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
    this.notices.set(notice.notice_id, { notice, steps: [], schools });
    const derived = this.derive(notice.notice_id) ?? notice;
    await this.shared.publish(
      NOTICES_CHANNEL,
      JSON.stringify({ from: this.instance, notice, schools } satisfies ChannelMessage),
    );
    for (const l of this.listeners) l(derived, 'local');
  }

  /** A decision on a notice was stored here: derive again, and let the other instances know. */
  async decided(): Promise<void> {
    await this.refresh();
    await this.shared.publish(NOTICES_CHANNEL, JSON.stringify({ from: this.instance } satisfies ChannelMessage));
  }

  /**
   * Notices that passed their deadline unclosed since the last look are announced (the hub
   * escalates them to leaders), once across instances.
   */
  async markOverdue(): Promise<Notice[]> {
    const out: Notice[] = [];
    for (const e of this.notices.values()) {
      const now = this.current(e.notice);
      if (now.overdue === e.notice.overdue) continue;
      e.notice = now;
      out.push(now);
      await this.announceDerived(now);
    }
    return out;
  }

  /** Derives one notice from the rows read last; null when the book does not hold it. */
  private derive(id: string): Notice | null {
    const e = this.notices.get(id);
    if (!e) return null;
    const n = e.notice;
    const r = deriveLoop(
      {
        notice_id: id,
        ts_ms: Date.parse(n.ts),
        issuer_id: n.issuer_id,
        content: n.content,
        deadline_ms: n.deadline ? Date.parse(n.deadline) : 0,
      },
      this.rows.events.get(id) ?? [],
      this.rows.decisions.get(id) ?? [],
      this.clock.now(),
    );
    const school = n.target_type === 'school' ? n.target_id : e.schools?.[0];
    e.notice = {
      ...n,
      state: r.state,
      overdue: r.overdue,
      state_at: toShanghaiRfc3339(r.state_ms),
      submissions: r.submissions,
      school_name: school ? (this.geo().schools.get(school)?.name ?? n.school_name) : n.school_name,
    };
    e.steps = r.steps;
    return e.notice;
  }

  private current(n: Notice): Notice {
    const overdue = isOverdue(n.state, n.deadline ? Date.parse(n.deadline) : 0, this.clock.now());
    return overdue === n.overdue ? n : { ...n, overdue };
  }

  /** Tells the listeners; 'local' on the one instance that claims this change first. */
  private async announceDerived(n: Notice): Promise<void> {
    const claim = `notice:announce:${n.notice_id}:${n.state}:${n.state_at}:${n.submissions}:${n.overdue ? 1 : 0}`;
    const mine = await this.shared.setIfAbsent(claim, this.instance, CLAIM_MS).catch(() => true);
    for (const l of this.listeners) l(n, mine ? 'local' : 'remote');
  }
}

function changed(a: Notice, b: Notice): boolean {
  return a.state !== b.state || a.state_at !== b.state_at || a.submissions !== b.submissions || a.overdue !== b.overdue;
}
