import { DAY_RE, shanghaiMidnight, termOfDay, type Term } from '@edu/analytics';
import { WINDOW } from './rates.ts';

// The school calendar the simulated city keeps: Asia/Shanghai days, the term a day belongs to
// (the contract's termOfDay), when that term's set-up happened, and which days are school days.

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export function assertDay(day: string): void {
  if (!DAY_RE.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw new RangeError(`not a day (YYYY-MM-DD): ${JSON.stringify(day)}`);
  }
}

/** Days since 1970-01-01 (a stable number to seed per-day randomness with). */
export function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

export function addDays(day: string, n: number): string {
  return new Date((dayNumber(day) + n) * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayIndex(day: string): number {
  return (new Date(dayNumber(day) * DAY_MS).getUTCDay() + 6) % 7;
}

/** Epoch ms of a minute of a Shanghai day, plus extra ms. */
export function atMinute(day: string, minuteOfDay: number, extraMs = 0): number {
  return shanghaiMidnight(day) + minuteOfDay * MINUTE_MS + extraMs;
}

/** The played after-school window of `day` in epoch ms (see rates.WINDOW). */
export function windowOf(day: string): { start: number; end: number } {
  return { start: atMinute(day, WINDOW.startMinute), end: atMinute(day, WINDOW.endMinute) };
}

/** `20261127`: the day inside ids. */
export function compactDay(day: string): string {
  return day.replaceAll('-', '');
}

/** First teaching day of a term (registration and course selection happen before it). */
export function termStart(term: Term): string {
  const [year, season] = term.split('-') as [string, 'autumn' | 'spring'];
  return season === 'autumn' ? `${year}-09-01` : `${year}-02-20`;
}

/** `2026年秋季学期` for titles (analytics' one formatter). */
export { termLabel } from '@edu/analytics';

/**
 * The day the term's set-up starts: the term's first day, or three weeks before `day` when the
 * simulated day falls in the term's first weeks, so that registrations, enrollments and
 * withdrawals always precede the day played. For any day after the third week of a term it is
 * the same day, so replays on later days resend identical set-up events.
 */
export function setupAnchor(day: string): string {
  const start = termStart(termOfDay(day));
  const latest = addDays(day, -21);
  return start < latest ? start : latest;
}

// Approximate holidays and vacations (month-day ranges, inclusive): summer and winter
// vacations, National Day, New Year and Labour Day. Lunar holidays move every year and are
// left out: a simulated city does not need them to look real on a wall.
const HOLIDAYS: readonly (readonly [string, string])[] = [
  ['01-01', '01-01'],
  ['01-20', '02-17'],
  ['05-01', '05-05'],
  ['07-10', '08-31'],
  ['10-01', '10-07'],
];

/** Monday to Friday outside the holidays above. */
export function isSchoolDay(day: string): boolean {
  if (weekdayIndex(day) >= 5) return false;
  const md = day.slice(5);
  return !HOLIDAYS.some(([from, to]) => md >= from && md <= to);
}

/** The next day after `day` that is a school day (or simply the next day when `anyDay`). */
export function nextSchoolDay(day: string, anyDay = false): string {
  let d = addDays(day, 1);
  while (!anyDay && !isSchoolDay(d)) d = addDays(d, 1);
  return d;
}
