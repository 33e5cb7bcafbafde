import { sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import { schoolFilter, type Scope } from '../metrics/scope.ts';
import { voidedSubjects, withoutHaltedSessions } from './decision-effects.ts';
import { latestOfferings } from './latest.ts';
import { sessionsBetweenSql } from './sessions.ts';
import { termDays } from './term.ts';

// 过程监管's line chart ("图、表多角度"): the term's sessions per day of the scope, scheduled,
// held and completed, counted exactly as the per-child table counts them (termActivityBySchool:
// the term's offerings less voided ones, halted offerings' later sessions dropped), so the
// days add up to the table's totals. A session's day is its planned start's in Beijing time,
// computed arithmetically (UTC+8 without daylight saving) so both engines agree. With `upTo`
// (epoch ms, replay's `at`), as the table counts them then.

export interface SessionDay {
  day: string;
  scheduled: number;
  held: number;
  completed: number;
}

const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;
const dayOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** Every day from the term's first to its last day with a session, gaps as zeros. */
export async function sessionsByDay(
  store: Store,
  scope: Scope,
  term: string,
  upTo: number | null = null,
): Promise<SessionDay[]> {
  const { first, last } = termDays(term);
  const counted = sql`SELECT offering_id FROM (${latestOfferings(scope, term, upTo)}) WHERE offering_id NOT IN (${voidedSubjects('course', upTo)})`;
  const inTerm = sql`${schoolFilter(scope)} AND offering_id IN (${counted})`;
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT intDiv(planned_start_ms + ${BEIJING_MS}, ${DAY_MS}) AS day_n, count() AS n,
           sum(started) AS n_started, sum(ended) AS n_ended
    FROM (${withoutHaltedSessions(sessionsBetweenSql(first, last, inTerm, upTo), sql`planned_start_ms, state, started, ended`, upTo)})
    WHERE state = 'session_scheduled'
    GROUP BY day_n`);
  const byDay = new Map(rows.map((r) => [num(r.day_n), r]));
  const days = [...byDay.keys()];
  if (days.length === 0) return [];
  const out: SessionDay[] = [];
  for (let d = Math.min(...days); d <= Math.max(...days); d++) {
    const r = byDay.get(d);
    out.push({
      day: dayOf(d),
      scheduled: r ? num(r.n) : 0,
      held: r ? num(r.n_started) : 0,
      completed: r ? num(r.n_ended) : 0,
    });
  }
  return out;
}
