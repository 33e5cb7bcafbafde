import { sql } from '../../clickhouse/sql.ts';
import { num, type Store } from '../../clickhouse/store.ts';
import type { DueCounts, MetricCounts } from '../definitions.ts';
import type { Moment } from '../moment.ts';
import type { Scope } from '../scope.ts';
import { sessionFiguresSql } from './session-figures.ts';

// The day's session, attendance and teacher counts, and the same "due so far", per school and
// offering of the scope: the per-session figures (session-figures.ts) summed. Per offering,
// because students_expected and students_due need each offering's net enrollment, which
// changes rarely and is computed once per term (term-facts.ts) rather than in every query.

type DayCounts = Pick<
  MetricCounts,
  'sessions_scheduled' | 'sessions_started' | 'sessions_completed' | 'students_present' | 'teachers_present'
>;

export interface DayOfferingCounts {
  school_id: string;
  offering_id: string;
  day: DayCounts;
  /** students_due is left 0 here: the caller multiplies sessions_due by the net enrollment. */
  due: DueCounts;
}

export async function dayCountsByOffering(
  store: Store,
  scope: Scope,
  day: string,
  m: Moment,
): Promise<DayOfferingCounts[]> {
  const rows = await store.query<Record<string, string | number>>(sql`
    SELECT school_id, offering_id,
           count() AS sessions_scheduled,
           sum(started) AS sessions_started,
           sum(ended) AS sessions_completed,
           sum(present) AS students_present,
           sum(teacher_present) AS teachers_present,
           sum(due_start) AS due_sessions,
           sum(due_start * present_by_t) AS due_present,
           sum(due_start * teacher_present_by_t) AS due_teachers,
           sum(due_end) AS due_sessions_end,
           sum(due_end * ended_by_t) AS due_completed
    FROM (${sessionFiguresSql(scope, day, m)})
    GROUP BY school_id, offering_id`);
  return rows.map((r) => ({
    school_id: String(r.school_id),
    offering_id: String(r.offering_id),
    day: {
      sessions_scheduled: num(r.sessions_scheduled),
      sessions_started: num(r.sessions_started),
      sessions_completed: num(r.sessions_completed),
      students_present: num(r.students_present),
      teachers_present: num(r.teachers_present),
    },
    due: {
      sessions_due: num(r.due_sessions),
      students_due: 0,
      students_present: num(r.due_present),
      teachers_present: num(r.due_teachers),
      sessions_due_end: num(r.due_sessions_end),
      sessions_completed: num(r.due_completed),
    },
  }));
}
