import { DUE_GRACE_MINUTES, type AlertRule } from '@edu/analytics';
import type { StreamerConfig } from '@edu/streamer';

// What the benchmark needs to know of the alert engine's settings (analytics/src/alerts/rules.ts,
// as the streamer's configuration loads them): how long after an anomaly's own time a rule's
// condition becomes true (its threshold: a teacher 5 minutes late, a session due to end 10
// minutes after its planned end) and its pending period (the condition must hold that long
// before it is an alert). The delay target is pending + 60 s; an anomaly that ends by itself
// sooner than threshold + pending + 60 s is transient (see score.ts).

export interface RuleTiming {
  /** Minutes after the anomaly's own time before the rule's condition is true. */
  thresholdMinutes: number;
  /** Minutes the condition must hold before it alerts. */
  pendingMinutes: number;
}

export function ruleTimings(config: StreamerConfig): Record<AlertRule, RuleTiming> {
  const a = config.alerts;
  const t = (rule: AlertRule, thresholdMinutes: number): RuleTiming => ({
    thresholdMinutes,
    pendingMinutes: (a.pendingMinutes as Partial<Record<AlertRule, number>>)[rule] ?? 0,
  });
  return {
    teacher_not_checked_in: t('teacher_not_checked_in', a.teacherLateMinutes),
    // Due to end: planned_end + the due grace of contract v1.1.
    class_not_started: t('class_not_started', DUE_GRACE_MINUTES),
    student_not_checked_out: t('student_not_checked_out', a.checkoutGraceMinutes),
    // The school's due figures count a session from planned_start (or _end) + the due grace.
    low_attendance: t('low_attendance', DUE_GRACE_MINUTES),
    low_completion: t('low_completion', DUE_GRACE_MINUTES),
    low_feedback: t('low_feedback', 0),
    over_budget: t('over_budget', 0),
    // The simulator injects no orphans (its ledger has no kind for this rule); an hour's growth.
    orphans_growing: t('orphans_growing', 60),
    // The simulator injects no 喊停 (a decision of the bureau's, not a school's anomaly).
    class_after_halt: t('class_after_halt', 0),
  };
}
