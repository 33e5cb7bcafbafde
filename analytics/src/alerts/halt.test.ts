import { describe, expect, it } from 'vitest';
import { evaluateConditions } from './conditions.ts';
import type { AlertFacts, AlertNames, HaltedClassFacts } from './facts.ts';
import { ALERT_RULES, DEFAULT_ALERT_SETTINGS } from './rules.ts';
import { toCandidate } from './texts.ts';

// class_after_halt (contract v1.1): a class started for a session its offering's 喊停 took off
// the schedule is a critical alert, named in Chinese, once the start is seen.

const DAY = '2026-11-27';
const at = (hhmm: string, day = DAY) => Date.parse(`${day}T${hhmm}:00+08:00`);
const halted: HaltedClassFacts = {
  session_id: 'se1',
  school_id: 's1',
  offering_id: 'o1',
  course_id: 'c1',
  teacher_id: 't1',
  planned_start_ms: at('15:30'),
  planned_end_ms: at('16:30'),
  halted_ms: at('10:05', '2026-11-26'),
  started_ms: at('15:32'),
};
const facts = (now: number, list: HaltedClassFacts[]): AlertFacts => ({
  day: DAY,
  now,
  sessions: [],
  schools: [],
  feedback: [],
  budgets: [],
  halted: list,
});
const names: AlertNames = {
  course: new Map([['c1', '少儿篮球']]),
  teacher: new Map([['t1', '王小明']]),
  provider: new Map(),
  operator: new Map(),
};

describe('class_after_halt', () => {
  it('fires once the class start is seen, one alert per session of the day', () => {
    expect(evaluateConditions(facts(at('15:31'), [halted]), DEFAULT_ALERT_SETTINGS)).toEqual([]);
    const [c, ...rest] = evaluateConditions(facts(at('15:32'), [halted]), DEFAULT_ALERT_SETTINGS);
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ id: 'class_after_halt:2026-11-27:se1', school_id: 's1', subject_id: 'se1' });
    expect(evaluateConditions(facts(at('15:32'), []), DEFAULT_ALERT_SETTINGS)).toEqual([]);
  });

  it('is critical, under 开课审批, alerts at once, and reads as a sentence with names', () => {
    expect(ALERT_RULES.class_after_halt).toMatchObject({ severity: 'critical', dimension: 'course' });
    expect(DEFAULT_ALERT_SETTINGS.pendingMinutes.class_after_halt).toBe(0);
    const [c] = evaluateConditions(facts(at('16:00'), [halted]), DEFAULT_ALERT_SETTINGS);
    expect(c && toCandidate(c, names, DEFAULT_ALERT_SETTINGS)).toMatchObject({
      severity: 'critical',
      title: '喊停后仍开课',
      detail: '「少儿篮球」（15:30–16:30）所属开课已于11月26日 10:05被喊停，任课教师王*明仍于15:32开课',
    });
  });
});
