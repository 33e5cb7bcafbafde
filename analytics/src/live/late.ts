import type { Overview } from '../metrics/overview.ts';

// Data that is late, as opposed to a wall that is stale (WALL_STALE_AFTER_MS, protocol.ts):
// the pushes arrive, but the newest event in them is old while the schools' systems are still
// expected to be sending. Then every "due so far" rate is low and every rule that fires on an
// event's absence (教师未签到, 课程未开课, 学生未签退) may be firing on events that have not
// arrived yet: the wall must say so, or a leader reads a red city that is only a slow pipe, and
// the alert rules are then judged at the moment the data has reached (alertsJudgedAt).

/**
 * How far behind the service's clock the newest event may be, while classes run, before the
 * wall says the data is late. During the window a city sends check-ins every second; five
 * minutes without any is an intake problem, not a quiet afternoon.
 */
export const DATA_LATE_AFTER_MS = 5 * 60_000;

/**
 * Minutes the overview's newest event is behind `now` (the service's clock), when that counts
 * as late: some session has started and some has not yet reached its end (with grace), so
 * events are still expected. null otherwise: before the first class, after the last, on a
 * replayed moment (`at`), or before any event at all (nothing to be late against).
 */
export function lateDataMinutes(o: Overview, now: number): number | null {
  if (o.at !== null || o.as_of === null) return null;
  const running = o.due.sessions_due > 0 && o.due.sessions_due_end < o.metrics.sessions_scheduled;
  const behind = now - Date.parse(o.as_of);
  return running && behind > DATA_LATE_AFTER_MS ? Math.floor(behind / 60_000) : null;
}

/**
 * The moment the alert rules are judged at, given the city's overview at `now`: `now`, or,
 * while the data is late (lateDataMinutes), the newest event plus DATA_LATE_AFTER_MS. An
 * inhibition, as Alertmanager's, but in time: a teacher not yet seen checking in, a class not
 * seen starting, a student not seen leaving are alerts for what the schools were due to have
 * sent by then, not for events still on their way. Never earlier than an evaluation taken
 * while the data was on time (its newest event was then within the same margin of its now).
 */
export function alertsJudgedAt(o: Overview, now: number): number {
  if (lateDataMinutes(o, now) === null) return now;
  return Date.parse(o.as_of!) + DATA_LATE_AFTER_MS;
}
