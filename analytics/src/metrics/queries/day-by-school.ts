import type { Store } from '../../clickhouse/store.ts';
import type { DueCounts, MetricCounts } from '../definitions.ts';
import type { Moment } from '../moment.ts';
import type { Scope } from '../scope.ts';
import { sessionFigures, type SessionFigures } from './session-figures.ts';

// The day's session, attendance and teacher counts, and the same "due so far", per school and
// offering of the scope: the per-session figures (session-figures.ts, the one SQL) summed. Per
// offering, because students_expected and students_due need each offering's net enrollment,
// which changes rarely and is computed once per term (term-facts.ts). The sums are done here
// rather than in SQL so that a caller holding the session figures already (the alert rules)
// derives the schools' figures from the same rows instead of reading them twice.

type DayCounts = Pick<
  MetricCounts,
  | 'sessions_scheduled'
  | 'sessions_started'
  | 'sessions_completed'
  | 'students_present'
  | 'teachers_present'
  | 'sessions_prepared'
>;

export interface DayOfferingCounts {
  school_id: string;
  offering_id: string;
  day: DayCounts;
  /** students_due is left 0 here: the caller multiplies sessions_due by the net enrollment. */
  due: DueCounts;
}

/** Sums session figures per school and offering. */
export function sumByOffering(figures: readonly SessionFigures[]): DayOfferingCounts[] {
  const out = new Map<string, DayOfferingCounts>();
  for (const f of figures) {
    const key = `${f.school_id}\u0000${f.offering_id}`;
    let c = out.get(key);
    if (!c) {
      c = {
        school_id: f.school_id,
        offering_id: f.offering_id,
        day: {
          sessions_scheduled: 0,
          sessions_started: 0,
          sessions_completed: 0,
          students_present: 0,
          teachers_present: 0,
          sessions_prepared: 0,
        },
        due: {
          sessions_due: 0,
          students_due: 0,
          students_present: 0,
          teachers_present: 0,
          sessions_due_end: 0,
          sessions_completed: 0,
        },
      };
      out.set(key, c);
    }
    addSession(c.day, c.due, f);
  }
  return [...out.values()];
}

/**
 * Adds one session's figures to day and due counts: the one place that says how a session
 * counts. students_expected and students_due are the caller's (the offering's net enrollment).
 */
export function addSession(day: DayCounts, due: DueCounts, f: SessionFigures): void {
  day.sessions_scheduled += 1;
  day.sessions_started += Number(f.started);
  day.sessions_completed += Number(f.ended);
  day.students_present += f.present;
  day.teachers_present += Number(f.teacher_present);
  day.sessions_prepared += Number(f.prepared);
  if (f.due_start) {
    due.sessions_due += 1;
    due.students_present += f.present_by_t;
    due.teachers_present += Number(f.teacher_present_by_t);
  }
  if (f.due_end) {
    due.sessions_due_end += 1;
    due.sessions_completed += Number(f.ended_by_t);
  }
}

export async function dayCountsByOffering(
  store: Store,
  scope: Scope,
  day: string,
  m: Moment,
): Promise<DayOfferingCounts[]> {
  return sumByOffering(await sessionFigures(store, scope, day, m));
}
