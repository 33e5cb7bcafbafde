import { describe, expect, it } from 'vitest';
import type { Overview } from '../metrics/overview.ts';
import { alertsJudgedAt, DATA_LATE_AFTER_MS, lateDataMinutes } from './late.ts';

// When the wall says its data is late: only while events are still expected.

const at = (hhmm: string) => Date.parse(`2026-12-03T${hhmm}:00+08:00`);

function overview(o: { asOf: string | null; due: number; dueEnd: number; scheduled?: number; at?: string }): Overview {
  return {
    at: o.at ?? null,
    as_of: o.asOf === null ? null : new Date(at(o.asOf)).toISOString(),
    due: { sessions_due: o.due, sessions_due_end: o.dueEnd },
    metrics: { sessions_scheduled: o.scheduled ?? 100 },
  } as unknown as Overview;
}

describe('lateDataMinutes', () => {
  it('counts the minutes behind while classes run and the newest event is older than the limit', () => {
    expect(lateDataMinutes(overview({ asOf: '16:00', due: 80, dueEnd: 10 }), at('16:42'))).toBe(42);
  });

  it('says nothing within the limit', () => {
    const now = at('16:00') + DATA_LATE_AFTER_MS;
    expect(lateDataMinutes(overview({ asOf: '16:00', due: 80, dueEnd: 10 }), now)).toBeNull();
    expect(lateDataMinutes(overview({ asOf: '16:00', due: 80, dueEnd: 10 }), now + 60_000)).toBe(6);
  });

  it('says nothing before the first class is due or after the last one ended', () => {
    expect(lateDataMinutes(overview({ asOf: '09:00', due: 0, dueEnd: 0 }), at('15:10'))).toBeNull();
    expect(lateDataMinutes(overview({ asOf: '17:40', due: 100, dueEnd: 100 }), at('20:00'))).toBeNull();
  });

  it('says nothing for a replayed moment or before any event', () => {
    expect(lateDataMinutes(overview({ asOf: '16:00', due: 80, dueEnd: 10, at: '16:42' }), at('16:42'))).toBeNull();
    expect(lateDataMinutes(overview({ asOf: null, due: 80, dueEnd: 10 }), at('16:42'))).toBeNull();
  });
});

describe('alertsJudgedAt', () => {
  it('is the clock while the data is on time, and the newest event plus the limit while it is late', () => {
    expect(alertsJudgedAt(overview({ asOf: '16:40', due: 80, dueEnd: 10 }), at('16:42'))).toBe(at('16:42'));
    expect(alertsJudgedAt(overview({ asOf: '16:00', due: 80, dueEnd: 10 }), at('16:42'))).toBe(
      at('16:00') + DATA_LATE_AFTER_MS,
    );
    // After the last class nothing is late: the clock.
    expect(alertsJudgedAt(overview({ asOf: '17:40', due: 100, dueEnd: 100 }), at('20:00'))).toBe(at('20:00'));
  });
});
