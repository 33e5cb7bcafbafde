import type { RejectCode } from '@edu/analytics';

// The hostile-input corpus, one place for the dead-letter test and the bad-input suite
// (deploy/bench/hostile.ts): each message with the reject code it must get. Every one is a
// check-in of the fixture school `s1` with one thing wrong.

export function goodCheckin(id: string) {
  return {
    id,
    type: 'checkin',
    ts: '2026-11-27T15:45:00.000+08:00',
    school_id: 's1',
    session_id: 'se2',
    person: 'student',
    person_id: `late-${id}`,
    method: 'card',
  };
}

/** A parent's feedback on a course of `s1`, with the given comment. */
export function goodFeedback(id: string, comment: string) {
  return {
    id,
    type: 'feedback',
    ts: '2026-11-27T17:00:00+08:00',
    school_id: 's1',
    from: 'parent',
    target: 'course',
    target_id: 'c1',
    score: 2,
    comment,
  };
}

export interface HostileMessage {
  name: string;
  value: Buffer | string;
  code: RejectCode;
  /** Over HTTP, where no topic is given and the type alone decides, when that differs. */
  httpCode?: RejectCode;
}

export function hostileMessages(): HostileMessage[] {
  const g = goodCheckin;
  return [
    { name: 'invalid JSON', code: 'invalid_json', value: '{"id": "x1", "type": "checkin", ' },
    { name: 'wrong type (person: 42)', code: 'invalid_fields', value: JSON.stringify({ ...g('wt-1'), person: 42 }) },
    {
      name: 'missing field (session_id)',
      code: 'invalid_fields',
      value: JSON.stringify({ ...g('mf-1'), session_id: undefined }),
    },
    { name: 'unknown type', code: 'unknown_type', value: JSON.stringify({ ...g('ut-1'), type: 'teleported' }) },
    {
      name: 'timestamp without offset',
      code: 'invalid_fields',
      value: JSON.stringify({ ...g('ts-1'), ts: '2026-11-27 15:45:00' }),
    },
    {
      name: 'timestamp far in the future',
      code: 'ts_out_of_range',
      value: JSON.stringify({ ...g('ts-2'), ts: '2100-01-01T00:00:00+08:00' }),
    },
    {
      name: 'timestamp far in the past',
      code: 'ts_out_of_range',
      value: JSON.stringify({ ...g('ts-3'), ts: '1700-01-01T00:00:00+08:00' }),
    },
    // Ids are refs ([A-Za-z0-9_.:-]{1,64}): SQL in one never reaches a query.
    {
      name: 'SQL in an id field',
      code: 'invalid_fields',
      value: JSON.stringify({ ...g('sq-1'), session_id: "se2'); DROP TABLE checkins; --" }),
    },
    { name: 'a JSON array, not an object', code: 'not_an_object', value: '[1, 2, 3]' },
    {
      name: 'oversize (200 KB)',
      code: 'oversize',
      value: JSON.stringify({ ...g('big-1'), pad: 'x'.repeat(200 * 1024) }),
    },
    {
      name: 'type of another topic',
      code: 'wrong_topic',
      // Over HTTP the type decides the topic, so the event is a feedback without its fields.
      httpCode: 'invalid_fields',
      value: JSON.stringify({ ...g('wt-2'), type: 'feedback' }),
    },
    { name: 'not UTF-8', code: 'invalid_json', value: Buffer.from([0xff, 0xfe, 0x00, 0x7b]) },
  ];
}

/** Text fields are data: HTML and SQL in them are stored as sent and rendered inert. */
export const HOSTILE_TEXT = `<img src=x onerror=alert(1)><script>alert('x')</script>'); DROP TABLE feedback; --`;
