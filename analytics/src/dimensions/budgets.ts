import { sql, type Sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import type { BudgetItem } from '../contract/events.ts';
import { toShanghaiRfc3339 } from '../contract/time.ts';
import { rate } from '../metrics/definitions.ts';
import { countedSettlements } from '../metrics/queries/settlements.ts';
import { schoolFilter, type Scope } from '../metrics/scope.ts';
import { rollUp, scopeChildren, type Child } from './children.ts';
import {
  isValid,
  reviewFacts,
  reviewState,
  zeroStates,
  type ReviewFacts,
  type ReviewState,
  type StateCounts,
} from './decision-effects.ts';
import { latestDecisions, type LatestDecision } from './decisions.ts';
import { latestOfferings, registryEntities } from './latest.ts';

// 经费审计 (项目审计): the schools' budgets of a term, course vs other items, and per course
// what was settled against what was budgeted. A budget is an upsert: its latest version wins.
// The bureau's decisions (decision-effects.ts): a voided (否定) budget counts nowhere but in
// `by_state.voided`; a rejected (驳回) one counts as submitted, not valid — its amounts are in no
// total and no check — until a later version supersedes the rejection.

/** A budget's state from the decisions on it and its latest version's time. */
const stateOf = (decided: Map<string, ReviewFacts>, budgetId: string, tsMs: number): ReviewState =>
  reviewState(decided.get(budgetId), tsMs);

export function latestBudgets(scope: Scope, term: string): Sql {
  return sql`
    SELECT budget_id, latest_school AS school_id, latest_ts AS ts_ms, cats, course_ids, names, amounts
    FROM (
      SELECT budget_id, argMax(school_id, ts_ms) AS latest_school, argMax(term, ts_ms) AS latest_term,
             max(ts_ms) AS latest_ts, argMax(item_category, ts_ms) AS cats, argMax(item_course_id, ts_ms) AS course_ids,
             argMax(item_name, ts_ms) AS names, argMax(item_amount, ts_ms) AS amounts
      FROM budgets WHERE ${schoolFilter(scope)}
      GROUP BY budget_id
    )
    WHERE latest_term = ${term}`;
}

export interface BudgetRow {
  child: Child;
  schools: number;
  /** Schools with at least one budget for the term (submitted: not voided). */
  schools_with_budget: number;
  /** Budgets submitted (every state but 已否定). */
  budgets: number;
  /** Budgets by state: 待审批 / 已通过 / 已驳回 / 已否定. */
  by_state: StateCounts;
  /** Amounts of the valid budgets (待审批 / 已通过). */
  total: number;
  course_amount: number;
  other_amount: number;
  /** course_amount / total; null when nothing was budgeted. */
  course_share: number | null;
  other_share: number | null;
}

export async function budgetsByChild(store: Store, scope: Scope, term: string): Promise<BudgetRow[]> {
  const [sc, rows, decided] = await Promise.all([
    scopeChildren(store, scope),
    store.query<Record<string, unknown>>(sql`
      SELECT budget_id, school_id, ts_ms, arraySum(amounts) AS total_amount,
             arraySum(arrayFilter((a, c) -> c = 'course', amounts, cats)) AS course_total
      FROM (${latestBudgets(scope, term)})`),
    reviewFacts(store, 'budget'),
  ]);
  const zero = () => ({ with_budget: 0, budgets: 0, total: 0, course: 0, other: 0, ...zeroStates() });
  const bySchool = new Map<string, ReturnType<typeof zero>>();
  for (const r of rows) {
    const state = stateOf(decided, String(r.budget_id), num(r.ts_ms));
    const school = String(r.school_id);
    const c = bySchool.get(school) ?? zero();
    bySchool.set(school, c);
    c[state] += 1;
    if (state === 'voided') continue;
    c.with_budget = 1;
    c.budgets += 1;
    if (!isValid(state)) continue;
    const total = num(r.total_amount);
    const course = num(r.course_total);
    c.total += total;
    c.course += course;
    c.other += total - course;
  }
  return rollUp(sc, bySchool, zero).map(({ child, schools, counts: c }) => ({
    child,
    schools,
    schools_with_budget: c.with_budget,
    budgets: c.budgets,
    by_state: { pending: c.pending, approved: c.approved, rejected: c.rejected, voided: c.voided },
    total: c.total,
    course_amount: c.course,
    other_amount: c.other,
    course_share: rate(c.course, c.total),
    other_share: rate(c.other, c.total),
  }));
}

/** A budget item as the pages show it: the contract's, with its course's name. */
export type NamedBudgetItem = BudgetItem & { course_name?: string };

export interface Budget {
  budget_id: string;
  ts: string;
  items: NamedBudgetItem[];
  total: number;
  course_amount: number;
  other_amount: number;
  decision: LatestDecision | null;
  /** 待审批 / 已通过 / 已驳回 / 已否定: only 待审批 and 已通过 count in totals and checks. */
  state: ReviewState;
}

/** A school's budgets of the term (latest version of each) with every item. */
export async function schoolBudgets(store: Store, schoolId: string, term: string): Promise<Budget[]> {
  const rows = await store.query<Record<string, unknown>>(
    sql`SELECT * FROM (${latestBudgets({ kind: 'school', id: schoolId }, term)}) ORDER BY budget_id`,
  );
  const [decisions, decided] = await Promise.all([
    latestDecisions(
      store,
      'budget',
      rows.map((r) => String(r.budget_id)),
    ),
    reviewFacts(store, 'budget'),
  ]);
  const courseNames = await registryEntities(store, 'course', [
    ...new Set(rows.flatMap((r) => (r.course_ids as string[]).filter(Boolean))),
  ]);
  return rows.map((r) => {
    const cats = r.cats as string[];
    const courses = r.course_ids as string[];
    const names = r.names as string[];
    const amounts = (r.amounts as unknown[]).map(num);
    const items: NamedBudgetItem[] = cats.map((c, i) => ({
      category: c as BudgetItem['category'],
      ...(courses[i] ? { course_id: courses[i], course_name: courseNames.get(courses[i] ?? '')?.name ?? '' } : {}),
      name: names[i] ?? '',
      amount: amounts[i] ?? 0,
    }));
    const total = amounts.reduce((a, b) => a + b, 0);
    const course = items.filter((i) => i.category === 'course').reduce((a, i) => a + i.amount, 0);
    return {
      budget_id: String(r.budget_id),
      ts: toShanghaiRfc3339(num(r.ts_ms)),
      items,
      total,
      course_amount: course,
      other_amount: total - course,
      decision: decisions.get(String(r.budget_id)) ?? null,
      state: stateOf(decided, String(r.budget_id), num(r.ts_ms)),
    };
  });
}

export interface CourseBudgetCheck {
  course_id: string;
  /** Sum of the course's budget items; null when the course has none (unbudgeted). */
  budgeted: number | null;
  /** Settled funds of the school for the term's offerings of the course (latest per settlement). */
  settled: number;
  over_budget: boolean;
}

export interface SchoolCourseBudgetCheck extends CourseBudgetCheck {
  school_id: string;
}

/**
 * Budget items vs settled amounts per course of every school of the scope, by school then
 * course: the one definition of "over budget" (settled > budgeted; unbudgeted counts as 0),
 * read by the school's page (budgetVsSettled) and by the over_budget alert rule.
 */
export async function budgetChecks(store: Store, scope: Scope, term: string): Promise<SchoolCourseBudgetCheck[]> {
  const [allBudgets, settled, decided] = await Promise.all([
    store.query<Record<string, unknown>>(
      sql`SELECT budget_id, school_id, ts_ms, cats, course_ids, amounts FROM (${latestBudgets(scope, term)})`,
    ),
    // ALL INNER, not ANY: since ClickHouse 20 (chDB) ANY INNER keeps one left row per key, which
    // would count one settlement per offering; the right side has one row per offering.
    store.query<Record<string, unknown>>(sql`
      SELECT school_id, course_id, sum(amount) AS settled FROM (
        SELECT * FROM (
          SELECT settlement_id, latest_school AS school_id, latest_offering AS offering_id, latest_amount AS amount
          FROM (${countedSettlements(schoolFilter(scope))}) WHERE ${schoolFilter(scope, sql`latest_school`)}
        ) AS s ALL INNER JOIN (
          SELECT offering_id, course_id FROM (${latestOfferings({ kind: 'city' }, term)})
        ) AS o USING offering_id
      ) GROUP BY school_id, course_id`),
    reviewFacts(store, 'budget'),
  ]);
  // Only a valid budget (not rejected, not voided) is budgeted.
  const budgets = allBudgets.filter((b) => isValid(stateOf(decided, String(b.budget_id), num(b.ts_ms))));
  const key = (school: string, course: string) => `${school}\u0000${course}`;
  const budgeted = new Map<string, number>();
  for (const b of budgets) {
    const cats = b.cats as string[];
    const courses = b.course_ids as string[];
    const amounts = (b.amounts as unknown[]).map(num);
    cats.forEach((c, i) => {
      const course = courses[i];
      if (c !== 'course' || !course) return;
      const k = key(String(b.school_id), course);
      budgeted.set(k, (budgeted.get(k) ?? 0) + (amounts[i] ?? 0));
    });
  }
  const settledBy = new Map(settled.map((r) => [key(String(r.school_id), String(r.course_id)), num(r.settled)]));
  const keys = [...new Set([...budgeted.keys(), ...settledBy.keys()])].sort();
  return keys.map((k) => {
    const [school_id, course_id] = k.split('\u0000') as [string, string];
    const b = budgeted.get(k) ?? null;
    const s = settledBy.get(k) ?? 0;
    return { school_id, course_id, budgeted: b, settled: s, over_budget: s > (b ?? 0) };
  });
}

/** A course's check as the school's page shows it, with the course's name ('' if unregistered). */
export type NamedCourseBudgetCheck = CourseBudgetCheck & { course_name: string };

/** Budget items vs settled amounts per course of a school; over-budget when settled > budgeted. */
export async function budgetVsSettled(store: Store, schoolId: string, term: string): Promise<NamedCourseBudgetCheck[]> {
  const rows = await budgetChecks(store, { kind: 'school', id: schoolId }, term);
  const names = await registryEntities(store, 'course', [...new Set(rows.map((r) => r.course_id))]);
  return rows.map(({ school_id: _school, ...check }) => ({
    ...check,
    course_name: names.get(check.course_id)?.name ?? '',
  }));
}
