import { describe, expect, it } from 'vitest';
import type { SupervisionEvent } from '../contract/supervision.ts';
import { affects, decisionSignal, touchesTermFacts } from './affects.ts';

// A decision that moves figures (contract v1.1) is a change signal of supervision_log: it drops
// the cached term facts and recomputes its school's scopes on every day; a 督办 loop record
// (销号 / 退回) or a notice moves nothing.

const event = (over: Partial<SupervisionEvent>): SupervisionEvent => ({
  type: 'decision',
  notice_id: 'n1',
  ts: '2026-11-27T15:00:00.000+08:00',
  issuer_id: 'u1',
  issuer_role: 'leader',
  target_type: 'school',
  target_id: 's1',
  dimension: 'course',
  subject_id: 'o1',
  decision: 'voided',
  content: '否定',
  ...over,
});
const s1Scopes = new Set(['city', 'school:s1', 'zone:z1', 'district:d1']);

describe('decisionSignal', () => {
  it('moves the figures of its school’s scopes on every day, and the term facts', () => {
    const signal = decisionSignal(event({}), 1);
    expect(signal).toMatchObject({ schools: ['s1'], tables: ['supervision_log'], days: ['2026-11-27'] });
    if (!signal) return;
    expect(touchesTermFacts(signal.tables)).toBe(true);
    expect(affects(signal, { kind: 'district', id: 'd1' }, '2026-12-01', s1Scopes)).toEqual({
      figures: true,
      curveFrom: null,
    });
    expect(affects(signal, { kind: 'district', id: 'd2' }, '2026-11-27', s1Scopes).figures).toBe(false);
  });

  it('names every scope for a target that is not a school', () => {
    expect(decisionSignal(event({ target_type: 'provider', target_id: 'p1' }), 1)?.schools).toEqual(['']);
  });

  it('is null for what moves no figure', () => {
    expect(decisionSignal(event({ decision: 'closed', subject_id: 'n0' }), 1)).toBeNull();
    expect(decisionSignal(event({ decision: 'returned', subject_id: 'n0' }), 1)).toBeNull();
    expect(decisionSignal(event({ type: 'notice_issued', decision: 'notice' }), 1)).toBeNull();
    for (const d of ['approved', 'rejected', 'halted'] as const)
      expect(decisionSignal(event({ decision: d }), 1)).not.toBeNull();
  });
});
