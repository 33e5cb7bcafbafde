import { sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import { rate } from '../metrics/definitions.ts';
import { firstPreparations, PREPARED } from '../metrics/queries/prepared.ts';
import { termFacts } from '../metrics/queries/term-facts.ts';
import { schoolFilter, type Scope } from '../metrics/scope.ts';
import { rollUp, scopeChildren, type Child } from './children.ts';
import { latestOfferings } from './latest.ts';
import { sessionsBetweenSql } from './sessions.ts';
import { termDays } from './term.ts';
import { voidedSubjects, withoutHaltedSessions } from './decision-effects.ts';

// 过程监管 (项目内容): participation of a term per child of the scope. Enrolled students are
// the contract's students_enrolled (distinct per school, summed), from metrics' term facts.
// With `upTo` (epoch ms, replay's `at`), every figure as it stood then: offerings, schedule,
// class and preparation events, enrollments and the bureau's decisions with ts ≤ upTo (the
// registry's head counts as they are now).

export interface ParticipationRow {
  child: Child;
  schools: number;
  /** Registry head count. */
  students: number;
  students_enrolled: number;
  enrollment_rate: number | null;
  offerings: number;
  /** Sessions of the term's offerings, scheduled and not cancelled (latest state). */
  sessions_scheduled: number;
  /** Of those, with class_started (held) / class_ended (completed). */
  sessions_held: number;
  sessions_completed: number;
  /** (v1.1) Of those, prepared (a lesson_prepared before the planned start); 备课率 of them. */
  sessions_prepared: number;
  prepared_rate: number | null;
}

export interface TermActivity {
  offerings: number;
  scheduled: number;
  held: number;
  completed: number;
  prepared: number;
}

/** Per school of the scope: the term's offerings and sessions (scheduled, held, completed, prepared). */
export async function termActivityBySchool(
  store: Store,
  scope: Scope,
  term: string,
  upTo: number | null = null,
): Promise<Map<string, TermActivity>> {
  const { first, last } = termDays(term);
  // The bureau's decisions apply (decision-effects.ts): a voided offering counts nowhere, a
  // halted one's sessions planned after the halt are not scheduled.
  const counted = sql`SELECT offering_id FROM (${latestOfferings(scope, term, upTo)}) WHERE offering_id NOT IN (${voidedSubjects('course', upTo)})`;
  const inTerm = sql`${schoolFilter(scope)} AND offering_id IN (${counted})`;
  const candidates = sql`
    SELECT session_id FROM sessions
    WHERE planned_day >= toDate(${first}) AND planned_day <= toDate(${last}) AND ${inTerm}`;
  const withPreparations = sql`
    SELECT * FROM (${sessionsBetweenSql(first, last, inTerm, upTo)}) AS s
    ANY LEFT JOIN (${firstPreparations(candidates, last, upTo)}) AS r USING session_id`;
  const [offerings, sessions] = await Promise.all([
    store.query<{ school_id: string; n: string | number }>(
      sql`SELECT school_id, count() AS n FROM (${latestOfferings(scope, term, upTo)})
          WHERE offering_id NOT IN (${voidedSubjects('course', upTo)}) GROUP BY school_id`,
    ),
    store.query<Record<string, unknown>>(sql`
      SELECT school_id, count() AS n, sum(started) AS n_started, sum(ended) AS n_ended, sum(prepared) AS n_prepared
      FROM (${withoutHaltedSessions(withPreparations, sql`school_id, state, started, ended, ${PREPARED} AS prepared`, upTo)})
      WHERE state = 'session_scheduled'
      GROUP BY school_id`),
  ]);
  const out = new Map<string, TermActivity>();
  const of = (id: string) => {
    let r = out.get(id);
    if (!r) out.set(id, (r = { offerings: 0, scheduled: 0, held: 0, completed: 0, prepared: 0 }));
    return r;
  };
  for (const r of offerings) of(r.school_id).offerings = num(r.n);
  for (const r of sessions) {
    const s = of(String(r.school_id));
    s.scheduled = num(r.n);
    s.held = num(r.n_started);
    s.completed = num(r.n_ended);
    s.prepared = num(r.n_prepared);
  }
  return out;
}

export async function participationByChild(
  store: Store,
  scope: Scope,
  term: string,
  upTo: number | null = null,
): Promise<ParticipationRow[]> {
  const [sc, facts, activity] = await Promise.all([
    scopeChildren(store, scope),
    termFacts(store, term, upTo),
    termActivityBySchool(store, scope, term, upTo),
  ]);
  const inScope = new Set(sc.schools.map((s) => s.school_id));
  const zero = () => ({ students: 0, enrolled: 0, offerings: 0, scheduled: 0, held: 0, completed: 0, prepared: 0 });
  const per = new Map<string, ReturnType<typeof zero>>();
  const of = (id: string) => {
    let r = per.get(id);
    if (!r) per.set(id, (r = zero()));
    return r;
  };
  for (const s of sc.schools) of(s.school_id).students = s.students;
  for (const [id, f] of facts.bySchool) {
    if (scope.kind === 'city' || inScope.has(id)) of(id).enrolled = f.students_enrolled;
  }
  for (const [id, a] of activity) Object.assign(of(id), a);
  return rollUp(sc, per, zero).map(({ child, schools, counts: c }) => ({
    child,
    schools,
    students: c.students,
    students_enrolled: c.enrolled,
    enrollment_rate: rate(c.enrolled, c.students),
    offerings: c.offerings,
    sessions_scheduled: c.scheduled,
    sessions_held: c.held,
    sessions_completed: c.completed,
    sessions_prepared: c.prepared,
    prepared_rate: rate(c.prepared, c.scheduled),
  }));
}
