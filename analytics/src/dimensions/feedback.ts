import { sql, type Sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import type { FeedbackFrom, FeedbackTarget } from '../contract/events.ts';
import { toShanghaiRfc3339 } from '../contract/time.ts';
import { rate } from '../metrics/definitions.ts';
import { schoolFilter, type Scope } from '../metrics/scope.ts';
import { rollUp, scopeChildren, type Child } from './children.ts';
import { registryEntities, type RegistryEntity } from './latest.ts';
import { termDays } from './term.ts';

// 评议反馈: feedback from schools, teachers and parents on courses, teachers, providers and
// operators. Every query reads feedback de-duplicated by event id first. Comments are returned
// as sent (they may contain markup): whoever renders them must escape them.

export const FEEDBACK_TARGETS: readonly FeedbackTarget[] = ['course', 'teacher', 'provider', 'operator'];
export const FEEDBACK_SOURCES: readonly FeedbackFrom[] = ['school', 'teacher', 'parent'];
/** Scores at or below this are low (1–5 scale). */
export const LOW_SCORE = 2;

function uniqueFeedback(where: Sql): Sql {
  return sql`
    SELECT id, u_school AS school_id, u_from AS from_role, u_target AS target, u_target_id AS target_id,
           u_score AS score, u_comment AS comment, u_ts AS ts_ms
    FROM (
      SELECT id, any(school_id) AS u_school, any(from_role) AS u_from, any(target) AS u_target,
             any(target_id) AS u_target_id, any(score) AS u_score, any(comment) AS u_comment, any(ts_ms) AS u_ts
      FROM feedback WHERE ${where} GROUP BY id
    )`;
}

function termWhere(scope: Scope, term: string): Sql {
  const { first, last } = termDays(term);
  return sql`day >= toDate(${first}) AND day <= toDate(${last}) AND ${schoolFilter(scope)}`;
}

export interface FeedbackStats {
  count: number;
  average_score: number | null;
  /** Share of scores ≤ 2; null with no feedback. */
  low_share: number | null;
}

export interface FeedbackRow {
  child: Child;
  schools: number;
  total: FeedbackStats;
  by_target: Record<FeedbackTarget, FeedbackStats>;
  by_source: Record<FeedbackFrom, FeedbackStats>;
}

type Sums = Record<string, number>;
const stats = (c: Sums, key: string): FeedbackStats => {
  const n = c[`${key}_n`] ?? 0;
  return { count: n, average_score: rate(c[`${key}_sum`] ?? 0, n), low_share: rate(c[`${key}_low`] ?? 0, n) };
};

/** Feedback given during the term, per child of the scope, overall and per target kind and source. */
export async function feedbackByChild(store: Store, scope: Scope, term: string): Promise<FeedbackRow[]> {
  const [sc, rows] = await Promise.all([
    scopeChildren(store, scope),
    store.query<Record<string, unknown>>(sql`
      SELECT school_id, target, from_role, count() AS n, sum(score) AS score_sum, countIf(score <= ${LOW_SCORE}) AS low
      FROM (${uniqueFeedback(termWhere(scope, term))})
      GROUP BY school_id, target, from_role`),
  ]);
  const perSchool = rows.map((r) => {
    const n = num(r.n);
    const s = num(r.score_sum);
    const low = num(r.low);
    const c: Sums = {};
    for (const key of ['all', `t_${String(r.target)}`, `f_${String(r.from_role)}`]) {
      c[`${key}_n`] = n;
      c[`${key}_sum`] = s;
      c[`${key}_low`] = low;
    }
    return [String(r.school_id), c] as const;
  });
  return rollUp<Sums>(sc, perSchool, () => ({})).map(({ child, schools, counts }) => ({
    child,
    schools,
    total: stats(counts, 'all'),
    by_target: Object.fromEntries(
      FEEDBACK_TARGETS.map((t) => [t, stats(counts, `t_${t}`)]),
    ) as FeedbackRow['by_target'],
    by_source: Object.fromEntries(
      FEEDBACK_SOURCES.map((f) => [f, stats(counts, `f_${f}`)]),
    ) as FeedbackRow['by_source'],
  }));
}

export interface FeedbackItem {
  id: string;
  ts: string;
  school_id: string;
  from: FeedbackFrom;
  score: number;
  comment: string;
}

/** Every feedback on one target given in the scope during the term, newest first. */
export async function feedbackForTarget(
  store: Store,
  scope: Scope,
  target: FeedbackTarget,
  targetId: string,
  term: string,
): Promise<FeedbackItem[]> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT * FROM (${uniqueFeedback(sql`${termWhere(scope, term)} AND target = ${target} AND target_id = ${targetId}`)})
    ORDER BY ts_ms DESC, id`);
  return rows.map((r) => ({
    id: String(r.id),
    ts: toShanghaiRfc3339(num(r.ts_ms)),
    school_id: String(r.school_id),
    from: String(r.from_role) as FeedbackFrom,
    score: num(r.score),
    comment: String(r.comment),
  }));
}

export interface LowScoreRun {
  target: FeedbackTarget;
  target_id: string;
  /** Scores ≤ 2 received since the newest better score (all of them if there was none). */
  run_length: number;
  latest_ts: string;
}

/**
 * Targets whose latest `n` scores (any term, in the scope) are all ≤ 2: the run is counted as
 * the feedback newer than the target's newest score above 2.
 */
export async function lowScoreRuns(store: Store, scope: Scope, n = 3): Promise<LowScoreRun[]> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT target, target_id, countIf(ts_ms > last_good) AS run, max(ts_ms) AS latest_ts FROM (
      SELECT * FROM (${uniqueFeedback(schoolFilter(scope))}) AS f ANY LEFT JOIN (
        SELECT target, target_id, maxIf(ts_ms, score > ${LOW_SCORE}) AS last_good
        FROM (${uniqueFeedback(schoolFilter(scope))})
        GROUP BY target, target_id
      ) AS g USING target, target_id
    )
    GROUP BY target, target_id
    HAVING run >= ${n}
    ORDER BY target, target_id`);
  return rows.map((r) => ({
    target: String(r.target) as FeedbackTarget,
    target_id: String(r.target_id),
    run_length: num(r.run),
    latest_ts: toShanghaiRfc3339(num(r.latest_ts)),
  }));
}

export interface FeedbackTargetRow extends FeedbackStats {
  target: FeedbackTarget;
  target_id: string;
  /** The registry's name; empty for a target the registry does not know. */
  name: string;
  /** Schools of the scope whose feedback names it. */
  schools: number;
  /** The provider behind it (a provider itself, an external course's, a provider's teacher's), for 一键监管. */
  provider: { provider_id: string; name: string } | null;
}

/** Registry entries of feedback targets, keyed `target:id` (unknown ones are absent). */
async function targetEntities(
  store: Store,
  refs: readonly { target: FeedbackTarget; target_id: string }[],
): Promise<Map<string, RegistryEntity>> {
  const out = new Map<string, RegistryEntity>();
  await Promise.all(
    FEEDBACK_TARGETS.map(async (t) => {
      const ids = [...new Set(refs.filter((r) => r.target === t).map((r) => r.target_id))];
      if (ids.length === 0) return;
      for (const [id, e] of await registryEntities(store, t, ids)) out.set(`${t}:${id}`, e);
    }),
  );
  return out;
}

/** Registry names of feedback targets, keyed `target:id` (unknown ones are absent). */
export async function feedbackTargetNames(
  store: Store,
  refs: readonly { target: FeedbackTarget; target_id: string }[],
): Promise<Map<string, string>> {
  return new Map([...(await targetEntities(store, refs))].map(([k, e]) => [k, e.name]));
}

/**
 * Every target (course, teacher, provider, operator) that feedback given in the scope during
 * the term names, with its name and scores, lowest average first: the list that lets an
 * officer above school level find what to look at without knowing an id.
 */
export async function feedbackTargets(store: Store, scope: Scope, term: string): Promise<FeedbackTargetRow[]> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT target, target_id, count() AS n, sum(score) AS score_sum, countIf(score <= ${LOW_SCORE}) AS low,
           uniqExact(school_id) AS school_count
    FROM (${uniqueFeedback(termWhere(scope, term))})
    GROUP BY target, target_id`);
  const list = rows.map((r) => ({ target: String(r.target) as FeedbackTarget, target_id: String(r.target_id) }));
  const entities = await targetEntities(store, list);
  const providerOf = (ref: (typeof list)[number]) =>
    ref.target === 'provider' ? ref.target_id : (entities.get(`${ref.target}:${ref.target_id}`)?.provider_id ?? '');
  const providers = await registryEntities(store, 'provider', [...new Set(list.map(providerOf).filter(Boolean))]);
  return rows
    .map((r, i): FeedbackTargetRow => {
      const ref = list[i] as (typeof list)[number];
      const n = num(r.n);
      const provider = providerOf(ref);
      return {
        ...ref,
        name: entities.get(`${ref.target}:${ref.target_id}`)?.name ?? '',
        schools: num(r.school_count),
        provider: provider ? { provider_id: provider, name: providers.get(provider)?.name ?? '' } : null,
        count: n,
        average_score: rate(num(r.score_sum), n),
        low_share: rate(num(r.low), n),
      };
    })
    .sort(
      (a, b) =>
        (a.average_score ?? 0) - (b.average_score ?? 0) ||
        FEEDBACK_TARGETS.indexOf(a.target) - FEEDBACK_TARGETS.indexOf(b.target) ||
        (a.target_id < b.target_id ? -1 : a.target_id > b.target_id ? 1 : 0),
    );
}
