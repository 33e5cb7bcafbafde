import type { AlertRule } from '@edu/analytics';
import type { Anomaly } from '@edu/ingest/simulator';

// Scores the alerts a played day raised against the anomalies the simulator injected into it
// (its ledger). An alert is true when it names an injected anomaly of its rule; an anomaly is
// caught when an alert of its rule names it; the delay is from the anomaly's own time to the
// first opening of the first alert that names it, on the simulated clock.

export const RULES: readonly AlertRule[] = [
  'teacher_not_checked_in',
  'class_not_started',
  'student_not_checked_out',
  'low_attendance',
  'low_completion',
  'low_feedback',
  'over_budget',
];

/** An alert as the benchmark saw it: its first opening, whatever it became later. */
export interface SeenAlert {
  id: string;
  rule: AlertRule;
  school_id: string;
  subject_id: string;
  /** Epoch ms (simulated) of its first opening. */
  opened: number;
  /**
   * When it reached the bureau's wall: its opening, or for a rule that goes to the school
   * first (学生未签退) its escalation; absent when it never did.
   */
  onWall?: number;
}

export interface ScoreOptions {
  /**
   * Per rule, in ms: an anomaly that ends by itself sooner than this after its time (a teacher
   * 8 minutes late) is transient. It need not alert, so it counts for neither recall nor the
   * delay; an alert on it is still true, not a false positive.
   */
  transientMs?: Partial<Record<AlertRule, number>>;
}

export interface RuleScore {
  rule: AlertRule;
  /** Injected anomalies the rule must catch (transient ones excluded). */
  injected: number;
  /** Caught of those. */
  caught: number;
  /** Transient anomalies, and how many of them alerted anyway. */
  transient: number;
  transientAlerted: number;
  /** Distinct alerts the rule opened. */
  alerted: number;
  /** Alerts naming an injected anomaly (transient ones included). */
  truePositives: number;
  /** truePositives / alerted; null without alerts. */
  precision: number | null;
  /** caught / injected; null when nothing was injected. */
  recall: number | null;
  /** Median of the caught anomalies' delays (ms); null when none was caught. */
  medianDelayMs: number | null;
  maxDelayMs: number | null;
  /** Median delay from the anomaly to the wall (differs from the above for escalating rules), and how many got there. */
  medianWallDelayMs: number | null;
  onWall: number;
  /** The anomalies not caught, and the alerts that name no anomaly, for reading. */
  missed: Anomaly[];
  falsePositives: SeenAlert[];
}

/** Whether an alert names an anomaly: the same rule, and its subject is the anomaly's subject or one of its refs. */
export function matches(alert: Pick<SeenAlert, 'rule' | 'subject_id'>, anomaly: Anomaly): boolean {
  return (
    alert.rule === anomaly.rule && (alert.subject_id === anomaly.subject_id || anomaly.refs.includes(alert.subject_id))
  );
}

export function isTransient(anomaly: Anomaly, options: ScoreOptions): boolean {
  const limit = anomaly.rule ? options.transientMs?.[anomaly.rule] : undefined;
  return limit !== undefined && anomaly.until !== undefined && anomaly.until - anomaly.at < limit;
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export function scoreAlerts(
  anomalies: readonly Anomaly[],
  alerts: readonly SeenAlert[],
  options: ScoreOptions = {},
): RuleScore[] {
  // rule → id the alert may carry as subject → anomalies it names
  const index = new Map<AlertRule, Map<string, Anomaly[]>>();
  for (const a of anomalies) {
    if (!a.rule) continue;
    let byKey = index.get(a.rule);
    if (!byKey) index.set(a.rule, (byKey = new Map()));
    for (const key of new Set([a.subject_id, ...a.refs])) {
      const list = byKey.get(key);
      if (list) list.push(a);
      else byKey.set(key, [a]);
    }
  }
  // anomaly id → first opening of an alert naming it
  const firstAlert = new Map<string, number>();
  const firstWall = new Map<string, number>();
  const truePositive = new Set<string>();
  for (const alert of alerts) {
    const named = index.get(alert.rule)?.get(alert.subject_id) ?? [];
    if (named.length === 0) continue;
    truePositive.add(alert.id);
    for (const a of named) {
      firstAlert.set(a.id, Math.min(firstAlert.get(a.id) ?? Infinity, alert.opened));
      if (alert.onWall !== undefined) firstWall.set(a.id, Math.min(firstWall.get(a.id) ?? Infinity, alert.onWall));
    }
  }
  return RULES.map((rule) => {
    const mine = anomalies.filter((a) => a.rule === rule);
    const required = mine.filter((a) => !isTransient(a, options));
    const transient = mine.filter((a) => isTransient(a, options));
    const caught = required.filter((a) => firstAlert.has(a.id));
    const delays = caught.map((a) => (firstAlert.get(a.id) as number) - a.at);
    const walled = required.filter((a) => firstWall.has(a.id));
    const raised = alerts.filter((a) => a.rule === rule);
    const tp = raised.filter((a) => truePositive.has(a.id)).length;
    return {
      rule,
      injected: required.length,
      caught: caught.length,
      transient: transient.length,
      transientAlerted: transient.filter((a) => firstAlert.has(a.id)).length,
      alerted: raised.length,
      truePositives: tp,
      precision: raised.length > 0 ? tp / raised.length : null,
      recall: required.length > 0 ? caught.length / required.length : null,
      medianDelayMs: median(delays),
      maxDelayMs: delays.length > 0 ? Math.max(...delays) : null,
      medianWallDelayMs: median(walled.map((a) => (firstWall.get(a.id) as number) - a.at)),
      onWall: walled.length,
      missed: required.filter((a) => !firstAlert.has(a.id)),
      falsePositives: raised.filter((a) => !truePositive.has(a.id)),
    };
  });
}
