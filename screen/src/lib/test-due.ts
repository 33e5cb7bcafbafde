import type { DueFigures, Metrics } from '@edu/analytics';

// The component tests' figures of one scope on 2026-11-27: the day's (ten sessions, most not yet
// begun at 16:05) and those due so far at a given moment (contract v1.1).

export const DAY = '2026-11-27';

export const dayMetrics = (over: Partial<Metrics> = {}): Metrics => ({
  sessions_scheduled: 10,
  sessions_started: 4,
  sessions_completed: 1,
  students_expected: 250,
  students_present: 110,
  teachers_present: 4,
  students_enrolled: 300,
  students: 500,
  settled_amount: 0,
  fees_enrolled: 0,
  sessions_prepared: 9,
  completion_rate: 0.1,
  attendance_rate: 0.44,
  teacher_attendance_rate: 0.4,
  enrollment_rate: 0.6,
  prepared_rate: 0.9,
  ...over,
});

export const dueFigures = (at: string, over: Partial<DueFigures> = {}): DueFigures => ({
  sessions_due: 4,
  students_due: 120,
  students_present: 108,
  teachers_present: 4,
  sessions_due_end: 1,
  sessions_completed: 1,
  attendance_rate: 0.9,
  teacher_attendance_rate: 1,
  completion_rate: 1,
  at,
  grace_minutes: 10,
  ...over,
});
