import type { Alert, AlertRule } from '@edu/analytics';
import { ANOMALY_RULES, type Anomaly, type AnomalyKind } from '@edu/ingest/simulator';
import { describe, expect, it } from 'vitest';
import { matches, median, scoreAlerts, type RuleScore, type SeenAlert } from './score.ts';
import { alertIdsOnWall, wallOf, WallTracker } from './wall.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-11-24T15:30:00+08:00');

function anomaly(kind: AnomalyKind, subject: string, at: number, more: Partial<Anomaly> = {}): Anomaly {
  return {
    id: `${kind}:${subject}${more.refs?.[0] ? `:${more.refs[0]}` : ''}`,
    kind,
    rule: ANOMALY_RULES[kind],
    school_id: 'sch1',
    subject_id: subject,
    refs: [],
    at,
    ...more,
  };
}
function alert(rule: AlertRule, subject: string, opened: number): SeenAlert {
  return { id: `${rule}:${subject}`, rule, school_id: 'sch1', subject_id: subject, opened };
}
const row = (scores: RuleScore[], rule: AlertRule) => scores.find((s) => s.rule === rule) as RuleScore;

describe('alert scoring', () => {
  it('precision, recall and the median delay per rule', () => {
    const anomalies = [
      anomaly('teacher_absent', 's1', T0),
      anomaly('teacher_absent', 's2', T0 + 10 * MIN),
      anomaly('teacher_absent', 's3', T0 + 20 * MIN),
      anomaly('teacher_absent', 's4', T0), // never alerted
      anomaly('school_bad_day', 'sch1', T0),
    ];
    const alerts = [
      alert('teacher_not_checked_in', 's1', T0 + 6 * MIN),
      alert('teacher_not_checked_in', 's2', T0 + 17 * MIN),
      alert('teacher_not_checked_in', 's3', T0 + 28 * MIN),
      alert('teacher_not_checked_in', 's9', T0 + 5 * MIN), // no anomaly: false
      alert('low_attendance', 'sch1', T0 + 3 * MIN),
      alert('low_attendance', 'sch2', T0 + 3 * MIN),
      alert('low_completion', 'sch3', T0),
    ];
    const scores = scoreAlerts(anomalies, alerts);
    const t = row(scores, 'teacher_not_checked_in');
    expect(t).toMatchObject({ injected: 4, caught: 3, alerted: 4, truePositives: 3, precision: 0.75, recall: 0.75 });
    expect(t.medianDelayMs).toBe(7 * MIN); // delays 6, 7, 8 minutes
    expect(t.maxDelayMs).toBe(8 * MIN);
    expect(t.missed.map((a) => a.subject_id)).toEqual(['s4']);
    expect(t.falsePositives.map((a) => a.subject_id)).toEqual(['s9']);
    expect(row(scores, 'low_attendance')).toMatchObject({ injected: 1, caught: 1, precision: 0.5, recall: 1 });
    expect(row(scores, 'low_attendance').medianDelayMs).toBe(3 * MIN);
    // Alerts with nothing injected: precision 0, recall undefined; no alerts: precision undefined.
    expect(row(scores, 'low_completion')).toMatchObject({ injected: 0, alerted: 1, precision: 0, recall: null });
    expect(row(scores, 'over_budget')).toMatchObject({ injected: 0, alerted: 0, precision: null, recall: null });
    expect(row(scores, 'over_budget').medianDelayMs).toBeNull();
  });

  it('matches by rule and by the subject or any ref; several anomalies may share one alert', () => {
    // Two students of one session never check out: one per-session alert catches both.
    const a = anomaly('student_no_checkout', 'sess1', T0, { refs: ['stu1'] });
    const b = anomaly('student_no_checkout', 'sess1', T0, { refs: ['stu2'] });
    // A per-student alert names the student.
    const c = anomaly('student_no_checkout', 'sess2', T0, { refs: ['stu3'] });
    expect(matches(alert('student_not_checked_out', 'sess1', T0), a)).toBe(true);
    expect(matches(alert('student_not_checked_out', 'stu3', T0), c)).toBe(true);
    expect(matches(alert('class_not_started', 'sess1', T0), a)).toBe(false);
    const scores = scoreAlerts(
      [a, b, c],
      [
        alert('student_not_checked_out', 'sess1', T0 + 31 * MIN),
        alert('student_not_checked_out', 'stu3', T0 + 35 * MIN),
      ],
    );
    expect(row(scores, 'student_not_checked_out')).toMatchObject({
      injected: 3,
      caught: 3,
      alerted: 2,
      truePositives: 2,
      precision: 1,
      recall: 1,
      medianDelayMs: 31 * MIN,
    });
    // Escalation: the delay to the wall is to the escalation, and only escalated ones count there.
    const esc = scoreAlerts(
      [a, c],
      [
        { ...alert('student_not_checked_out', 'sess1', T0 + 35 * MIN), onWall: T0 + 45 * MIN },
        alert('student_not_checked_out', 'sess2', T0 + 35 * MIN),
      ],
    );
    expect(row(esc, 'student_not_checked_out')).toMatchObject({
      caught: 2,
      medianDelayMs: 35 * MIN,
      onWall: 1,
      medianWallDelayMs: 45 * MIN,
    });
    // The earliest of several alerts naming one anomaly gives its delay.
    const twice = scoreAlerts(
      [a],
      [
        alert('student_not_checked_out', 'stu1', T0 + 40 * MIN),
        alert('student_not_checked_out', 'sess1', T0 + 32 * MIN),
      ],
    );
    expect(row(twice, 'student_not_checked_out').medianDelayMs).toBe(32 * MIN);
  });

  it('anomalies with no rule are not scored; transient ones need no alert and an alert on them is true', () => {
    const late = (s: string, minutes: number) =>
      anomaly('teacher_late', s, T0, { until: T0 + minutes * MIN, refs: ['t-' + s] });
    const anomalies = [late('a', 7), late('b', 8), late('c', 20), anomaly('class_not_ended', 'x', T0)];
    const alerts = [
      alert('teacher_not_checked_in', 'a', T0 + 5 * MIN),
      alert('teacher_not_checked_in', 'c', T0 + 16 * MIN),
    ];
    const scores = scoreAlerts(anomalies, alerts, { transientMs: { teacher_not_checked_in: 16 * MIN } });
    expect(row(scores, 'teacher_not_checked_in')).toMatchObject({
      injected: 1,
      caught: 1,
      transient: 2,
      transientAlerted: 1,
      alerted: 2,
      truePositives: 2,
      precision: 1,
      recall: 1,
      medianDelayMs: 16 * MIN,
    });
    // Without the allowance every late teacher must alert.
    expect(row(scoreAlerts(anomalies, alerts), 'teacher_not_checked_in')).toMatchObject({ injected: 3, caught: 2 });
    expect(scores.reduce((n, s) => n + s.injected + s.transient, 0)).toBe(3);
  });

  it('median of odd and even counts', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('wall lines', () => {
  const open = (rule: AlertRule, state = 'open') => ({ rule, state }) as never;
  it('one line per alert group when the snapshot has groups, else per alert not resolved', () => {
    expect(
      wallOf({ alerts: [open('low_attendance'), open('low_attendance'), open('over_budget', 'resolved')] }),
    ).toEqual({ lines: 2, byRule: { low_attendance: 2 }, alerts: 2, grouped: false });
    expect(
      wallOf({
        alerts: [],
        alert_groups: [
          { rule: 'student_not_checked_out', count: 40 },
          { rule: 'student_not_checked_out', count: 2 },
          { rule: 'low_attendance', count: 3 },
        ],
      }),
    ).toEqual({ lines: 3, byRule: { student_not_checked_out: 2, low_attendance: 1 }, alerts: 45, grouped: true });
  });

  it('peak overall and per rule, and a series where a state lasts until the next', () => {
    const w = new WallTracker();
    const a = (id: string, rule: AlertRule, more: object = {}) => ({ id, rule, state: 'open', ...more }) as Alert;
    const g = (rule: AlertRule, ...ids: string[]) => ({
      rule,
      count: ids.length,
      members: ids.map((id) => a(id, rule)),
    });
    const all = [a('a', 'low_attendance'), a('b', 'low_attendance'), a('c', 'low_attendance')];
    w.add(T0, { alerts: all, alert_groups: [g('low_attendance', 'a'), g('low_attendance', 'b', 'c')] });
    const budget = ['d', 'e', 'f', 'h'].map((id) => a(id, 'over_budget'));
    w.add(T0 + 20 * MIN, {
      alerts: [...all, ...budget],
      alert_groups: [g('low_attendance', 'a'), ...['d', 'e', 'f', 'h'].map((id) => g('over_budget', id))],
    });
    w.add(T0 + 21 * MIN, { alerts: [budget[0] as Alert], alert_groups: [g('over_budget', 'd')] });
    expect(w.peak()).toMatchObject({ lines: 5, alerts: 5, at: T0 + 20 * MIN });
    expect(w.peakByRule()).toEqual({ low_attendance: 2, over_budget: 4 });
    expect(w.series(T0, T0 + 40 * MIN, 10 * MIN).map((s) => s.lines)).toEqual([2, 2, 5, 1]);
    // When the wall first showed each alert (from the snapshot's full list, not the groups' first members).
    expect(w.firstShown.get('c')).toBe(T0);
    expect(w.firstShown.get('d')).toBe(T0 + 20 * MIN);
    // 学生未签退 reaches the wall when escalated; resolved alerts are off it.
    const unescalated = a('x', 'student_not_checked_out');
    const escalated = a('y', 'student_not_checked_out', { escalated_at: '2026-11-24T16:00:00+08:00' });
    const resolved = a('z', 'over_budget', { state: 'resolved' });
    expect(alertIdsOnWall({ alerts: [unescalated, escalated, resolved, a('w', 'low_feedback')] })).toEqual(['y', 'w']);
  });
});
