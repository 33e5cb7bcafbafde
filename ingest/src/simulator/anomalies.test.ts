import type { EventOf, InboundEvent } from '@edu/analytics';
import { describe, expect, it } from 'vitest';
import { ANOMALY_KINDS, ANOMALY_RULES, AnomalyLedger, countAnomalies, type Anomaly } from './anomalies.ts';
import { createCity } from './city.ts';
import { planDay } from './day-plan.ts';
import { netEnrollments } from './measure-rates.ts';
import { TIMING } from './rates.ts';
import { setupEvents } from './setup.ts';

// The ledger against the events themselves: each anomaly found by reading the day's events as
// a consumer would (no check-in, no class_started, a run of low scores, a settlement above its
// budget …) is in the ledger exactly once, at its own time, and the ledger holds nothing else.

const city = createCity({ seed: 2026, schools: 60, students: 30_000 });
const DAYS = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];
const setup = [...setupEvents(city, DAYS[0] as string)];
const plans = DAYS.map((d) => planDay(city, d));
const MIN = 60_000;

const of = <T extends InboundEvent['type']>(events: readonly InboundEvent[], type: T) =>
  events.filter((e): e is EventOf<T> => e.type === type);
const idsOf = (anomalies: readonly Anomaly[], kind: Anomaly['kind']) =>
  anomalies
    .filter((a) => a.kind === kind)
    .map((a) => a.id)
    .sort();
const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('the anomaly ledger', () => {
  it('is reproducible: the same seed and day give the same ledger, another day another', () => {
    const again = planDay(createCity({ seed: 2026, schools: 60, students: 30_000 }), DAYS[1] as string);
    expect(again.anomalies).toEqual(plans[1]?.anomalies);
    expect(plans[0]?.anomalies).not.toEqual(plans[1]?.anomalies);
    const other = planDay(createCity({ seed: 2027, schools: 60, students: 30_000 }), DAYS[1] as string);
    expect(other.anomalies).not.toEqual(plans[1]?.anomalies);
  });

  it('records each anomaly once, with the rule its kind maps to, in time order', () => {
    for (const plan of plans) {
      const ids = plan.anomalies.map((a) => a.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const a of plan.anomalies) expect(a.rule).toBe(ANOMALY_RULES[a.kind]);
      for (let i = 1; i < plan.anomalies.length; i++)
        expect((plan.anomalies[i] as Anomaly).at).toBeGreaterThanOrEqual((plan.anomalies[i - 1] as Anomaly).at);
    }
    // Over five days every kind occurs.
    const counts = countAnomalies(plans.flatMap((p) => p.anomalies));
    for (const k of ANOMALY_KINDS) expect(counts[k], k).toBeGreaterThan(0);
    const ledger = new AnomalyLedger();
    ledger.record({ kind: 'teacher_absent', school_id: 's', subject_id: 'x', at: 1 });
    expect(() => ledger.record({ kind: 'teacher_absent', school_id: 's', subject_id: 'x', at: 2 })).toThrow(/twice/);
  });

  it('per session: absent and late teachers, classes never started or ended, students never checked out', () => {
    for (const plan of plans) {
      const events = [...plan.events()];
      const cancelled = new Set(of(events, 'session_cancelled').map((e) => e.session_id));
      const held = of(events, 'session_scheduled').filter((s) => !cancelled.has(s.session_id));
      const teacherIn = new Map<string, number>();
      const studentIn = new Set<string>();
      const studentOut = new Set<string>();
      for (const c of of(events, 'checkin')) {
        if (c.person === 'teacher') teacherIn.set(c.session_id, Date.parse(c.ts));
        else studentIn.add(`${c.session_id}:${c.person_id}`);
      }
      for (const c of of(events, 'checkout'))
        if (c.person === 'student') studentOut.add(`${c.session_id}:${c.person_id}`);
      const started = new Set(of(events, 'class_started').map((e) => e.session_id));
      const ended = new Set(of(events, 'class_ended').map((e) => e.session_id));
      const a = plan.anomalies;

      const absent = held.filter((s) => !teacherIn.has(s.session_id));
      expect(idsOf(a, 'teacher_absent')).toEqual(sorted(absent.map((s) => `teacher_absent:${s.session_id}`)));
      const late = held.filter(
        (s) =>
          (teacherIn.get(s.session_id) ?? -Infinity) > Date.parse(s.planned_start) + TIMING.teacherLateMinutes * MIN,
      );
      expect(idsOf(a, 'teacher_late')).toEqual(sorted(late.map((s) => `teacher_late:${s.session_id}`)));
      const notStarted = held.filter((s) => !started.has(s.session_id));
      expect(idsOf(a, 'class_not_started')).toEqual(sorted(notStarted.map((s) => `class_not_started:${s.session_id}`)));
      const notEnded = held.filter((s) => started.has(s.session_id) && !ended.has(s.session_id));
      expect(idsOf(a, 'class_not_ended')).toEqual(sorted(notEnded.map((s) => `class_not_ended:${s.session_id}`)));
      const noCheckout = [...studentIn].filter((k) => !studentOut.has(k));
      expect(idsOf(a, 'student_no_checkout')).toEqual(sorted(noCheckout.map((k) => `student_no_checkout:${k}`)));

      // Their own times: planned start for teachers (until the late one's check-in), planned end otherwise.
      const byId = new Map(held.map((s) => [s.session_id, s]));
      for (const x of a) {
        const s = byId.get(x.subject_id);
        if (x.kind === 'teacher_absent' || x.kind === 'teacher_late') {
          expect(x.at).toBe(Date.parse(s?.planned_start ?? ''));
          expect(x.until).toBe(x.kind === 'teacher_late' ? teacherIn.get(x.subject_id) : undefined);
          expect(x.refs).toEqual([s?.teacher_id]);
        }
        if (x.kind === 'class_not_started' || x.kind === 'class_not_ended' || x.kind === 'student_no_checkout') {
          expect(x.at).toBe(Date.parse(s?.planned_end ?? ''));
        }
      }
    }
  });

  it('school-wide: a bad day is low attendance across the school, classes left open collapse completion', () => {
    const net = netEnrollments(setup);
    const badDays: number[] = [];
    const ordinary: number[] = [];
    const openShare: number[] = [];
    const normalShare: number[] = [];
    for (const plan of plans) {
      const events = [...plan.events()];
      const cancelled = new Set(of(events, 'session_cancelled').map((e) => e.session_id));
      const held = of(events, 'session_scheduled').filter((s) => !cancelled.has(s.session_id));
      const present = new Map<string, Set<string>>();
      for (const c of of(events, 'checkin')) {
        if (c.person !== 'student') continue;
        const set = present.get(c.school_id) ?? new Set<string>();
        set.add(`${c.session_id}:${c.person_id}`);
        present.set(c.school_id, set);
      }
      const expected = new Map<string, number>();
      const firstStart = new Map<string, number>();
      for (const s of held) {
        expected.set(s.school_id, (expected.get(s.school_id) ?? 0) + (net.get(s.offering_id) ?? 0));
        firstStart.set(s.school_id, Math.min(firstStart.get(s.school_id) ?? Infinity, Date.parse(s.planned_start)));
      }
      const bad = new Map(plan.anomalies.filter((a) => a.kind === 'school_bad_day').map((a) => [a.subject_id, a]));
      for (const [school, n] of expected) {
        const rate = (present.get(school)?.size ?? 0) / n;
        (bad.has(school) ? badDays : ordinary).push(rate);
        if (bad.has(school)) expect(bad.get(school)?.at).toBe(firstStart.get(school));
      }

      const started = new Set(of(events, 'class_started').map((e) => e.session_id));
      const ended = new Set(of(events, 'class_ended').map((e) => e.session_id));
      const open = new Map(
        plan.anomalies.filter((a) => a.kind === 'school_classes_not_ended').map((a) => [a.subject_id, a]),
      );
      const bySchool = new Map<string, { started: number; open: number; firstOpenEnd: number }>();
      for (const s of held) {
        if (!started.has(s.session_id)) continue;
        const e = bySchool.get(s.school_id) ?? { started: 0, open: 0, firstOpenEnd: Infinity };
        e.started++;
        if (!ended.has(s.session_id)) {
          e.open++;
          e.firstOpenEnd = Math.min(e.firstOpenEnd, Date.parse(s.planned_end));
        }
        bySchool.set(s.school_id, e);
      }
      for (const [school, e] of bySchool) {
        (open.has(school) ? openShare : normalShare).push(e.open / e.started);
        if (open.has(school)) expect(open.get(school)?.at).toBe(e.firstOpenEnd);
      }
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(badDays.length).toBeGreaterThan(0);
    expect(mean(badDays)).toBeLessThan(0.76);
    expect(Math.max(...badDays)).toBeLessThan(0.85);
    expect(mean(ordinary)).toBeGreaterThan(0.9);
    expect(Math.min(...ordinary)).toBeGreaterThan(0.85);
    expect(openShare.length).toBeGreaterThan(0);
    expect(mean(openShare)).toBeGreaterThan(0.3);
    expect(mean(normalShare)).toBeLessThan(0.04);
  });

  it('disliked courses when their run of low scores is complete; settlements above their budget', () => {
    const budget = new Map<string, number>();
    for (const b of of(setup, 'budget_submitted'))
      for (const item of b.items) if (item.course_id) budget.set(item.course_id, item.amount);
    const courseOf = new Map(of(setup, 'offering_submitted').map((o) => [o.offering_id, o.course_id]));
    for (const plan of plans) {
      const events = [...plan.events()];
      const scores = new Map<string, { ts: number; score: number }[]>();
      for (const f of of(events, 'feedback')) {
        if (f.target !== 'course') continue;
        scores.set(f.target_id, [...(scores.get(f.target_id) ?? []), { ts: Date.parse(f.ts), score: f.score }]);
      }
      const disliked = plan.anomalies.filter((a) => a.kind === 'disliked_course');
      for (const a of disliked) {
        const list = (scores.get(a.subject_id) ?? []).sort((x, y) => x.ts - y.ts);
        expect(list.length).toBeGreaterThanOrEqual(TIMING.lowFeedbackPerSession);
        expect(list.every((x) => x.score <= 2)).toBe(true);
        expect(a.at).toBe(list[TIMING.lowFeedbackPerSession - 1]?.ts);
      }
      // Every course with a run of low scores that long is a disliked one (ordinary ones get one feedback a session).
      const runs = [...scores]
        .filter(([, l]) => l.length >= TIMING.lowFeedbackPerSession && l.every((x) => x.score <= 2))
        .map(([id]) => `disliked_course:${id}`);
      expect(idsOf(plan.anomalies, 'disliked_course')).toEqual(sorted(runs));

      // Over budget as 经费审计 defines it: settled above the course's budget, a course without one counting 0.
      const over = of(events, 'settled').filter(
        (s) => s.amount > (budget.get(courseOf.get(s.offering_id) as string) ?? 0),
      );
      const ledger = plan.anomalies.filter((a) => a.rule === 'over_budget');
      for (const a of ledger)
        expect(a.kind).toBe(budget.has(a.subject_id) ? 'over_budget_settlement' : 'unbudgeted_settlement');
      expect(sorted(ledger.map((a) => a.refs[1] as string))).toEqual(sorted(over.map((s) => s.settlement_id)));
      for (const a of ledger) {
        const s = over.find((x) => x.settlement_id === a.refs[1]);
        expect(a.at).toBe(Date.parse(s?.ts ?? ''));
        expect(a.subject_id).toBe(courseOf.get(s?.offering_id ?? ''));
      }
    }
  });
});
