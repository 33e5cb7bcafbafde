import {
  INBOUND_TYPES,
  referenceMetrics,
  TOPIC_OF_TYPE,
  validateEvent,
  type EventOf,
  type InboundEvent,
} from '@edu/analytics';
import { describe, expect, it } from 'vitest';
import { createCity } from './city.ts';
import { planDay } from './day-plan.ts';
import { RATES } from './rates.ts';
import { setupEvents } from './setup.ts';

// The generated events as a consumer sees them: valid, reproducible, and consistent with each
// other (sessions of submitted offerings, check-ins of enrolled students, and so on).

const DAY = '2026-11-27'; // a Friday in the autumn term
const small = () => createCity({ seed: 11, schools: 15, students: 6000 });
const dayEvents = (city = small(), day = DAY) => [...planDay(city, day).events()];
const of = <T extends InboundEvent['type']>(events: InboundEvent[], type: T) =>
  events.filter((e): e is EventOf<T> => e.type === type);

describe('generated events', () => {
  const city = small();
  const setup = [...setupEvents(city, DAY)];
  const day = dayEvents(city);
  const all = [...setup, ...day];

  it('cover every inbound type but those of the 督办 loop, which the rectifier sends in answer to notices', () => {
    // (rectifier.test.ts covers notice_received and rectification_submitted.)
    const answers = new Set<string>(['notice_received', 'rectification_submitted']);
    expect(new Set(all.map((e) => e.type))).toEqual(new Set(INBOUND_TYPES.filter((t) => !answers.has(t))));
  });

  it('all pass the contract validation on their own topic, with their own ts as now', () => {
    const bad = all
      .map((e) => ({ e, v: validateEvent(JSON.stringify(e), TOPIC_OF_TYPE[e.type], Date.parse(e.ts)) }))
      .filter(({ v }) => !v.ok)
      .slice(0, 3);
    expect(bad).toEqual([]);
  });

  it('have unique ids', () => {
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
  });

  it('set up the term before the day, and play the day in ts order within the day', () => {
    const midnight = Date.parse(`${DAY}T00:00:00+08:00`);
    expect(Math.max(...setup.map((e) => Date.parse(e.ts)))).toBeLessThan(midnight);
    const ts = day.map((e) => Date.parse(e.ts));
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(ts[0]).toBeGreaterThanOrEqual(midnight);
    expect(ts[ts.length - 1]).toBeLessThan(midnight + 86_400_000);
  });

  it('refer to what the set-up registered', () => {
    const registered = new Set(
      setup.filter((e) => 'entity_id' in e).map((e) => (e as { entity_id: string }).entity_id),
    );
    const offerings = new Map(of(setup, 'offering_submitted').map((o) => [o.offering_id, o]));
    for (const o of offerings.values()) {
      expect(registered.has(o.course_id)).toBe(true);
      for (const t of o.teacher_ids) expect(registered.has(t)).toBe(true);
    }
    for (const e of of(setup, 'enrolled')) {
      expect(registered.has(e.student_id)).toBe(true);
      expect(offerings.get(e.offering_id)?.fee_per_student).toBe(e.fee);
    }
    for (const s of of(day, 'session_scheduled')) {
      const o = offerings.get(s.offering_id);
      expect(o?.course_id).toBe(s.course_id);
      expect(o?.teacher_ids).toContain(s.teacher_id);
      expect(o?.school_id).toBe(s.school_id);
    }
    const net = new Set<string>();
    for (const e of of(setup, 'enrolled')) net.add(`${e.offering_id}|${e.student_id}`);
    for (const e of of(setup, 'withdrawn')) net.delete(`${e.offering_id}|${e.student_id}`);
    const sessions = new Map(of(day, 'session_scheduled').map((s) => [s.session_id, s]));
    for (const c of of(day, 'checkin')) {
      const s = sessions.get(c.session_id);
      if (c.person === 'teacher') expect(c.person_id).toBe(s?.teacher_id);
      else expect(net.has(`${s?.offering_id}|${c.person_id}`)).toBe(true);
    }
  });

  it('tell a coherent story per session', () => {
    const checkedIn = new Map<string, number>();
    for (const c of of(day, 'checkin')) checkedIn.set(`${c.session_id}|${c.person_id}`, Date.parse(c.ts));
    for (const c of of(day, 'checkout')) {
      const t = checkedIn.get(`${c.session_id}|${c.person_id}`);
      expect(t).toBeDefined();
      expect(Date.parse(c.ts)).toBeGreaterThan(t as number);
    }
    const started = new Map(of(day, 'class_started').map((e) => [e.session_id, Date.parse(e.ts)]));
    for (const e of of(day, 'class_ended'))
      expect(Date.parse(e.ts)).toBeGreaterThan(started.get(e.session_id) as number);
    const cancelled = new Set(of(day, 'session_cancelled').map((e) => e.session_id));
    for (const e of [...of(day, 'checkin'), ...of(day, 'class_started')])
      expect(cancelled.has(e.session_id)).toBe(false);
    for (const r of of(day, 'class_report')) {
      for (const s of r.students) expect(checkedIn.has(`${r.session_id}|${s.student_id}`)).toBe(true);
    }
  });
});

describe('the wall', () => {
  it("shows a real city's numbers: the contract's metrics of a simulated day", () => {
    const city = small();
    const setup = [...setupEvents(city, DAY)];
    const day = dayEvents(city);
    const m = referenceMetrics([...setup, ...day], { kind: 'city' }, DAY);
    const cancelled = of(day, 'session_cancelled').length;
    expect(m.sessions_scheduled).toBe(of(day, 'session_scheduled').length - cancelled);
    expect(m.students).toBe(city.totalStudents);
    // About 97% of sessions start (teachers absent, classes never started), 95% complete.
    expect(m.completion_rate).toBeGreaterThan(0.9);
    expect(m.completion_rate).toBeLessThan(0.99);
    expect(Math.abs((m.teacher_attendance_rate as number) - (1 - RATES.teacherAbsent))).toBeLessThan(0.03);
    expect(Math.abs((m.attendance_rate as number) - (1 - RATES.studentAbsent))).toBeLessThan(0.04);
    expect(Math.abs((m.enrollment_rate as number) - (1 - RATES.studentNotEnrolled))).toBeLessThan(0.05);
    // 备课率 (v1.1): about 89% (8% never prepared, 3% of the rest prepared after the start).
    expect(m.prepared_rate).toBeGreaterThan(0.8);
    expect(m.prepared_rate).toBeLessThan(0.96);
    expect(m.settled_amount).toBeGreaterThan(0);
    expect(m.fees_enrolled).toBeGreaterThan(m.settled_amount);
  });
});

describe('reproducibility', () => {
  it('same seed ⇒ identical events and ids; replaying a day gives the same ids', () => {
    const a = [...setupEvents(small(), DAY), ...dayEvents()];
    const b = [...setupEvents(small(), DAY), ...dayEvents()];
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('a different seed ⇒ a different city', () => {
    const a = dayEvents();
    const b = dayEvents(createCity({ seed: 12, schools: 15, students: 6000 }));
    expect(b.map((e) => e.id)).not.toEqual(a.map((e) => e.id));
    const ids = new Set(a.map((e) => e.id));
    expect(b.filter((e) => ids.has(e.id))).toEqual([]);
  });

  it('later days of the term resend the same set-up', () => {
    const city = small();
    expect(JSON.stringify([...setupEvents(city, '2026-11-20')])).toBe(JSON.stringify([...setupEvents(city, DAY)]));
  });

  it('plans nothing on a weekend unless asked to', () => {
    const city = small();
    expect(planDay(city, '2026-11-28').sessionCount).toBe(0);
    expect(planDay(city, '2026-11-28', { anyDay: true }).sessionCount).toBeGreaterThan(0);
  });
});
