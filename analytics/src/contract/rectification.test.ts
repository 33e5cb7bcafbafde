import { describe, expect, it } from 'vitest';
import { toRow } from '../clickhouse/rows.ts';
import { validateValue, eventKey } from './validate.ts';

// (v1.1) edu.rectification.v1: the school's side of 督办.
const NOW = Date.parse('2026-11-28T12:00:00+08:00');
const received = {
  id: 'r-1',
  type: 'notice_received',
  ts: '2026-11-28T10:00:00+08:00',
  school_id: 's1',
  notice_id: 'n-abc',
  receiver_id: 'u-head',
};
const submitted = {
  id: 'r-2',
  type: 'rectification_submitted',
  ts: '2026-11-28T11:00:00+08:00',
  school_id: 's1',
  notice_id: 'n-abc',
  submission_id: 'sub-1',
  content: '已整改',
  attachments: [{ name: '照片.jpg', url: 'https://files.example/a.jpg' }],
};
const code = (v: ReturnType<typeof validateValue>) => (v.ok ? 'ok' : v.code);

describe('rectification events', () => {
  it('are accepted on edu.rectification.v1 only', () => {
    expect(code(validateValue(received, 'edu.rectification.v1', NOW))).toBe('ok');
    expect(code(validateValue(submitted, 'edu.rectification.v1', NOW))).toBe('ok');
    expect(code(validateValue(submitted, 'edu.material.v1', NOW))).toBe('wrong_topic');
  });

  it('may omit school_id (a notice to a provider that concerned no school); keyed by the notice then', () => {
    const { school_id: _s, ...noSchool } = submitted;
    const v = validateValue(noSchool, 'edu.rectification.v1', NOW);
    expect(code(v)).toBe('ok');
    expect(v.ok && eventKey(v.event)).toBe('n-abc');
    const withSchool = validateValue(submitted, undefined, NOW);
    expect(withSchool.ok && eventKey(withSchool.event)).toBe('s1');
  });

  it.each([
    ['no submission_id', { ...submitted, submission_id: undefined }],
    ['no attachments array', { ...submitted, attachments: undefined }],
    ['an attachment that is not a URL', { ...submitted, attachments: [{ name: 'a', url: 'file:///etc/passwd' }] }],
    ['no receiver', { ...received, receiver_id: undefined }],
    ['a bad notice id', { ...received, notice_id: 'a b' }],
  ])('refuses %s', (_name, value) => {
    expect(code(validateValue(value, 'edu.rectification.v1', NOW))).toBe('invalid_fields');
  });

  it('map to one rectifications row each, attachments as parallel arrays', () => {
    const v = validateValue(submitted, undefined, NOW);
    if (!v.ok) throw new Error(v.reason);
    expect(toRow(v.event, 5, v.tsMs)).toEqual({
      table: 'rectifications',
      row: {
        id: 'r-2',
        ts_ms: Date.parse(submitted.ts),
        ingested_ms: 5,
        type: 'rectification_submitted',
        school_id: 's1',
        notice_id: 'n-abc',
        receiver_id: '',
        submission_id: 'sub-1',
        content: '已整改',
        attachment_names: ['照片.jpg'],
        attachment_urls: ['https://files.example/a.jpg'],
      },
    });
  });
});
