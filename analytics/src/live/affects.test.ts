import { describe, expect, it } from 'vitest';
import { affects, sessionFiguresEffect, touchesTermFacts } from './affects.ts';
import type { ChangeSignal } from './changes.ts';

const signal = (over: Partial<ChangeSignal>): ChangeSignal => ({
  schools: ['s1'],
  tables: ['checkins'],
  days: ['2026-11-27'],
  max_ts_ms: 0,
  stored_ms: 0,
  rows: 1,
  ...over,
});
const s1Scopes = new Set(['city', 'school:s1', 'zone:z1', 'district:d1']);
const day = '2026-11-27';

describe('affects', () => {
  it('touches the scopes a school lies in, on the days of its events, from the first minute of check-ins', () => {
    const sig = signal({ checkin_from: { [day]: 931 } });
    expect(affects(sig, { kind: 'district', id: 'd1' }, day, s1Scopes)).toEqual({ figures: true, curveFrom: 931 });
    expect(affects(sig, { kind: 'district', id: 'd2' }, day, s1Scopes)).toEqual({ figures: false, curveFrom: null });
    expect(affects(sig, { kind: 'city' }, '2026-11-26', s1Scopes)).toEqual({ figures: false, curveFrom: null });
  });

  it('redraws the whole curve for an ingest that names no minute, and none for a batch without check-ins', () => {
    expect(affects(signal({}), { kind: 'city' }, day, s1Scopes).curveFrom).toBe(0);
    expect(affects(signal({ tables: ['class_events'] }), { kind: 'city' }, day, s1Scopes)).toEqual({
      figures: true,
      curveFrom: null,
    });
    // Check-ins of another day only: this day's curve stands.
    const other = signal({ days: [day, '2026-11-26'], checkin_from: { '2026-11-26': 900 } });
    expect(affects(other, { kind: 'city' }, day, s1Scopes)).toEqual({ figures: true, curveFrom: null });
  });

  it('lets term, month and registry rows touch every day, and registry rows every scope', () => {
    const enr = signal({ tables: ['enrollments'], days: ['2026-09-05'] });
    expect(affects(enr, { kind: 'school', id: 's1' }, day, s1Scopes).figures).toBe(true);
    // A lesson prepared the day before (v1.1) moves the day of its session.
    const prep = signal({ tables: ['lesson_preparations'], days: ['2026-11-26'] });
    expect(affects(prep, { kind: 'school', id: 's1' }, day, s1Scopes)).toEqual({ figures: true, curveFrom: null });
    expect(affects(prep, { kind: 'district', id: 'd2' }, day, s1Scopes).figures).toBe(false);
    const reg = signal({ tables: ['registry'], schools: [''], days: ['2026-09-01'] });
    expect(affects(reg, { kind: 'district', id: 'd9' }, day, new Set())).toEqual({ figures: true, curveFrom: 0 });
  });

  it('lets the 督办 loop (rectifications) move no figure', () => {
    const rect = signal({ tables: ['rectifications'], schools: ['s1', ''], days: [day] });
    expect(affects(rect, { kind: 'school', id: 's1' }, day, s1Scopes)).toEqual({ figures: false, curveFrom: null });
    const mixed = signal({ tables: ['rectifications', 'checkins'], days: [day] });
    expect(affects(mixed, { kind: 'school', id: 's1' }, day, s1Scopes).figures).toBe(true);
  });

  it('names the tables behind the cached term facts', () => {
    expect(touchesTermFacts(['checkins', 'sessions'])).toBe(false);
    expect(touchesTermFacts(['offerings'])).toBe(true);
    expect(touchesTermFacts(['enrollments'])).toBe(true);
  });
});

describe('sessionFiguresEffect', () => {
  it('names the schools of check-ins, class events and preparations', () => {
    expect(sessionFiguresEffect(signal({ tables: ['checkins', 'class_events'], schools: ['s1', 's2'] }))).toEqual({
      kind: 'schools',
      schools: ['s1', 's2'],
    });
    expect(sessionFiguresEffect(signal({ tables: ['lesson_preparations'] }))).toEqual({
      kind: 'schools',
      schools: ['s1'],
    });
  });

  it('moves every school on a schedule, enrollment, registry or decision row, or a school-less row', () => {
    for (const t of ['sessions', 'enrollments', 'offerings', 'registry', 'supervision_log'] as const) {
      expect(sessionFiguresEffect(signal({ tables: ['checkins', t] }))).toEqual({ kind: 'all' });
    }
    expect(sessionFiguresEffect(signal({ schools: ['s1', ''] }))).toEqual({ kind: 'all' });
  });

  it('moves nothing on rows that no session figure counts', () => {
    expect(sessionFiguresEffect(signal({ tables: ['settlements', 'feedback', 'rectifications'] }))).toEqual({
      kind: 'none',
    });
  });
});
