// Calendar helpers for the dimension queries: a term's days and settlement periods, and the
// ISO week (Monday to Sunday) of a day, all in Asia/Shanghai calendar days.

const TERM_RE = /^(\d{4})-(autumn|spring)$/;

/** First and last calendar day of a term: autumn runs August–January, spring February–July. */
export function termDays(term: string): { first: string; last: string } {
  const m = TERM_RE.exec(term);
  if (!m) throw new RangeError(`not a term: ${JSON.stringify(term)}`);
  const year = Number(m[1]);
  return m[2] === 'autumn'
    ? { first: `${year}-08-01`, last: `${year + 1}-01-31` }
    : { first: `${year}-02-01`, last: `${year}-07-31` };
}

/** The settlement periods (`YYYY-MM`) of a term, in order. */
export function termPeriods(term: string): string[] {
  const { first } = termDays(term);
  const year = Number(first.slice(0, 4));
  const start = Number(first.slice(5, 7));
  return Array.from({ length: 6 }, (_, i) => {
    const month = start + i;
    return month > 12
      ? `${year + 1}-${String(month - 12).padStart(2, '0')}`
      : `${year}-${String(month).padStart(2, '0')}`;
  });
}

const DAY_MS = 86_400_000;
const dayName = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** Monday and Sunday of the ISO week that contains `day` (YYYY-MM-DD). */
export function isoWeek(day: string): { monday: string; sunday: string } {
  const n = Date.parse(`${day}T00:00:00Z`) / DAY_MS;
  if (!Number.isInteger(n)) throw new RangeError(`not a day: ${JSON.stringify(day)}`);
  const weekday = (new Date(n * DAY_MS).getUTCDay() + 6) % 7; // Monday = 0
  return { monday: dayName(n - weekday), sunday: dayName(n - weekday + 6) };
}
