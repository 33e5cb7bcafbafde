import { describe, expect, it } from 'vitest';
import { fixtureCityEvents } from '../testing/fixture-city.ts';
import { TOPIC_OF_TYPE } from './topics.ts';
import { DEFAULT_LIMITS, eventKey, validateEvent, validateValue } from './validate.ts';

const NOW = Date.parse('2026-11-28T12:00:00+08:00');
const checkin = {
  id: 'e-1',
  type: 'checkin',
  ts: '2026-11-27T15:45:00.120+08:00',
  school_id: 's1',
  session_id: 'se1',
  person: 'student',
  person_id: 'st1',
  method: 'face',
};
const code = (v: ReturnType<typeof validateValue>) => (v.ok ? 'ok' : v.code);

describe('validateEvent', () => {
  it('accepts every event of the fixture city on its own topic', () => {
    for (const e of fixtureCityEvents()) {
      const v = validateValue(e, TOPIC_OF_TYPE[e.type], NOW);
      expect(v.ok ? 'ok' : v.reason).toBe('ok');
    }
  });

  it('ignores and strips unknown extra fields (forward compatibility)', () => {
    const v = validateValue({ ...checkin, added_in_v1_1: true }, 'edu.checkin.v1', NOW);
    expect(v.ok).toBe(true);
    expect(v.ok && 'added_in_v1_1' in v.event).toBe(false);
  });

  it.each([
    ['invalid JSON', '{"id":', 'invalid_json'],
    ['not UTF-8', Buffer.from([0xc3, 0x28]), 'invalid_json'],
    ['an array', '[]', 'not_an_object'],
    ['null', 'null', 'not_an_object'],
    ['unknown type', JSON.stringify({ ...checkin, type: 'nope' }), 'unknown_type'],
    ['missing type', JSON.stringify({ ...checkin, type: undefined }), 'unknown_type'],
    ['a type on another topic', JSON.stringify({ ...checkin, type: 'feedback' }), 'wrong_topic'],
    ['a wrong field type', JSON.stringify({ ...checkin, person: 1 }), 'invalid_fields'],
    ['a missing field', JSON.stringify({ ...checkin, person_id: undefined }), 'invalid_fields'],
    ['a bad id', JSON.stringify({ ...checkin, id: 'has space' }), 'invalid_fields'],
    ['a too long id', JSON.stringify({ ...checkin, id: 'x'.repeat(65) }), 'invalid_fields'],
    ['a ts without offset', JSON.stringify({ ...checkin, ts: '2026-11-27T15:45:00' }), 'invalid_fields'],
    ['an impossible date', JSON.stringify({ ...checkin, ts: '2026-13-45T15:45:00+08:00' }), 'invalid_fields'],
    ['a ts far in the future', JSON.stringify({ ...checkin, ts: '2027-11-27T15:45:00+08:00' }), 'ts_out_of_range'],
    ['a ts far in the past', JSON.stringify({ ...checkin, ts: '2019-11-27T15:45:00+08:00' }), 'ts_out_of_range'],
    ['an oversize message', JSON.stringify({ ...checkin, pad: 'x'.repeat(DEFAULT_LIMITS.maxEventBytes) }), 'oversize'],
  ])('rejects %s', (_label, raw, expected) => {
    expect(code(validateEvent(raw, 'edu.checkin.v1', NOW))).toBe(expected);
  });

  it('enforces cross-field rules', () => {
    const session = fixtureCityEvents().find((e) => e.type === 'session_scheduled')!;
    const backwards = { ...session, planned_end: '2026-11-27T15:00:00+08:00' };
    expect(code(validateValue(backwards, undefined, NOW))).toBe('invalid_fields');
    const course = {
      id: 'c',
      type: 'course',
      ts: checkin.ts,
      school_id: 's1',
      entity_id: 'c1',
      name: '足球',
      kind: 'external',
      category: 'sports',
    };
    expect(code(validateValue(course, undefined, NOW))).toBe('invalid_fields');
    expect(code(validateValue({ ...course, provider_id: 'p1' }, undefined, NOW))).toBe('ok');
  });

  it('validates a lesson_prepared (v1.1) on edu.class.v1, plan_url optional', () => {
    const prep = {
      id: 'prep-1',
      type: 'lesson_prepared',
      ts: '2026-11-27T09:00:00+08:00',
      school_id: 's1',
      session_id: 'se1',
      teacher_id: 't1',
      title: '篮球训练教案',
    };
    expect(code(validateValue(prep, 'edu.class.v1', NOW))).toBe('ok');
    expect(code(validateValue({ ...prep, plan_url: 'https://plans.example/se1.pdf' }, 'edu.class.v1', NOW))).toBe('ok');
    expect(code(validateValue(prep, 'edu.checkin.v1', NOW))).toBe('wrong_topic');
    expect(code(validateValue({ ...prep, plan_url: 'javascript:alert(1)' }, 'edu.class.v1', NOW))).toBe(
      'invalid_fields',
    );
    expect(code(validateValue({ ...prep, title: '' }, 'edu.class.v1', NOW))).toBe('invalid_fields');
    expect(code(validateValue({ ...prep, session_id: undefined }, 'edu.class.v1', NOW))).toBe('invalid_fields');
  });

  it('keys by school, or by entity for school-less registry types', () => {
    const v = validateValue(checkin, undefined, NOW);
    expect(v.ok && eventKey(v.event)).toBe('s1');
    const d = validateValue(
      { id: 'd', type: 'district', ts: checkin.ts, entity_id: 'd1', name: '东城区' },
      undefined,
      NOW,
    );
    expect(d.ok && eventKey(d.event)).toBe('d1');
  });
});
