import type { EventOf, InboundEvent } from '@edu/analytics';
import { describe, expect, it } from 'vitest';
import { createCity } from './city.ts';
import { isCarelessTeacher, planDay } from './day-plan.ts';
import { measureDay, netEnrollments } from './measure-rates.ts';
import { RATES } from './rates.ts';
import { planSchool } from './school-plan.ts';
import { setupEvents } from './setup.ts';

// The generated behaviour, measured from the events on a mid-size city (60 schools, 30,000
// students, three school days: about 2,800 sessions and 50,000 student places), against the
// documented constants. Tolerances are about three standard deviations of the sample.

const city = createCity({ seed: 2026, schools: 60, students: 30_000 });
const DAYS = ['2026-11-23', '2026-11-24', '2026-11-25'];
const setup = [...setupEvents(city, DAYS[0] as string)];
const plans = DAYS.map((d) => planDay(city, d));
const days = plans.map((p) => [...p.events()]);
const week = days.flat();
const of = <T extends InboundEvent['type']>(events: readonly InboundEvent[], type: T) =>
  events.filter((e): e is EventOf<T> => e.type === type);

describe('behaviour rates on a mid-size city', () => {
  it('term set-up: enrollments, withdrawals, materials, certificates', () => {
    const enrolled = of(setup, 'enrolled');
    const students = new Set(enrolled.map((e) => e.student_id));
    const perStudent = enrolled.length / students.size;
    // Some students find no free, non-clashing offering: a little above the constant.
    expect(1 - students.size / city.totalStudents).toBeGreaterThanOrEqual(RATES.studentNotEnrolled - 0.01);
    expect(1 - students.size / city.totalStudents).toBeLessThan(RATES.studentNotEnrolled + 0.03);
    expect(perStudent).toBeGreaterThan(1.2);
    expect(perStudent).toBeLessThan(2.2);
    expect(of(setup, 'withdrawn').length / enrolled.length).toBeCloseTo(RATES.withdrawal, 2);
    const materials = of(setup, 'material_published').length;
    expect(Math.abs(1 - materials / (4 * city.schools.length) - RATES.materialMissing)).toBeLessThan(0.05);
    const external = of(setup, 'teacher').filter((t) => t.provider_id);
    const uncertified = external.filter((t) => t.certificate === 'none').length / external.length;
    expect(Math.abs(uncertified - RATES.externalTeacherUncertified)).toBeLessThan(0.03);
    const courses = of(setup, 'course').filter((c) => c.category !== 'homework');
    const externalShare = courses.filter((c) => c.kind === 'external').length / courses.length;
    expect(Math.abs(externalShare - RATES.externalCourse)).toBeLessThan(0.05);
  });

  it('sessions: cancellations, teachers absent or late, classes never started or ended, reports', () => {
    const r = measureDay(week, netEnrollments(setup));
    expect(r.sessions).toBeGreaterThan(2000);
    expect(Math.abs(r.sessionCancelled - RATES.sessionCancelled)).toBeLessThan(0.008);
    expect(Math.abs(r.teacherAbsent - RATES.teacherAbsent)).toBeLessThan(0.008);
    expect(Math.abs(r.teacherLate - RATES.teacherLate)).toBeLessThan(0.013);
    expect(Math.abs(r.classNotStarted - RATES.classNotStarted)).toBeLessThan(0.006);
    // Classes left open: at the rate at ordinary schools, far more at the few leaving theirs open.
    const leftOpen = plans.map(
      (p) => new Set(p.anomalies.filter((a) => a.kind === 'school_classes_not_ended').map((a) => a.school_id)),
    );
    const split = (open: boolean) =>
      measureDay(
        days.flatMap((d, i) =>
          d.filter((e) => ('school_id' in e && (leftOpen[i] as Set<string>).has(e.school_id ?? '')) === open),
        ),
        netEnrollments(setup),
      );
    expect(Math.abs(split(false).classNotEnded - RATES.classNotEnded)).toBeLessThan(0.008);
    expect(leftOpen.some((s) => s.size > 0)).toBe(true);
    expect(Math.abs(split(true).classNotEnded - RATES.classNotEndedAtSuchSchool)).toBeLessThan(0.2);
    expect(Math.abs(r.classReport - RATES.classReport)).toBeLessThan(0.025);
  });

  it('lesson preparations (教师备课): about 8% of sessions unprepared, most by a few teachers, some late', () => {
    const r = measureDay(week, netEnrollments(setup));
    const careless = RATES.teacherCareless;
    const expected = careless * RATES.unpreparedByCarelessTeacher + (1 - careless) * RATES.unprepared;
    expect(expected).toBeGreaterThan(0.06);
    expect(expected).toBeLessThan(0.1);
    expect(Math.abs(r.unprepared - expected)).toBeLessThan(0.025);
    expect(Math.abs(r.preparedLate - RATES.preparedLate)).toBeLessThan(0.012);
    expect(Math.abs(r.preparedRate - (1 - expected) * (1 - RATES.preparedLate))).toBeLessThan(0.03);
    // Concentrated: the careless tenth of the teachers leave about half their sessions
    // unprepared, the others a few percent, and the careless account for most of the gaps.
    const carelessIds = new Set(
      city.schools.flatMap((s) =>
        planSchool(city, s.index, '2026-autumn')
          .teachers.filter((_, i) => isCarelessTeacher(city.seed, s.index, i))
          .map((t) => t.id),
      ),
    );
    const byCareless = (want: boolean) =>
      measureDay(
        week.filter((e) => !('teacher_id' in e) || carelessIds.has(e.teacher_id) === want),
        netEnrollments(setup),
      );
    expect(Math.abs(byCareless(true).unprepared - RATES.unpreparedByCarelessTeacher)).toBeLessThan(0.12);
    expect(Math.abs(byCareless(false).unprepared - RATES.unprepared)).toBeLessThan(0.015);
    const sessionTeacher = new Map(of(week, 'session_scheduled').map((s) => [s.session_id, s.teacher_id]));
    const preparedIds = new Set(of(week, 'lesson_prepared').map((p) => p.session_id));
    const cancelled = new Set(of(week, 'session_cancelled').map((s) => s.session_id));
    const gaps = [...sessionTeacher].filter(([id]) => !cancelled.has(id) && !preparedIds.has(id));
    const byCarelessTeachers = gaps.filter(([, t]) => carelessIds.has(t)).length / gaps.length;
    expect(byCarelessTeachers).toBeGreaterThan(0.5);
    // Every preparation is by the session's scheduled teacher, and titled.
    for (const p of of(week, 'lesson_prepared')) {
      expect(p.teacher_id).toBe(sessionTeacher.get(p.session_id));
      expect(p.title).toMatch(/教案/);
    }
  });

  it('students: absence (with bad days) and missing check-outs', () => {
    const r = measureDay(week, netEnrollments(setup));
    const expected = RATES.studentAbsent * (1 - RATES.schoolBadDay) + RATES.studentAbsentOnBadDay * RATES.schoolBadDay;
    expect(Math.abs(r.studentAbsent - expected)).toBeLessThan(0.015);
    expect(Math.abs(r.studentNoCheckout - RATES.studentNoCheckout)).toBeLessThan(0.004);
  });

  it('feedback: ordinary courses score low now and then, disliked courses in runs', () => {
    const plans = city.schools.map((s) => planSchool(city, s.index, '2026-autumn'));
    const disliked = new Set(plans.flatMap((p) => p.courses.filter((c) => c.lowFeedback).map((c) => c.id)));
    const courseCount = plans.reduce((n, p) => n + p.courses.length, 0);
    expect(Math.abs(disliked.size / courseCount - RATES.lowFeedbackCourse)).toBeLessThan(0.012);

    const feedback = of(week, 'feedback');
    const ordinary = feedback.filter((f) => !(f.target === 'course' && disliked.has(f.target_id)));
    const low = ordinary.filter((f) => f.score <= 2).length / ordinary.length;
    expect(Math.abs(low - RATES.feedbackLow)).toBeLessThan(0.03);
    // One feedback per held session of an ordinary course, with probability feedbackPerSession.
    const courseOf = new Map(of(week, 'session_scheduled').map((s) => [s.session_id, s.course_id]));
    const held = of(week, 'class_started').filter((s) => !disliked.has(courseOf.get(s.session_id) as string));
    expect(Math.abs(ordinary.length / held.length - RATES.feedbackPerSession)).toBeLessThan(0.04);

    // Each day, some disliked course has a run of three or more low scores (the streamer's alert).
    for (const day of days) {
      const scores = new Map<string, number[]>();
      for (const f of of(day, 'feedback')) {
        if (f.target !== 'course') continue;
        scores.set(f.target_id, [...(scores.get(f.target_id) ?? []), f.score]);
      }
      const runs = [...scores].filter(([, s]) => s.length >= 3 && s.every((x) => x <= 2)).map(([id]) => id);
      expect(runs.length).toBeGreaterThan(0);
      for (const id of runs) expect(disliked.has(id)).toBe(true);
    }
  });

  it('settlements: a share of offerings each day, some over their course budget', () => {
    const offerings = of(setup, 'offering_submitted');
    const settled = of(week, 'settled');
    expect(Math.abs(settled.length / (offerings.length * DAYS.length) - RATES.settledPerDay)).toBeLessThan(0.012);
    const budget = new Map<string, number>();
    for (const b of of(setup, 'budget_submitted')) {
      for (const item of b.items) if (item.course_id) budget.set(item.course_id, item.amount);
    }
    const courseOf = new Map(offerings.map((o) => [o.offering_id, o.course_id]));
    const budgeted = settled.filter((s) => budget.has(courseOf.get(s.offering_id) as string));
    const over = budgeted.filter((s) => s.amount > (budget.get(courseOf.get(s.offering_id) as string) as number));
    expect(Math.abs(over.length / budgeted.length - RATES.overBudget)).toBeLessThan(0.03);
    // Settlements carry the provider for external courses only.
    const external = new Set(
      of(setup, 'course')
        .filter((c) => c.kind === 'external')
        .map((c) => c.entity_id),
    );
    for (const s of settled)
      expect(s.provider_id !== undefined).toBe(external.has(courseOf.get(s.offering_id) as string));
  });
});
