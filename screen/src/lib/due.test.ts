import { describe, expect, it } from 'vitest';
import { dueEmptyText, dueMoment, minuteReached, momentLabel, rateView } from './due.ts';
import { NO_DATA } from './format.ts';
import { DAY, dayMetrics, dueFigures } from './test-due.ts';

describe('dueMoment', () => {
  it('reads the moment of the figures against the day shown', () => {
    expect(dueMoment(DAY, '2026-11-27T16:05:00+08:00')).toEqual({ kind: 'live', hhmm: '16:05' });
    expect(dueMoment(DAY, '2026-11-27T16:05:42.120+08:00')).toEqual({ kind: 'live', hhmm: '16:05' });
    // The same instant written in UTC is the same Shanghai minute.
    expect(dueMoment(DAY, '2026-11-27T08:05:00.000Z')).toEqual({ kind: 'live', hhmm: '16:05' });
    // A day that is over: the figures stand at its end (the next day's midnight).
    expect(dueMoment(DAY, '2026-11-28T00:00:00+08:00')).toEqual({ kind: 'over' });
    expect(dueMoment(DAY, '2026-11-26T20:00:00+08:00')).toEqual({ kind: 'ahead' });
    expect(dueMoment(DAY, undefined)).toEqual({ kind: 'over' });
    expect(momentLabel({ kind: 'live', hhmm: '16:05' })).toBe('截至 16:05');
    expect(momentLabel({ kind: 'over' })).toBe('全天');
  });
});

describe('rateView', () => {
  it('during the day: the due rate, labelled with the moment, the day beside it', () => {
    const v = rateView('attendance_rate', dayMetrics(), dueFigures('2026-11-27T16:05:00+08:00'), DAY);
    expect(v).toEqual({ value: 0.9, empty: NO_DATA, label: '截至 16:05', day: 0.44, dayLabel: '全天进度' });
  });
  it('names the day’s figure 全天, not progress, once every session of the day is due', () => {
    const all = dueFigures('2026-11-27T18:20:00+08:00', { sessions_due: 10, sessions_due_end: 9 });
    expect(rateView('attendance_rate', dayMetrics(), all, DAY).dayLabel).toBe('全天');
    expect(rateView('completion_rate', dayMetrics(), all, DAY).dayLabel).toBe('全天进度');
  });
  it('for a day that is over: one figure, the day’s, labelled 全天', () => {
    const v = rateView('completion_rate', dayMetrics(), dueFigures('2026-11-28T00:00:00+08:00'), DAY);
    expect(v).toEqual({ value: 0.1, empty: NO_DATA, label: '全天', day: undefined, dayLabel: '全天' });
  });
  it('says why a due rate is missing: not yet time, or no data at all', () => {
    const early = dueFigures('2026-11-27T15:20:00+08:00', {
      sessions_due: 0,
      students_due: 0,
      students_present: 0,
      teachers_present: 0,
      sessions_due_end: 0,
      sessions_completed: 0,
      attendance_rate: null,
      teacher_attendance_rate: null,
      completion_rate: null,
    });
    expect(rateView('attendance_rate', dayMetrics(), early, DAY)).toMatchObject({ value: null, empty: '未到上课时间' });
    expect(rateView('teacher_attendance_rate', dayMetrics(), early, DAY).empty).toBe('未到上课时间');
    expect(rateView('completion_rate', dayMetrics(), early, DAY).empty).toBe('未到下课时间');
    // Classes have begun but none is due to end: completion is not yet time, attendance is shown.
    const mid = dueFigures('2026-11-27T16:05:00+08:00', { sessions_due_end: 0, completion_rate: null });
    expect(dueEmptyText('completion_rate', mid, dayMetrics())).toBe('未到下课时间');
    // Nothing scheduled today: no data, not "not yet".
    expect(dueEmptyText('attendance_rate', early, dayMetrics({ sessions_scheduled: 0 }))).toBe(NO_DATA);
    // Sessions due but nobody enrolled in them: no data.
    expect(dueEmptyText('attendance_rate', mid, dayMetrics())).toBe(NO_DATA);
  });
  it('falls back to the day’s figures when a snapshot has no due object (an older server)', () => {
    expect(rateView('attendance_rate', dayMetrics(), undefined, DAY)).toMatchObject({ value: 0.44, label: '全天' });
  });

  it('tells the curve how far the day has come: the moment, all of a day over, none of one ahead', () => {
    expect(minuteReached('2026-11-27', '2026-11-27T08:05:00.000Z')).toBe(16 * 60 + 5);
    expect(minuteReached('2026-11-27', '2026-11-27T16:00:00.000Z')).toBeNull(); // 24:00 Shanghai
    expect(minuteReached('2026-11-27', '2026-11-26T08:00:00.000Z')).toBe(-1);
  });
});
