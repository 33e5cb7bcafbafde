import type { AlertRule } from '@edu/analytics';

// The anomaly ledger: every anomaly the simulator injects into a day, with the alert rule that
// should catch it, what that rule's alert would name, and when the anomaly itself happens. It
// is the ground truth the alert-quality benchmark (deploy/bench/alert-quality.ts) scores the
// alerts against. Times are the anomaly's own (a class's planned start or end, a settlement's
// ts), never a rule's threshold or pending period: those belong to the alert engine, and the
// benchmark measures them as delay.

/** Kind of anomaly → the rule that should catch it (null: no rule watches it alone). */
export const ANOMALY_RULES = {
  /** The teacher never checks in (RATES.teacherAbsent); at = planned_start. */
  teacher_absent: 'teacher_not_checked_in',
  /** The teacher checks in late (RATES.teacherLate); at = planned_start, until = the check-in. */
  teacher_late: 'teacher_not_checked_in',
  /** class_started is never sent (teacher absent, or RATES.classNotStarted); at = planned_end. */
  class_not_started: 'class_not_started',
  /**
   * One started class whose class_ended is never sent (RATES.classNotEnded); at = planned_end.
   * No rule watches one class's end: low_completion looks at a school's rate, so only the
   * school-wide kind below is expected to alert.
   */
  class_not_ended: null,
  /** A school whose classes are left open all afternoon (RATES.schoolClassesNotEnded); at = the first such class's planned_end. */
  school_classes_not_ended: 'low_completion',
  /** A student checked in and never checked out (RATES.studentNoCheckout); at = planned_end. */
  student_no_checkout: 'student_not_checked_out',
  /** A school having a bad day: school-wide low attendance (RATES.schoolBadDay); at = its first planned_start. */
  school_bad_day: 'low_attendance',
  /** A disliked course (RATES.lowFeedbackCourse) held today; at = when its run of low scores is complete. */
  disliked_course: 'low_feedback',
  /** A settlement above its course's budget (RATES.overBudget); at = the settlement's ts. */
  over_budget_settlement: 'over_budget',
  /** A settlement at a school that submitted no budget (RATES.budgetMissing), over a budget of 0; at = its ts. */
  unbudgeted_settlement: 'over_budget',
} as const satisfies Record<string, AlertRule | null>;

export type AnomalyKind = keyof typeof ANOMALY_RULES;
export const ANOMALY_KINDS = Object.keys(ANOMALY_RULES) as AnomalyKind[];

export interface Anomaly {
  /** Unique in a day: kind, subject and, where one subject holds several, the person or settlement. */
  id: string;
  kind: AnomalyKind;
  /** The rule that should catch it (ANOMALY_RULES), null when none watches it alone. */
  rule: AlertRule | null;
  school_id: string;
  /**
   * What that rule's alert names (its subject_id): the session for per-session kinds, the
   * school for school-wide ones, the course for feedback and budget.
   */
  subject_id: string;
  /** Other ids naming the same anomaly (teacher, student, offering, settlement): an alert keyed by one matches too. */
  refs: string[];
  /** Epoch ms the anomaly itself happens (see ANOMALY_RULES). */
  at: number;
  /** Epoch ms it ends by itself (a late teacher's check-in); absent: it lasts the rest of the day. */
  until?: number;
  /** A few words for people reading the ledger (how many students, why). */
  note?: string;
}

export type AnomalyInput = Omit<Anomaly, 'id' | 'rule' | 'refs'> & { refs?: string[]; key?: string };

/** The anomalies of one day, each recorded once. */
export class AnomalyLedger {
  private readonly byId = new Map<string, Anomaly>();

  /** Records one anomaly; `key` tells apart several of one kind on one subject (students of a session). */
  record(input: AnomalyInput): Anomaly {
    const { key, refs, ...rest } = input;
    const id = `${input.kind}:${input.subject_id}${key === undefined ? '' : `:${key}`}`;
    if (this.byId.has(id)) throw new Error(`anomaly recorded twice: ${id}`);
    const a: Anomaly = { id, ...rest, rule: ANOMALY_RULES[input.kind], refs: refs ?? [] };
    this.byId.set(id, a);
    return a;
  }

  get size(): number {
    return this.byId.size;
  }

  /** Every anomaly, by time (ties by id). */
  list(): Anomaly[] {
    return [...this.byId.values()].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

/** How many of each kind. */
export function countAnomalies(anomalies: readonly Anomaly[]): Record<AnomalyKind, number> {
  const out = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, 0])) as Record<AnomalyKind, number>;
  for (const a of anomalies) out[a.kind]++;
  return out;
}
