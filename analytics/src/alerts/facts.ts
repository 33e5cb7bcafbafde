import { isIn, sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import { termOfDay } from '../contract/time.ts';
import { budgetChecks, type SchoolCourseBudgetCheck } from '../dimensions/budgets.ts';
import { lowScoreRuns, type LowScoreRun } from '../dimensions/feedback.ts';
import { registryEntities, type RegistryType } from '../dimensions/latest.ts';
import { metricsBySchool, type SchoolMetrics } from '../metrics/by-school.ts';
import type { DueFigures } from '../metrics/definitions.ts';
import { momentOf } from '../metrics/moment.ts';
import { haltedOfferings } from '../dimensions/decision-effects.ts';
import { dayWindow, plannedSessions, scheduledSessions } from '../metrics/queries/day-sessions.ts';
import { sessionFigures, type SessionFigures } from '../metrics/queries/session-figures.ts';
import type { TermFacts } from '../metrics/queries/term-facts.ts';
import type { OrphanRow } from '../quality/orphans.ts';
import { upToFilter, type Scope } from '../metrics/scope.ts';
import type { Condition } from './conditions.ts';
import type { AlertSettings, Candidate } from './rules.ts';
import { namesNeeded, toCandidate } from './texts.ts';

// What the alert rules look at, read for one day at the service clock's `now`. Every figure
// is the one analytics computes for the pages and the overview — no second definition:
//   sessions  sessionFigures (the per-session facts the overview sums), plus `unaccounted`
//   schools   metricsBySchool's due figures (never the day's figures during the day)
//   feedback  lowScoreRuns (the 评议反馈 page's low-score runs, city-wide)
//   budgets   budgetChecks (the 经费审计 page's over-budget check)
//   halted    classes started for sessions a 喊停 took off the schedule (decision-effects.ts)
// and the registry's names for the texts. Kept as plain data, so the conditions
// (conditions.ts) are pure functions that tests drive with a fake clock.

const CITY: Scope = { kind: 'city' };
const MIN = 60_000;

export interface SessionAlertFacts extends SessionFigures {
  /** Students whose latest check-in to the session is newer than their latest check-out. */
  unaccounted: number;
}

export interface SchoolAlertFacts {
  school_id: string;
  due: DueFigures;
}

export interface FeedbackAlertFacts extends LowScoreRun {
  /** The school the target's newest feedback came from: whose list the alert goes to. */
  school_id: string;
}

/** A class started for a session of an offering halted (喊停) before the session's planned start. */
export interface HaltedClassFacts {
  session_id: string;
  school_id: string;
  offering_id: string;
  course_id: string;
  teacher_id: string;
  planned_start_ms: number;
  planned_end_ms: number;
  /** The offering's first 喊停. */
  halted_ms: number;
  /** The session's first class_started. */
  started_ms: number;
}

/**
 * Sessions of `day` (city-wide) planned after their offering was halted — the sessions that
 * scheduledSessions no longer counts — with a class_started nonetheless (as of `upTo`).
 * ALL INNER: each right side has one row per key.
 */
export async function classesAfterHalt(
  store: Store,
  day: string,
  upTo: number | null = null,
): Promise<HaltedClassFacts[]> {
  // A 喊停 is rare and the join below plans the whole city's day to find none (hundreds of ms
  // at 1,200 schools, every evaluation): asked first, the decisions' log is small.
  const halts = await store.query<{ n: number }>(sql`SELECT count() AS n FROM (${haltedOfferings(upTo)})`);
  if (num(halts[0]?.n) === 0) return [];
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT session_id, school_id, offering_id, course_id, teacher_id, planned_start_ms, planned_end_ms,
           halted_ms, started_ms
    FROM (
      SELECT * FROM (
        SELECT session_id, school_id, offering_id, course_id, teacher_id, planned_start_ms, planned_end_ms
        FROM (${plannedSessions(CITY, day, upTo)})
      ) AS ps ALL INNER JOIN (${haltedOfferings(upTo)}) AS h USING offering_id
      WHERE planned_start_ms > halted_ms
    ) AS hp ALL INNER JOIN (
      SELECT session_id, min(ts_ms) AS started_ms FROM class_events
      WHERE ${dayWindow(day)} AND type = 'class_started' AND ${upToFilter(upTo)}
      GROUP BY session_id
    ) AS c USING session_id
    ORDER BY session_id`);
  return rows.map((r) => ({
    session_id: String(r.session_id),
    school_id: String(r.school_id),
    offering_id: String(r.offering_id),
    course_id: String(r.course_id),
    teacher_id: String(r.teacher_id),
    planned_start_ms: num(r.planned_start_ms),
    planned_end_ms: num(r.planned_end_ms),
    halted_ms: num(r.halted_ms),
    started_ms: num(r.started_ms),
  }));
}

export interface AlertFacts {
  day: string;
  /** The service clock's now (epoch ms) the facts were read at. */
  now: number;
  sessions: SessionAlertFacts[];
  schools: SchoolAlertFacts[];
  feedback: FeedbackAlertFacts[];
  budgets: SchoolCourseBudgetCheck[];
  /** Classes started after their offering was halted; absent: none. */
  halted?: readonly HaltedClassFacts[];
  /** The orphan report's rows (analytics/src/quality), read on a timer of their own; absent: none. */
  orphans?: readonly OrphanRow[];
}

/**
 * Students checked in to a session of `day` and not (since) checked out, for the sessions that
 * ended (planned_end) at or before `endedBy`: per session, those whose latest check-in is newer
 * than their latest check-out. Any student counts, enrolled or not: a child in the wrong room
 * is still a child to account for. Duplicates change nothing (max per person).
 */
export async function unaccountedBySession(
  store: Store,
  day: string,
  endedBy: number,
  upTo: number | null = null,
): Promise<Map<string, number>> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT session_id, count() AS inside FROM (
      SELECT session_id, person_id, maxIf(ts_ms, type = 'checkin') AS last_in, maxIf(ts_ms, type = 'checkout') AS last_out
      FROM checkins
      WHERE ${dayWindow(day)} AND person = 'student' AND ${upToFilter(upTo)}
        AND session_id IN (
          SELECT session_id FROM (${scheduledSessions(CITY, day, upTo)}) WHERE planned_end_ms <= ${endedBy}
        )
      GROUP BY session_id, person_id
    )
    WHERE last_in > last_out
    GROUP BY session_id`);
  return new Map(rows.map((r) => [String(r.session_id), num(r.inside)]));
}

/** The school of each target's newest feedback (for the targets given). */
async function feedbackSchools(store: Store, runs: readonly LowScoreRun[]): Promise<Map<string, string>> {
  if (runs.length === 0) return new Map();
  const out = new Map<string, string>();
  for (const ids of chunks([...new Set(runs.map((r) => r.target_id))])) {
    const rows = await store.query<Record<string, unknown>>(sql`
      SELECT target, target_id, argMax(school_id, ts_ms) AS latest_school
      FROM feedback WHERE ${isIn(sql`target_id`, ids)}
      GROUP BY target, target_id`);
    for (const r of rows) out.set(`${String(r.target)}:${String(r.target_id)}`, String(r.latest_school));
  }
  return out;
}

export interface AlertFactsOptions {
  /** student_not_checked_out looks only at sessions that ended this long ago. */
  checkoutGraceMinutes: number;
  /** The term facts of the day's term, e.g. from a MetricsReader's cache. */
  termFacts?: TermFacts;
  /**
   * The latest orphan report's rows (orphanReport): too costly to read on every evaluation, so
   * the caller reads it on a timer and hands it in.
   */
  orphans?: readonly OrphanRow[];
  /**
   * The city's session figures at `now`, every stored event counted, as sessionFigures gives
   * them (e.g. the MetricsReader's figures cache, already read for the live snapshot): read
   * here when absent. The live path reads the day's figures once, not once for the walls and
   * again for the rules.
   */
  sessions?: readonly SessionFigures[];
  /**
   * The city's metrics by school at `now` (metricsBySchool, e.g. a MetricsReader's live
   * overview's `schools`), when the caller has them: read here when absent.
   */
  schools?: readonly SchoolMetrics[];
}

/** Every fact the rules need for `day` at `now` (today: the service clock's now), city-wide. */
export async function loadAlertFacts(
  store: Store,
  day: string,
  now: number,
  opts: AlertFactsOptions,
): Promise<AlertFacts> {
  const m = momentOf(day, now);
  const [sessions, unaccounted, runs, budgets, halted] = await Promise.all([
    opts.sessions ?? sessionFigures(store, CITY, day, m),
    unaccountedBySession(store, day, m.t - opts.checkoutGraceMinutes * MIN, m.eventsUpTo),
    lowScoreRuns(store, CITY),
    budgetChecks(store, CITY, termOfDay(day)),
    classesAfterHalt(store, day, m.eventsUpTo),
  ]);
  // The schools' due figures from the same session rows: one read of the day's figures.
  const schools = opts.schools ?? (await metricsBySchool(store, CITY, day, m, opts.termFacts, sessions));
  const schoolOf = await feedbackSchools(store, runs);
  return {
    day,
    now,
    sessions: sessions.map((s) => ({ ...s, unaccounted: unaccounted.get(s.session_id) ?? 0 })),
    schools: schools.map((s) => ({ school_id: s.school.school_id, due: s.due })),
    feedback: runs.map((r) => ({ ...r, school_id: schoolOf.get(`${r.target}:${r.target_id}`) ?? '' })),
    budgets,
    halted,
    orphans: opts.orphans ?? [],
  };
}

// ---- Names for the texts ----

export interface AlertNames {
  course: ReadonlyMap<string, string>;
  teacher: ReadonlyMap<string, string>;
  provider: ReadonlyMap<string, string>;
  operator: ReadonlyMap<string, string>;
}

/** The registry types alert texts name (a feedback target's kind is one of them). */
export type NamedKind = keyof AlertNames;

export const NO_NAMES: AlertNames = { course: new Map(), teacher: new Map(), provider: new Map(), operator: new Map() };

/** Ids per registry type, at most this many in one `IN (…)` (ClickHouse's max_query_size). */
const CHUNK = 2000;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** The registry's latest names of the entities given, by kind. */
export async function loadNames(
  store: Store,
  ids: Readonly<Record<NamedKind, ReadonlySet<string>>>,
): Promise<AlertNames> {
  const of = async (kind: NamedKind): Promise<Map<string, string>> => {
    const out = new Map<string, string>();
    for (const part of chunks([...ids[kind]].filter(Boolean))) {
      const found = await registryEntities(store, kind satisfies RegistryType, part);
      for (const [id, e] of found) if (e.name) out.set(id, e.name);
    }
    return out;
  };
  const [course, teacher, provider, operator] = await Promise.all([
    of('course'),
    of('teacher'),
    of('provider'),
    of('operator'),
  ]);
  return { course, teacher, provider, operator };
}

/** Firing conditions as the book takes them, their texts naming what the registry names. */
export async function describeConditions(
  store: Store,
  conditions: readonly Condition[],
  cfg: AlertSettings,
): Promise<Candidate[]> {
  if (conditions.length === 0) return [];
  const names = await loadNames(store, namesNeeded(conditions));
  return conditions.map((c) => toCandidate(c, names, cfg));
}
