import { isIn, sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import { rate } from '../metrics/definitions.ts';
import { schoolsOf } from '../metrics/queries/term-by-school.ts';
import { countedSettlements } from '../metrics/queries/settlements.ts';
import { termFacts } from '../metrics/queries/term-facts.ts';
import { schoolFilter, type Scope } from '../metrics/scope.ts';
import { offeringsOf, registryEntities, type RegistryEntity } from './latest.ts';
import { termActivityBySchool } from './process.ts';
import { shares } from './rank-by.ts';
import { registrationsOf, type Registrations } from './registrations.ts';
import { termPeriods } from './term.ts';
import { reviewFacts, reviewState, zeroStates, type StateCounts } from './decision-effects.ts';

// 图表 (manual §7): 统计 totals and 入库 shares and 结算 series. The school rankings
// (选课 / 排课 / 报名 / 上课) are in chart-rankings.ts.

/** Registry entries of the scope: teachers and courses by their school, providers by use. */
async function scopedRegistry(store: Store, scope: Scope) {
  const [schools, providers, teachers, courses] = await Promise.all([
    schoolsOf(store, scope),
    registryEntities(store, 'provider'),
    registryEntities(store, 'teacher'),
    registryEntities(store, 'course'),
  ]);
  if (scope.kind === 'city')
    return { providers: [...providers.values()], teachers: [...teachers.values()], courses: [...courses.values()] };
  const ids = new Set(schools.map((s) => s.school_id));
  const inScope = (e: RegistryEntity) => ids.has(e.school_id);
  const t = [...teachers.values()].filter(inScope);
  const c = [...courses.values()].filter(inScope);
  const used = new Set([...t, ...c].map((e) => e.provider_id));
  return { providers: [...providers.values()].filter((p) => used.has(p.entity_id)), teachers: t, courses: c };
}

export interface ChartTotals {
  resources: { providers: number; teachers: number; courses: number };
  /** offerings: those that count (not 已否定); offerings_by_state: 待审批 / 已通过 / 已驳回 / 已否定. */
  selection: {
    offerings: number;
    offerings_by_state: StateCounts;
    enrollments: number;
    students_enrolled: number;
    fees_enrolled: number;
  };
  delivery: {
    sessions_scheduled: number;
    sessions_held: number;
    sessions_completed: number;
    /** (v1.1) 教师备课: sessions prepared before their start, and 备课率 of the scheduled. */
    sessions_prepared: number;
    prepared_rate: number | null;
  };
  settlement: { settled_amount: number };
}

/** 统计: 资源 / 选课 / 交付 / 结算 for the scope and term. */
export async function chartTotals(store: Store, scope: Scope, term: string): Promise<ChartTotals> {
  const [reg, schools, allOfferings, facts, activity, settled, decided] = await Promise.all([
    scopedRegistry(store, scope),
    schoolsOf(store, scope),
    offeringsOf(store, scope, term),
    termFacts(store, term),
    termActivityBySchool(store, scope, term),
    settledByOffering(store, scope, term),
    reviewFacts(store, 'course'),
  ]);
  const ids = new Set(schools.map((s) => s.school_id));
  const byState = zeroStates();
  for (const o of allOfferings) byState[reviewState(decided.get(o.offering_id))] += 1;
  const offerings = allOfferings.filter((o) => reviewState(decided.get(o.offering_id)) !== 'voided');
  const selection = {
    offerings: offerings.length,
    offerings_by_state: byState,
    enrollments: 0,
    students_enrolled: 0,
    fees_enrolled: 0,
  };
  for (const o of offerings) selection.enrollments += facts.netByOffering.get(o.offering_id) ?? 0;
  for (const [id, f] of facts.bySchool) {
    if (scope.kind !== 'city' && !ids.has(id)) continue;
    selection.students_enrolled += f.students_enrolled;
    selection.fees_enrolled += f.fees_enrolled;
  }
  const delivery = { sessions_scheduled: 0, sessions_held: 0, sessions_completed: 0, sessions_prepared: 0 };
  for (const a of activity.values()) {
    delivery.sessions_scheduled += a.scheduled;
    delivery.sessions_held += a.held;
    delivery.sessions_completed += a.completed;
    delivery.sessions_prepared += a.prepared;
  }
  return {
    resources: { providers: reg.providers.length, teachers: reg.teachers.length, courses: reg.courses.length },
    selection,
    delivery: { ...delivery, prepared_rate: rate(delivery.sessions_prepared, delivery.sessions_scheduled) },
    settlement: { settled_amount: settled.reduce((a, r) => a + r.amount, 0) },
  };
}

export interface Share {
  key: string;
  count: number;
  share: number | null;
}

export interface RegistryCharts {
  provider_channel: Share[];
  teacher_certificate: Share[];
  course_category: Share[];
  course_kind: Share[];
  /** 课程方 / 教师 / 课程入库统计: registrations per child place and per month. */
  registrations: Registrations;
}

/** 入库: registrations per place and month; shares of provider channels, certificates, course categories and kinds. */
export async function chartRegistry(store: Store, scope: Scope): Promise<RegistryCharts> {
  const [reg, registrations] = await Promise.all([scopedRegistry(store, scope), registrationsOf(store, scope)]);
  return {
    registrations,
    provider_channel: shares(
      ['bid', 'recommended', 'self'],
      reg.providers.map((p) => p.channel),
    ),
    teacher_certificate: shares(
      ['teacher', 'coach', 'skill', 'none'],
      reg.teachers.map((t) => t.certificate),
    ),
    course_category: shares(
      ['sports', 'arts', 'science', 'reading', 'labor', 'homework', 'other'],
      reg.courses.map((c) => c.category),
    ),
    course_kind: shares(
      ['school', 'external'],
      reg.courses.map((c) => c.kind),
    ),
  };
}

/** Settlements of the scope in the term's periods that count (settlements.ts), per offering and month. */
async function settledByOffering(
  store: Store,
  scope: Scope,
  term: string,
): Promise<{ offering_id: string; period: string; amount: number }[]> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT latest_offering AS offering_id, latest_period AS period, sum(latest_amount) AS amount
    FROM (${countedSettlements(schoolFilter(scope))})
    WHERE ${isIn(sql`latest_period`, termPeriods(term))}
    GROUP BY latest_offering, latest_period`);
  return rows.map((r) => ({ offering_id: String(r.offering_id), period: String(r.period), amount: num(r.amount) }));
}

export interface SettlementCharts {
  by_offering: { offering_id: string; course_id: string; course_name: string; amount: number }[];
  by_month: { period: string; amount: number }[];
}

/** 结算: settled funds per offering (with its course) and per month of the term. */
export async function chartSettlement(store: Store, scope: Scope, term: string): Promise<SettlementCharts> {
  const rows = await settledByOffering(store, scope, term);
  const offeringIds = [...new Set(rows.map((r) => r.offering_id))].sort();
  const courseOf = new Map(
    (
      await store.query<{ offering_id: string; latest_course: string }>(sql`
        SELECT offering_id, argMax(course_id, ts_ms) AS latest_course FROM offerings
        WHERE ${isIn(sql`offering_id`, offeringIds)} GROUP BY offering_id`)
    ).map((r) => [r.offering_id, r.latest_course]),
  );
  const courses = await registryEntities(store, 'course', [...courseOf.values()]);
  const sum = (key: (r: (typeof rows)[number]) => string) => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + r.amount);
    return m;
  };
  const byOffering = sum((r) => r.offering_id);
  const byMonth = sum((r) => r.period);
  return {
    by_offering: offeringIds.map((id) => {
      const course = courseOf.get(id) ?? '';
      return {
        offering_id: id,
        course_id: course,
        course_name: courses.get(course)?.name ?? '',
        amount: byOffering.get(id) ?? 0,
      };
    }),
    by_month: termPeriods(term).map((period) => ({ period, amount: byMonth.get(period) ?? 0 })),
  };
}
