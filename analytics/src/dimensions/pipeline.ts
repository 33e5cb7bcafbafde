import { sql, type Sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import type { MaterialKind } from '../contract/events.ts';
import { DUE_GRACE_MINUTES } from '../metrics/definitions.ts';
import { firstPreparations, PREPARED } from '../metrics/queries/prepared.ts';
import { countedSettlements } from '../metrics/queries/settlements.ts';
import { schoolsOf } from '../metrics/queries/term-by-school.ts';
import { termFacts } from '../metrics/queries/term-facts.ts';
import { schoolFilter, upToFilter, type Scope } from '../metrics/scope.ts';
import { admissionSubject } from './admission.ts';
import { latestBudgets } from './budgets.ts';
import { isValid, reviewFacts, reviewState, voidedSubjects, withoutHaltedSessions } from './decision-effects.ts';
import { latestOfferings, offeringsOf, registryEntities } from './latest.ts';
import { latestMaterials, MATERIAL_KINDS } from './materials.ts';
import { sessionsBetweenSql } from './sessions.ts';
import { termDays } from './term.ts';

// 流程全景 (beyond the manual): the manual's chain 材料申报 ➪ 准入审核 ➪ 开始选课 ➪ 课程排期 ➪
// 发起报名 ➪ 学生报名 ➪ 项目审计 ➪ 教师备课 ➪ 课堂安全 ➪ 学情汇报 ➪ 便捷结算, per school of a
// scope for a term. The one home of what "a school has completed a stage" means. A session
// stage with no session of the school *due* yet at the moment judged is 未到时间 (waiting):
// neither completed nor lagging (a class begun a minute ago has no check-in yet, none has a
// report before it ends). A school *stalls* at the first stage of the chain it has neither
// completed nor is waiting for; with none, it is on track. Every stage counts only the school's
// own offerings of the term that are not voided (否定), as the other dimensions do
// (decision-effects.ts):
//   materials        材料申报  all four material kinds published for the term and valid (not
//                              驳回 / 否定): the 齐全 of 材料公示.
//   admission        准入审核  every provider of the school's external courses of the term is
//                              admitted: its latest admission decision is 通过, or, with none,
//                              the registry says it is qualified; 驳回 bars it. A school with
//                              no external course has nothing to admit: complete.
//   selection        开始选课  at least one offering of the term submitted.
//   scheduling       课程排期  at least one session of those offerings scheduled in the term
//                              (not cancelled, not planned after a 喊停).
//   enrollment_open  发起报名  at least one offering open to enrollment: not 驳回 (the contract
//                              does not hold enrollment for approval, so 待审批 is open).
//   enrollment       学生报名  at least one student enrolled (net of withdrawals) in them.
//   audit            项目审计  a budget of the term submitted and valid (not 驳回 / 否定).
//   preparation      教师备课  of the scheduled sessions already begun (planned start ≤ as_of),
//                              at least STAGE_MIN_SHARE prepared (contract: a lesson_prepared
//                              before the planned start); none begun yet: waiting.
//   safety           课堂安全  of the sessions due to start (planned start + DUE_GRACE_MINUTES
//                              ≤ as_of, the contract's due grace), at least STAGE_MIN_SHARE
//                              with a check-in; none due yet: waiting.
//   reports          学情汇报  of the sessions due to report (planned end + REPORT_DUE_MINUTES
//                              ≤ as_of), at least STAGE_MIN_SHARE with a class_report; none
//                              due yet: waiting.
//   settlement       便捷结算  at least one settlement (latest version) for one of them; while
//                              no session is due to report (above), nothing is over to be
//                              settled: waiting.

export const PIPELINE_STAGES = [
  'materials',
  'admission',
  'selection',
  'scheduling',
  'enrollment_open',
  'enrollment',
  'audit',
  'preparation',
  'safety',
  'reports',
  'settlement',
] as const;

export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/** The share of the sessions so far that must be prepared / checked in / reported. */
export const STAGE_MIN_SHARE = 0.9;

/**
 * Minutes after a session's planned end by which its class_report is due (学情汇报). A teacher
 * files the report after class, not at the bell; the simulator sends it 3–25 minutes after
 * the end, so a class that ended five minutes ago without one is not yet behind.
 */
export const REPORT_DUE_MINUTES = 30;

/** The stages judged on the sessions due so far: they can be 未到时间 (waiting). */
const SESSION_STAGES = ['preparation', 'safety', 'reports'] as const;

/** What a school lacks for a stage; only the fields that stage uses are set. */
export interface StageGap {
  /** materials: the kinds without a valid material. */
  kinds?: MaterialKind[];
  /** admission: the providers not admitted, by name. */
  providers?: string[];
  /** preparation, safety, reports: sessions that meet the rule, of those due. */
  done?: number;
  of?: number;
}

export interface SchoolPipeline {
  school_id: string;
  name: string;
  district_id: string;
  district_name: string;
  zone_id: string;
  zone_name: string;
  done: Record<PipelineStage, boolean>;
  /** 未到时间: the session stages with no session due yet, neither done nor lagging. */
  waiting: PipelineStage[];
  /** The first stage neither completed nor waiting; null when there is none (on track). */
  stalled_at: PipelineStage | null;
  gaps: Partial<Record<PipelineStage, StageGap>>;
}

export interface PipelineStageRow {
  stage: PipelineStage;
  /** Schools of the scope that completed the stage (whatever they lack before it). */
  completed: number;
  /** Schools with nothing due yet at this stage (未到时间). */
  waiting: number;
  /** Schools whose first stage neither completed nor waiting is this one. */
  stalled: number;
}

export interface Pipeline {
  term: string;
  /** The moment the session-based stages are judged at (ms). */
  as_of_ms: number;
  schools: number;
  /** Schools that completed every stage. */
  finished: number;
  /** Schools stalled nowhere: every stage completed or waiting (进展正常). */
  on_track: number;
  stages: PipelineStageRow[];
  /** False while no lesson_prepared of the term has arrived: 教师备课 has no data yet. */
  preparation_data: boolean;
}

interface SessionCounts {
  scheduled: number;
  /** Begun (planned start ≤ as_of): 教师备课 is due. */
  begun: number;
  prepared: number;
  /** Due to start (planned start + grace ≤ as_of): 课堂安全 is due. */
  started: number;
  checked: number;
  /** Due to report (planned end + REPORT_DUE_MINUTES ≤ as_of): 学情汇报 is due. */
  ended: number;
  reported: number;
}

const START_DUE_MS = DUE_GRACE_MINUTES * 60_000;
const REPORT_DUE_MS = REPORT_DUE_MINUTES * 60_000;

/**
 * Per school: the term's counting sessions, and how many of them meet each session rule. With
 * `upTo` (epoch ms, replay's `at`), as they stood then: the schedule, preparations, check-ins,
 * reports and the bureau's decisions with ts ≤ upTo.
 */
async function sessionCounts(
  store: Store,
  scope: Scope,
  term: string,
  asOf: number,
  upTo: number | null,
): Promise<Map<string, SessionCounts>> {
  const { first, last } = termDays(term);
  const dayRange = (col: Sql) => sql`${col} >= toDate(${first}) AND ${col} <= toDate(${last})`;
  const candidates = sql`SELECT session_id FROM sessions WHERE ${dayRange(sql`planned_day`)} AND ${schoolFilter(scope)}`;
  const own = sql`
    SELECT school_id, offering_id FROM (${latestOfferings(scope, term, upTo)})
    WHERE offering_id NOT IN (${voidedSubjects('course', upTo)})`;
  // One JOIN per SELECT, nested: ClickHouse 18.16 has no multiple joins.
  const counting = sql`
    SELECT session_id, school_id, planned_start_ms, planned_end_ms FROM (
      ${withoutHaltedSessions(
        sessionsBetweenSql(first, last, schoolFilter(scope), upTo),
        sql`session_id, school_id, offering_id, planned_start_ms, planned_end_ms, state`,
        upTo,
      )}
    ) WHERE state != 'session_cancelled' AND (school_id, offering_id) IN (${own})`;
  const withPrep = sql`
    SELECT session_id, school_id, planned_start_ms, planned_end_ms, ${PREPARED} AS is_prepared
    FROM (${counting}) AS cs ANY LEFT JOIN (${firstPreparations(candidates, last, upTo)}) AS fp USING session_id`;
  const withCheckin = sql`
    SELECT session_id, school_id, planned_start_ms, planned_end_ms, is_prepared, has_checkin
    FROM (${withPrep}) AS wp ANY LEFT JOIN (
      SELECT session_id, 1 AS has_checkin FROM checkins
      WHERE ${dayRange(sql`day`)} AND type = 'checkin' AND session_id IN (${candidates}) AND ${upToFilter(upTo)}
      GROUP BY session_id
    ) AS ck USING session_id`;
  const started = asOf - START_DUE_MS;
  const ended = asOf - REPORT_DUE_MS;
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT school_id, count() AS n_scheduled,
           sum(planned_start_ms <= ${asOf}) AS n_begun,
           sum(planned_start_ms <= ${asOf} AND is_prepared = 1) AS n_prepared,
           sum(planned_start_ms <= ${started}) AS n_started,
           sum(planned_start_ms <= ${started} AND has_checkin = 1) AS n_checked,
           sum(planned_end_ms <= ${ended}) AS n_ended,
           sum(planned_end_ms <= ${ended} AND has_report = 1) AS n_reported
    FROM (${withCheckin}) AS wc ANY LEFT JOIN (
      SELECT session_id, 1 AS has_report FROM class_events
      WHERE ${dayRange(sql`day`)} AND type = 'class_report' AND session_id IN (${candidates}) AND ${upToFilter(upTo)}
      GROUP BY session_id
    ) AS rp USING session_id
    GROUP BY school_id`);
  return new Map(
    rows.map((r) => [
      String(r.school_id),
      {
        scheduled: num(r.n_scheduled),
        begun: num(r.n_begun),
        prepared: num(r.n_prepared),
        started: num(r.n_started),
        checked: num(r.n_checked),
        ended: num(r.n_ended),
        reported: num(r.n_reported),
      },
    ]),
  );
}

/** The settlements of the scope that count (settlements.ts): their school and offering. */
async function settledOfferings(store: Store, scope: Scope): Promise<{ school_id: string; offering_id: string }[]> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT latest_school AS school_id, latest_offering AS offering_id FROM (${countedSettlements(schoolFilter(scope))})`);
  return rows.map((r) => ({ school_id: String(r.school_id), offering_id: String(r.offering_id) }));
}

async function areaNames(store: Store): Promise<Map<string, string>> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT entity_id, argMax(name, ts_ms) AS latest_name FROM registry
    WHERE type IN ('district', 'zone') GROUP BY entity_id`);
  return new Map(rows.map((r) => [String(r.entity_id), String(r.latest_name)]));
}

async function preparationData(store: Store, scope: Scope, term: string): Promise<boolean> {
  const { first, last } = termDays(term);
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT count() AS n FROM lesson_preparations
    WHERE day >= toDate(${first}) AND day <= toDate(${last}) AND ${schoolFilter(scope)}`);
  return num(rows[0]?.n) > 0;
}

const share = (done: number, of: number) => of > 0 && done >= STAGE_MIN_SHARE * of;
const EMPTY: SessionCounts = { scheduled: 0, begun: 0, prepared: 0, started: 0, checked: 0, ended: 0, reported: 0 };

/**
 * Every school of the scope with the stages it completed, where it stalls and what it lacks.
 * `upTo` (replay's `at`): the session stages as they stood then (the other stages as now).
 */
export async function schoolPipelines(
  store: Store,
  scope: Scope,
  term: string,
  asOf: number = Date.now(),
  upTo: number | null = null,
): Promise<SchoolPipeline[]> {
  const [schools, names, offerings, courseDecisions, courses, providers, materials, materialDecisions] =
    await Promise.all([
      schoolsOf(store, scope),
      areaNames(store),
      offeringsOf(store, scope, term),
      reviewFacts(store, 'course'),
      registryEntities(store, 'course'),
      registryEntities(store, 'provider'),
      store.query<Record<string, unknown>>(
        sql`SELECT material_id, school_id, kind, ts_ms FROM (${latestMaterials(scope, term)})`,
      ),
      reviewFacts(store, 'material'),
    ]);
  const [budgets, budgetDecisions, facts, sessions, settled] = await Promise.all([
    store.query<Record<string, unknown>>(sql`SELECT budget_id, school_id, ts_ms FROM (${latestBudgets(scope, term)})`),
    reviewFacts(store, 'budget'),
    termFacts(store, term),
    sessionCounts(store, scope, term, asOf, upTo),
    settledOfferings(store, scope),
  ]);

  const validKinds = new Map<string, Set<string>>();
  for (const m of materials) {
    if (!isValid(reviewState(materialDecisions.get(String(m.material_id)), num(m.ts_ms)))) continue;
    const set = validKinds.get(String(m.school_id)) ?? new Set<string>();
    validKinds.set(String(m.school_id), set.add(String(m.kind)));
  }
  const validBudget = new Set(
    budgets
      .filter((b) => isValid(reviewState(budgetDecisions.get(String(b.budget_id)), num(b.ts_ms))))
      .map((b) => String(b.school_id)),
  );
  const admitted = (providerId: string): boolean => {
    const review = courseDecisions.get(admissionSubject(providerId))?.review;
    return review ? review === 'approved' : (providers.get(providerId)?.qualified ?? false);
  };
  const own = new Map<string, typeof offerings>();
  const ownIds = new Set<string>();
  for (const o of offerings) {
    const state = reviewState(courseDecisions.get(o.offering_id));
    if (state === 'voided') continue;
    own.set(o.school_id, [...(own.get(o.school_id) ?? []), o]);
    ownIds.add(`${o.school_id}\u0000${o.offering_id}`);
  }
  const settledSchools = new Set(
    settled.filter((s) => ownIds.has(`${s.school_id}\u0000${s.offering_id}`)).map((s) => s.school_id),
  );

  return schools.map((s) => {
    const mine = own.get(s.school_id) ?? [];
    const kinds = validKinds.get(s.school_id) ?? new Set<string>();
    const missingKinds = MATERIAL_KINDS.filter((k) => !kinds.has(k));
    const barred = new Set<string>();
    for (const o of mine) {
      const course = courses.get(o.course_id);
      if (course?.kind === 'external' && !admitted(course.provider_id)) barred.add(course.provider_id);
    }
    const c = sessions.get(s.school_id) ?? EMPTY;
    // The session stages' rule: sessions meeting it, of those due at as_of.
    const due: Record<(typeof SESSION_STAGES)[number], StageGap> = {
      preparation: { done: c.prepared, of: c.begun },
      safety: { done: c.checked, of: c.started },
      reports: { done: c.reported, of: c.ended },
    };
    const done: Record<PipelineStage, boolean> = {
      materials: missingKinds.length === 0,
      admission: barred.size === 0,
      selection: mine.length > 0,
      scheduling: c.scheduled > 0,
      enrollment_open: mine.some((o) => reviewState(courseDecisions.get(o.offering_id)) !== 'rejected'),
      enrollment: mine.some((o) => (facts.netByOffering.get(o.offering_id) ?? 0) > 0),
      audit: validBudget.has(s.school_id),
      preparation: share(c.prepared, c.begun),
      safety: share(c.checked, c.started),
      reports: share(c.reported, c.ended),
      settlement: settledSchools.has(s.school_id),
    };
    const gaps: Partial<Record<PipelineStage, StageGap>> = {};
    if (!done.materials) gaps.materials = { kinds: missingKinds };
    if (!done.admission)
      gaps.admission = { providers: [...barred].sort().map((id) => providers.get(id)?.name || '未登记的机构') };
    const waiting: PipelineStage[] = SESSION_STAGES.filter((st) => due[st].of === 0);
    // Nothing to settle before a class is over: with no session due to report, 便捷结算 waits too.
    if (!done.settlement && due.reports.of === 0) waiting.push('settlement');
    for (const st of SESSION_STAGES) {
      if (!done[st] && !waiting.includes(st)) gaps[st] = due[st];
    }
    return {
      school_id: s.school_id,
      name: s.name,
      district_id: s.district_id,
      district_name: names.get(s.district_id) ?? '',
      zone_id: s.zone_id,
      zone_name: names.get(s.zone_id) ?? '',
      done,
      waiting,
      stalled_at: PIPELINE_STAGES.find((st) => !done[st] && !waiting.includes(st)) ?? null,
      gaps,
    };
  });
}

/**
 * The scope's funnel: per stage, schools that completed it, that wait for it and that stall at
 * it.
 */
export async function pipelineOf(
  store: Store,
  scope: Scope,
  term: string,
  asOf: number = Date.now(),
  upTo: number | null = null,
): Promise<Pipeline> {
  const [schools, preparation] = await Promise.all([
    schoolPipelines(store, scope, term, asOf, upTo),
    preparationData(store, scope, term),
  ]);
  return {
    term,
    as_of_ms: asOf,
    schools: schools.length,
    finished: schools.filter((s) => PIPELINE_STAGES.every((st) => s.done[st])).length,
    on_track: schools.filter((s) => s.stalled_at === null).length,
    stages: PIPELINE_STAGES.map((stage) => ({
      stage,
      completed: schools.filter((s) => s.done[stage]).length,
      waiting: schools.filter((s) => s.waiting.includes(stage)).length,
      stalled: schools.filter((s) => s.stalled_at === stage).length,
    })),
    preparation_data: preparation,
  };
}

/**
 * The schools lagging at a stage (neither completed it nor waiting for it), those that stall
 * there first, then by district and name.
 */
export async function pipelineLagging(
  store: Store,
  scope: Scope,
  term: string,
  stage: PipelineStage,
  asOf: number = Date.now(),
  upTo: number | null = null,
): Promise<SchoolPipeline[]> {
  const rank = (s: SchoolPipeline) => (s.stalled_at === stage ? 0 : 1);
  return (await schoolPipelines(store, scope, term, asOf, upTo))
    .filter((s) => !s.done[stage] && !s.waiting.includes(stage))
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        a.district_id.localeCompare(b.district_id) ||
        a.name.localeCompare(b.name, 'zh') ||
        a.school_id.localeCompare(b.school_id),
    );
}
