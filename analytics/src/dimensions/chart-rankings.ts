import { sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';
import { rate, withRates, zeroCounts, type DueFigures, type Metrics } from '../metrics/definitions.ts';
import { computeOverview } from '../metrics/overview.ts';
import { schoolsOf } from '../metrics/queries/term-by-school.ts';
import { termFacts } from '../metrics/queries/term-facts.ts';
import { rank } from '../metrics/rankings.ts';
import { schoolFilter, type Scope } from '../metrics/scope.ts';
import { latestOfferings, offeringsOf, registryEntities } from './latest.ts';
import { termActivityBySchool } from './process.ts';
import { shares, topBottom, type TopBottom } from './rank-by.ts';
import { sessionsBetweenSql } from './sessions.ts';
import { termDays } from './term.ts';

import type { Share } from './charts.ts';

// 图表 rankings: the top and bottom 10 schools of the scope for 选课, 排课, 报名 and 上课.
// Every registry school of the scope is ranked (with 0 when it has nothing); a rate that has
// no denominator is null and ranked nowhere, as in metrics/rankings.ts.

export interface SelectionCharts {
  /** Distinct offerings of the term with at least one net enrollment. */
  courses_selected: TopBottom;
  /** Net enrollment fees of the term (选课使用经费). */
  fees_enrolled: TopBottom;
}

export async function chartSelection(store: Store, scope: Scope, term: string): Promise<SelectionCharts> {
  const [schools, offerings, facts] = await Promise.all([
    schoolsOf(store, scope),
    offeringsOf(store, scope, term),
    termFacts(store, term),
  ]);
  const selected = new Map<string, number>();
  for (const o of offerings) {
    if ((facts.netByOffering.get(o.offering_id) ?? 0) > 0)
      selected.set(o.school_id, (selected.get(o.school_id) ?? 0) + 1);
  }
  return {
    courses_selected: topBottom(schools.map((s) => ({ school: s, value: selected.get(s.school_id) ?? 0 }))),
    fees_enrolled: topBottom(
      schools.map((s) => ({ school: s, value: facts.bySchool.get(s.school_id)?.fees_enrolled ?? 0 })),
    ),
  };
}

export interface SchedulingCharts {
  /** Sessions of the term (scheduled, not cancelled) by course category. */
  by_category: Share[];
  sessions_scheduled: TopBottom;
  /** (v1.1) 备课率 of the term's scheduled sessions; a school with none is ranked nowhere. */
  prepared_rate: TopBottom;
}

export async function chartScheduling(store: Store, scope: Scope, term: string): Promise<SchedulingCharts> {
  const { first, last } = termDays(term);
  const inTerm = sql`${schoolFilter(scope)} AND offering_id IN (SELECT offering_id FROM (${latestOfferings(scope, term)}))`;
  const [schools, activity, byCourse] = await Promise.all([
    schoolsOf(store, scope),
    termActivityBySchool(store, scope, term),
    store.query<{ course_id: string; n: string | number }>(sql`
      SELECT course_id, count() AS n FROM (${sessionsBetweenSql(first, last, inTerm)})
      WHERE state = 'session_scheduled' GROUP BY course_id`),
  ]);
  const courses = await registryEntities(
    store,
    'course',
    byCourse.map((r) => r.course_id),
  );
  const categories = byCourse.flatMap((r) =>
    Array<string>(num(r.n)).fill(courses.get(r.course_id)?.category || 'other'),
  );
  return {
    by_category: shares(['sports', 'arts', 'science', 'reading', 'labor', 'homework', 'other'], categories),
    sessions_scheduled: topBottom(
      schools.map((s) => ({ school: s, value: activity.get(s.school_id)?.scheduled ?? 0 })),
    ),
    prepared_rate: topBottom(
      schools.map((s) => {
        const a = activity.get(s.school_id);
        return { school: s, value: rate(a?.prepared ?? 0, a?.scheduled ?? 0) };
      }),
    ),
  };
}

export interface EnrollmentCharts {
  students_enrolled: TopBottom;
  enrollment_rate: TopBottom;
}

/** 报名: the contract's students_enrolled and enrollment_rate for the term, ranked with `rank`. */
export async function chartEnrollment(store: Store, scope: Scope, term: string): Promise<EnrollmentCharts> {
  const [schools, facts] = await Promise.all([schoolsOf(store, scope), termFacts(store, term)]);
  const rows = schools.map((school) => ({
    school,
    metrics: withRates({
      ...zeroCounts(),
      students: school.students,
      students_enrolled: facts.bySchool.get(school.school_id)?.students_enrolled ?? 0,
      fees_enrolled: facts.bySchool.get(school.school_id)?.fees_enrolled ?? 0,
    }),
  }));
  return {
    students_enrolled: {
      top: rank(rows, 'students_enrolled', 'top', 10),
      bottom: rank(rows, 'students_enrolled', 'bottom', 10),
    },
    enrollment_rate: {
      top: rank(rows, 'enrollment_rate', 'top', 10),
      bottom: rank(rows, 'enrollment_rate', 'bottom', 10),
    },
  };
}

export interface AttendanceCharts {
  /** The figures due so far (contract v1.1), beside the day's below. */
  due: DueFigures;
  teachers: Pick<Metrics, 'sessions_scheduled' | 'teachers_present' | 'teacher_attendance_rate'>;
  students: Pick<Metrics, 'students_expected' | 'students_present' | 'attendance_rate'>;
  attendance_rate: TopBottom;
}

/** 上课: the day's teacher and student attendance (the overview's numbers) and school ranks. */
export async function chartAttendance(
  store: Store,
  scope: Scope,
  day: string,
  now: number = Date.now(),
  at?: string,
): Promise<AttendanceCharts> {
  const { overview, schools } = await computeOverview(store, scope, day, now, { at });
  const m = overview.metrics;
  return {
    due: overview.due,
    teachers: {
      sessions_scheduled: m.sessions_scheduled,
      teachers_present: m.teachers_present,
      teacher_attendance_rate: m.teacher_attendance_rate,
    },
    students: {
      students_expected: m.students_expected,
      students_present: m.students_present,
      attendance_rate: m.attendance_rate,
    },
    // Ranked as the wall ranks (RANK_BY): by the rate due so far; for a past day, the day's.
    attendance_rate: {
      top: rank(schools, 'due.attendance_rate', 'top', 10),
      bottom: rank(schools, 'due.attendance_rate', 'bottom', 10),
    },
  };
}
