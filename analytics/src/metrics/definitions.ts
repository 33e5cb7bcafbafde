// The contract's metric definitions, in one place. The SQL in ./queries computes the counts;
// this module names them and turns counts into rates, so the API, the live push and the tests
// all derive the same numbers the same way.

/** Counts for one scope and day (and that day's term and settlement period). */
export interface MetricCounts {
  sessions_scheduled: number;
  sessions_started: number;
  sessions_completed: number;
  students_expected: number;
  students_present: number;
  teachers_present: number;
  students_enrolled: number;
  /** School head count from the registry: the denominator of enrollment_rate. */
  students: number;
  settled_amount: number;
  fees_enrolled: number;
  /** (v1.1) Scheduled sessions with a lesson_prepared before their planned start (教师备课). */
  sessions_prepared: number;
}

export interface MetricRates {
  completion_rate: number | null;
  attendance_rate: number | null;
  teacher_attendance_rate: number | null;
  enrollment_rate: number | null;
  /** (v1.1) 备课率 = sessions_prepared / sessions_scheduled. */
  prepared_rate: number | null;
}

export type Metrics = MetricCounts & MetricRates;
export type MetricName = keyof Metrics;

export const COUNT_NAMES: readonly (keyof MetricCounts)[] = [
  'sessions_scheduled',
  'sessions_started',
  'sessions_completed',
  'students_expected',
  'students_present',
  'teachers_present',
  'students_enrolled',
  'students',
  'settled_amount',
  'fees_enrolled',
  'sessions_prepared',
];

export const METRIC_NAMES: readonly MetricName[] = [
  ...COUNT_NAMES,
  'completion_rate',
  'attendance_rate',
  'teacher_attendance_rate',
  'enrollment_rate',
  'prepared_rate',
];

/**
 * (contract v1.1) The figures "due so far": at a moment T of the day, a session counts once it
 * is due to start (`planned_start` + grace ≤ T) or due to end (`planned_end` + grace ≤ T), so a
 * session that has not begun is never "absent" and a class not yet over never "incomplete".
 */
export const DUE_GRACE_MINUTES = 10;

/** Whether a session planned to start (or end) at `plannedMs` is due by `t`: planned + grace ≤ T. */
export function isDue(plannedMs: number, t: number): boolean {
  return plannedMs + DUE_GRACE_MINUTES * 60_000 <= t;
}

export interface DueCounts {
  /** Scheduled sessions due to start by T. */
  sessions_due: number;
  /** students_expected summed over the sessions due to start. */
  students_due: number;
  /** Enrolled students checked in (ts ≤ T) to sessions due to start. */
  students_present: number;
  /** Sessions due to start whose scheduled teacher checked in (ts ≤ T). */
  teachers_present: number;
  /** Scheduled sessions due to end by T. */
  sessions_due_end: number;
  /** Sessions due to end with a class_ended (ts ≤ T). */
  sessions_completed: number;
}

export interface DueRates {
  attendance_rate: number | null;
  teacher_attendance_rate: number | null;
  completion_rate: number | null;
}

export type DueFigures = DueCounts &
  DueRates & {
    /** T as RFC 3339 (+08:00). */
    at: string;
    grace_minutes: number;
  };

export const DUE_COUNT_NAMES: readonly (keyof DueCounts)[] = [
  'sessions_due',
  'students_due',
  'students_present',
  'teachers_present',
  'sessions_due_end',
  'sessions_completed',
];

export function zeroDueCounts(): DueCounts {
  return {
    sessions_due: 0,
    students_due: 0,
    students_present: 0,
    teachers_present: 0,
    sessions_due_end: 0,
    sessions_completed: 0,
  };
}

export function addDueCounts(into: DueCounts, more: Partial<DueCounts>): DueCounts {
  for (const k of DUE_COUNT_NAMES) into[k] += more[k] ?? 0;
  return into;
}

export function withDueRates(c: DueCounts, atIso: string): DueFigures {
  return {
    ...c,
    attendance_rate: rate(c.students_present, c.students_due),
    teacher_attendance_rate: rate(c.teachers_present, c.sessions_due),
    completion_rate: rate(c.sessions_completed, c.sessions_due_end),
    at: atIso,
    grace_minutes: DUE_GRACE_MINUTES,
  };
}

/** A rate is null, never 0, when its denominator is 0: "no data" is not "zero". */
export function rate(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

export function withRates(c: MetricCounts): Metrics {
  return {
    ...c,
    completion_rate: rate(c.sessions_completed, c.sessions_scheduled),
    attendance_rate: rate(c.students_present, c.students_expected),
    teacher_attendance_rate: rate(c.teachers_present, c.sessions_scheduled),
    enrollment_rate: rate(c.students_enrolled, c.students),
    prepared_rate: rate(c.sessions_prepared, c.sessions_scheduled),
  };
}

export function zeroCounts(): MetricCounts {
  return {
    sessions_scheduled: 0,
    sessions_started: 0,
    sessions_completed: 0,
    students_expected: 0,
    students_present: 0,
    teachers_present: 0,
    students_enrolled: 0,
    students: 0,
    settled_amount: 0,
    fees_enrolled: 0,
    sessions_prepared: 0,
  };
}

/** Sums counts (e.g. schools into a zone). Rates are recomputed, never averaged. */
export function addCounts(into: MetricCounts, more: Partial<MetricCounts>): MetricCounts {
  for (const k of COUNT_NAMES) into[k] += more[k] ?? 0;
  return into;
}

/**
 * Attribution rule the contract leaves implicit: a check-in or a class start/end counts for
 * the session it names when its own `ts` lies within a day of the session's planned day.
 * Sources stamp events when they happen, on the day of the class; the window lets the day's
 * query read three daily partitions instead of every check-in ever stored.
 */
export const ATTRIBUTION_WINDOW_DAYS = 1;
