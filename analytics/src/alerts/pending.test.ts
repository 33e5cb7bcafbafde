import { describe, expect, it } from 'vitest';
import type { AlertRule } from '../live/protocol.ts';
import { advancePending, type PendingState } from './pending.ts';
import { DEFAULT_ALERT_SETTINGS } from './rules.ts';

const MIN = 60_000;
const pending = { ...DEFAULT_ALERT_SETTINGS.pendingMinutes, low_attendance: 10, teacher_not_checked_in: 5 };
const cond = (id: string, rule: AlertRule = 'low_attendance') => ({ id, rule });

/** Runs evaluations every minute of a fake clock; `holds(t)` says which conditions hold then. */
function play(minutes: number, holds: (minute: number) => { id: string; rule: AlertRule }[]) {
  let state: PendingState = {};
  const fired = new Map<string, number>();
  const active = new Set<string>();
  const t0 = Date.parse('2026-11-27T15:00:00+08:00');
  for (let m = 0; m <= minutes; m++) {
    const now = t0 + m * MIN;
    const conds = holds(m);
    const out = advancePending(state, conds, now, pending, active);
    state = out.state;
    // The book: firing conditions are alerts; a cleared condition resolves its alert.
    for (const id of [...active]) if (!conds.some((c) => c.id === id)) active.delete(id);
    for (const c of out.firing) {
      if (!fired.has(c.id)) fired.set(c.id, m);
      active.add(c.id);
    }
  }
  return { fired, state };
}

describe('pending period', () => {
  it('a condition shorter than the pending period never becomes an alert', () => {
    // Low attendance for 9 minutes (15:00–15:08), then fine: 10 minutes pending never reached.
    const { fired, state } = play(30, (m) => (m < 9 ? [cond('a')] : []));
    expect(fired.size).toBe(0);
    expect(state).toEqual({});
  });

  it('one held for the pending period fires exactly then, and stays while it holds', () => {
    const { fired } = play(30, (m) => (m >= 3 ? [cond('a')] : []));
    expect(fired.get('a')).toBe(13);
  });

  it('a condition that clears and comes back starts over', () => {
    // Holds 0–7, clears at 8, holds again from 9: fires at 19, not at 10.
    const { fired } = play(30, (m) => (m === 8 ? [] : [cond('a')]));
    expect(fired.get('a')).toBe(19);
  });

  it('each rule has its own period', () => {
    const { fired } = play(30, () => [cond('t', 'teacher_not_checked_in'), cond('a')]);
    expect(Object.fromEntries(fired)).toEqual({ t: 5, a: 10 });
  });

  it('an alert already open stays firing even when the pending state was lost', () => {
    const now = Date.parse('2026-11-27T16:00:00+08:00');
    const out = advancePending({}, [cond('a')], now, pending, new Set(['a']));
    expect(out.firing.map((c) => c.id)).toEqual(['a']);
    expect(out.state).toEqual({ a: now });
  });

  it('a clock that went back does not make a condition older than now', () => {
    const now = Date.parse('2026-11-27T16:00:00+08:00');
    const out = advancePending({ a: now + 30 * MIN }, [cond('a')], now, pending);
    expect(out.state.a).toBe(now);
    expect(out.waiting).toHaveLength(1);
  });
});
