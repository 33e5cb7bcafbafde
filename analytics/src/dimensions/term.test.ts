import { describe, expect, it } from 'vitest';
import { isoWeek, termDays, termPeriods } from './term.ts';

describe('term and week helpers', () => {
  it('gives a term its days and settlement periods', () => {
    expect(termDays('2026-autumn')).toEqual({ first: '2026-08-01', last: '2027-01-31' });
    expect(termDays('2027-spring')).toEqual({ first: '2027-02-01', last: '2027-07-31' });
    expect(termPeriods('2026-autumn')).toEqual(['2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01']);
    expect(() => termDays('2026-winter')).toThrow(RangeError);
  });
  it('finds the ISO week (Monday to Sunday) of a day', () => {
    expect(isoWeek('2026-11-27')).toEqual({ monday: '2026-11-23', sunday: '2026-11-29' });
    expect(isoWeek('2026-11-23')).toEqual({ monday: '2026-11-23', sunday: '2026-11-29' });
    expect(isoWeek('2026-11-29')).toEqual({ monday: '2026-11-23', sunday: '2026-11-29' });
    expect(isoWeek('2027-01-01')).toEqual({ monday: '2026-12-28', sunday: '2027-01-03' });
    expect(() => isoWeek('nope')).toThrow(RangeError);
  });
});
