import { randomUUID } from 'node:crypto';
import { shanghaiDay, type MetricsReader, type Store } from '@edu/analytics';
import type { Clock } from '../clock.ts';
import type { SharedState } from '../shared/state.ts';
import type { AlertBook } from './book.ts';
import { loadAlertFacts } from './facts.ts';
import { evaluateRules, type RuleConfig } from './rules.ts';

// Runs the rules on change signals and on a timer (time-driven rules fire without new events).
// With several instances only one evaluates at a time: a lease in SharedState (SET NX with a
// TTL, renewed by its holder); the others follow the book through pub/sub.

export interface EvaluatorConfig extends RuleConfig {
  evaluateEveryMs: number;
  feedbackWindowDays: number;
}

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
  ) {}

  private async holdLease(): Promise<boolean> {
    const ttl = this.cfg.evaluateEveryMs * 3;
    if (await this.shared.setIfAbsent('alerts:lease', this.instance, ttl)) return true;
    if ((await this.shared.get('alerts:lease')) !== this.instance) return false;
    await this.shared.set('alerts:lease', this.instance, ttl);
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
    const now = this.clock.now();
    const day = shanghaiDay(now);
    const facts = await loadAlertFacts(this.store, day, await this.reader.termFacts(day), this.cfg);
    await this.book.reconcile(day, evaluateRules(facts, this.cfg, now));
  }

  async release(): Promise<void> {
    if ((await this.shared.get('alerts:lease')) === this.instance) await this.shared.del('alerts:lease');
  }
}
