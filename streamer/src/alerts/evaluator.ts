import { randomUUID } from 'node:crypto';
import { alertsJudgedAt } from '@edu/analytics/late';
import {
  advancePending,
  describeConditions,
  dueForEscalation,
  evaluateConditions,
  loadAlertFacts,
  shanghaiDay,
  type AlertSettings,
  type MetricsReader,
  type OrphanReport,
  type PendingState,
  type Scope,
  type Store,
} from '@edu/analytics';
import type { Clock } from '../clock.ts';
import { getJson, type SharedState } from '../shared/state.ts';
import type { AlertBook } from './book.ts';

// Runs the rules on change signals and on a timer (time-driven rules fire without new events).
// The rules are analytics' (@edu/analytics, analytics/src/alerts): facts read on the contract's
// figures, pure conditions, pending periods, texts. This module only composes them: it keeps
// the pending state in SharedState (so it survives restarts and is the same for every
// instance), hands the conditions whose pending period is over to the book, and escalates
// 学生未签退 alerts still open after their minutes to the bureau's wall. With several
// instances only one evaluates at a time: a lease in SharedState (SET NX with a TTL, renewed by
// its holder); the others follow the book through pub/sub.

export interface EvaluatorConfig extends AlertSettings {
  evaluateEveryMs: number;
}

const CITY: Scope = { kind: 'city' };
const LEASE_KEY = 'alerts:lease';
/** Alert id → since when its condition has held (service clock, ms). */
export const PENDING_KEY = 'alerts:pending';
const PENDING_TTL_MS = 2 * 86_400_000;

export class AlertEvaluator {
  private readonly instance = randomUUID();
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly store: Store,
    private readonly reader: MetricsReader,
    private readonly shared: SharedState,
    private readonly book: AlertBook,
    private readonly clock: Clock,
    private readonly cfg: EvaluatorConfig,
    /**
     * The latest orphan report (quality/orphans.ts, read on its own timer; the first read is
     * waited for, so a restart does not resolve an open orphans_growing alert). Absent: no orphan rule.
     */
    private readonly orphans?: () => Promise<OrphanReport | null>,
  ) {}

  private async holdLease(): Promise<boolean> {
    const ttl = this.cfg.evaluateEveryMs * 3;
    if (await this.shared.setIfAbsent(LEASE_KEY, this.instance, ttl)) return true;
    if ((await this.shared.get(LEASE_KEY)) !== this.instance) return false;
    await this.shared.set(LEASE_KEY, this.instance, ttl);
    return true;
  }

  /** Evaluates today (Asia/Shanghai); coalesces calls that arrive while one runs. */
  evaluate(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.evaluateOnce();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async evaluateOnce(): Promise<void> {
    if (!(await this.holdLease())) return;
    const clockNow = this.clock.now();
    const day = shanghaiDay(clockNow);
    // While the data is late the rules are judged where it has reached (late.ts); pending
    // periods and escalation still run on the clock.
    const live = await this.reader.live(CITY, day, clockNow);
    const judgedAt = alertsJudgedAt(live.overview, clockNow);
    // The city's figures as the walls have them, from the same cache (exact at any moment, one
    // behind the clock too): the city's day is not read a second time per evaluation.
    const [city, { figures }] = await Promise.all([
      judgedAt === clockNow ? live : this.reader.live(CITY, day, judgedAt),
      this.reader.figures.read(CITY, day, judgedAt),
    ]);
    const facts = await loadAlertFacts(this.store, day, judgedAt, {
      checkoutGraceMinutes: this.cfg.checkoutGraceMinutes,
      termFacts: await this.reader.termFacts(day),
      orphans: (await this.orphans?.())?.rows,
      sessions: figures,
      schools: city.schools,
    });
    const conditions = evaluateConditions(facts, this.cfg);
    const active = new Set(
      this.book
        .all()
        .filter((a) => a.state !== 'resolved')
        .map((a) => a.id),
    );
    const previous = (await getJson<PendingState>(this.shared, PENDING_KEY)) ?? {};
    const { state, firing } = advancePending(previous, conditions, clockNow, this.cfg.pendingMinutes, active);
    await this.shared.set(PENDING_KEY, JSON.stringify(state), PENDING_TTL_MS);
    await this.book.reconcile(day, await describeConditions(this.store, firing, this.cfg));
    const due = dueForEscalation(this.book.all(), clockNow, this.cfg.escalateCheckoutMinutes);
    if (due.length > 0) await this.book.escalate(due.map((a) => a.id));
  }

  /** Resolves when no evaluation is running (its outcome is reported where it was started). */
  async idle(): Promise<void> {
    await this.running?.catch(() => {});
  }

  async release(): Promise<void> {
    if ((await this.shared.get(LEASE_KEY)) === this.instance) await this.shared.del(LEASE_KEY);
  }
}
