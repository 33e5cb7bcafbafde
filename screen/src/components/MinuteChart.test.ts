import { describe, expect, it } from 'vitest';
import { curvePoints } from './MinuteChart.tsx';

describe('the check-in curve', () => {
  const minutes = [
    { minute: 15 * 60 + 20, students: 120, teachers: 9 },
    { minute: 15 * 60 + 40, students: 3, teachers: 0 },
  ];

  it('ends at the moment reached: a quiet past minute is zero, a future one is blank', () => {
    const points = curvePoints(minutes, 15 * 60 + 30);
    const at = (hh: number, mm: number) => points.find((p) => p.minute === hh * 60 + mm);
    expect(at(15, 20)).toEqual({ minute: 920, students: 120, teachers: 9 });
    expect(at(15, 25)).toEqual({ minute: 925, students: 0, teachers: 0 });
    expect(at(15, 30)).toEqual({ minute: 930, students: 0, teachers: 0 });
    // 15:40 has check-ins stored (clock skew, a replayed moment) but lies after the moment.
    expect(at(15, 40)).toEqual({ minute: 940, students: null, teachers: null });
    expect(at(18, 30)).toEqual({ minute: 1110, students: null, teachers: null });
  });

  it('draws the whole window of a day that is over, and none of a day not begun', () => {
    expect(curvePoints(minutes, null).every((p) => p.students !== null)).toBe(true);
    expect(curvePoints(minutes, -1).every((p) => p.students === null)).toBe(true);
    expect(curvePoints(minutes, null)).toHaveLength(18 * 60 + 30 - 15 * 60 + 1);
  });
});
