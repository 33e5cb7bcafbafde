import { dayWindow, num, scheduledSessions, sql, termOfDay, type Store, type TermFacts } from '@edu/analytics';

// What the alert rules look at, read from ClickHouse for one day of the timetable. Kept as
// plain data so the rules (rules.ts) are pure functions that tests can drive with a clock.

export interface SessionFacts {
  session_id: string;
  school_id: string;
  teacher_id: string;
  course_id: string;
  planned_start_ms: number;
  planned_end_ms: number;
  started: boolean;
  ended: boolean;
  teachers_checked_in: string[];
  /** Students checked in and not checked out. */
  unaccounted: number;
  students_expected: number;
  students_present: number;
}

export interface FeedbackFacts {
  target: 'course' | 'teacher' | 'provider';
  target_id: string;
  school_id: string;
  /** Scores, newest first. */
  scores: number[];
}

export interface BudgetFacts {
  school_id: string;
  course_id: string;
  budget: number;
  settled: number;
}

export interface AlertFacts {
  day: string;
  sessions: SessionFacts[];
  feedback: FeedbackFacts[];
  budgets: BudgetFacts[];
}

const city = { kind: 'city' } as const;

export async function sessionFacts(store: Store, day: string, facts: TermFacts): Promise<SessionFacts[]> {
  const sessions = scheduledSessions(city, day);
  const ids = sql`SELECT session_id FROM (${sessions})`;
  const [rows, cls, teachers, students, present] = await Promise.all([
    store.query<Record<string, unknown>>(sessions),
    store.query<Record<string, unknown>>(sql`
      SELECT session_id, max(type = 'class_started') AS s, max(type = 'class_ended') AS e
      FROM class_events WHERE ${dayWindow(day)} AND session_id IN (${ids}) GROUP BY session_id`),
    store.query<Record<string, unknown>>(sql`
      SELECT session_id, groupUniqArray(person_id) AS ts FROM checkins
      WHERE ${dayWindow(day)} AND person = 'teacher' AND type = 'checkin' AND session_id IN (${ids})
      GROUP BY session_id`),
    store.query<Record<string, unknown>>(sql`
      SELECT session_id, sum(cin = 1 AND cout = 0) AS n FROM (
        SELECT session_id, person_id, max(type = 'checkin') AS cin, max(type = 'checkout') AS cout
        FROM checkins WHERE ${dayWindow(day)} AND person = 'student' AND session_id IN (${ids})
        GROUP BY session_id, person_id
      ) GROUP BY session_id`),
    store.query<Record<string, unknown>>(sql`
      SELECT session_id, uniqExactMerge(students) AS p FROM session_students
      WHERE ${dayWindow(day)} AND session_id IN (${ids}) GROUP BY session_id`),
  ]);
  const pOf = new Map(present.map((r) => [String(r.session_id), num(r.p)]));
  const clsOf = new Map(cls.map((r) => [String(r.session_id), r]));
  const tOf = new Map(teachers.map((r) => [String(r.session_id), r.ts as string[]]));
  const sOf = new Map(students.map((r) => [String(r.session_id), num(r.n)]));
  return rows.map((r) => {
    const id = String(r.session_id);
    const c = clsOf.get(id);
    return {
      session_id: id,
      school_id: String(r.school_id),
      teacher_id: String(r.teacher_id),
      course_id: String(r.course_id),
      planned_start_ms: num(r.planned_start_ms),
      planned_end_ms: num(r.planned_end_ms),
      started: num(c?.s) === 1,
      ended: num(c?.e) === 1,
      teachers_checked_in: tOf.get(id) ?? [],
      unaccounted: sOf.get(id) ?? 0,
      students_present: pOf.get(id) ?? 0,
      students_expected: facts.netByOffering.get(String(r.offering_id)) ?? 0,
    };
  });
}

export async function feedbackFacts(
  store: Store,
  day: string,
  windowDays: number,
  run: number,
): Promise<FeedbackFacts[]> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT target, target_id, any(school_id) AS sch, any(ts_ms) AS t, any(score) AS sc
    FROM feedback
    WHERE day >= toDate(${day}) - ${windowDays} AND day <= toDate(${day})
      AND target IN ('course', 'teacher', 'provider')
    GROUP BY id, target, target_id`);
  const by = new Map<string, { f: FeedbackFacts; list: { t: number; s: number; school: string }[] }>();
  for (const r of rows) {
    const key = `${String(r.target)}:${String(r.target_id)}`;
    let e = by.get(key);
    if (!e)
      by.set(
        key,
        (e = {
          f: {
            target: String(r.target) as FeedbackFacts['target'],
            target_id: String(r.target_id),
            school_id: '',
            scores: [],
          },
          list: [],
        }),
      );
    e.list.push({ t: num(r.t), s: num(r.sc), school: String(r.sch) });
  }
  return [...by.values()].map(({ f, list }) => {
    list.sort((a, b) => b.t - a.t);
    return { ...f, school_id: list[0]?.school ?? '', scores: list.slice(0, run).map((x) => x.s) };
  });
}

export async function budgetFacts(store: Store, day: string): Promise<BudgetFacts[]> {
  const term = termOfDay(day);
  const [budgets, offerings, settled] = await Promise.all([
    store.query<Record<string, unknown>>(sql`
      SELECT school_id, budget_id, argMax(term, ts_ms) AS l_term, argMax(item_course_id, ts_ms) AS ic,
             argMax(item_amount, ts_ms) AS ia
      FROM budgets GROUP BY school_id, budget_id`),
    store.query<Record<string, unknown>>(sql`
      SELECT offering_id, argMax(course_id, ts_ms) AS c, argMax(term, ts_ms) AS l_term
      FROM offerings GROUP BY offering_id`),
    store.query<Record<string, unknown>>(sql`
      SELECT latest_school, latest_offering, sum(latest_amount) AS amount FROM (
        SELECT settlement_id, argMax(amount, ts_ms) AS latest_amount,
               argMax(offering_id, ts_ms) AS latest_offering, argMax(school_id, ts_ms) AS latest_school
        FROM settlements GROUP BY settlement_id
      ) GROUP BY latest_school, latest_offering`),
  ]);
  const budget = new Map<string, number>();
  for (const b of budgets) {
    if (String(b.l_term) !== term) continue;
    const courses = b.ic as string[];
    const amounts = (b.ia as unknown[]).map(num);
    courses.forEach((c, i) => {
      if (c === '') return;
      const key = `${String(b.school_id)}\u0000${c}`;
      budget.set(key, (budget.get(key) ?? 0) + (amounts[i] ?? 0));
    });
  }
  const courseOf = new Map(
    offerings.filter((o) => String(o.l_term) === term).map((o) => [String(o.offering_id), String(o.c)]),
  );
  const spent = new Map<string, number>();
  for (const s of settled) {
    const course = courseOf.get(String(s.latest_offering));
    if (!course) continue;
    const key = `${String(s.latest_school)}\u0000${course}`;
    spent.set(key, (spent.get(key) ?? 0) + num(s.amount));
  }
  return [...budget.entries()].map(([key, amount]) => {
    const [school_id, course_id] = key.split('\u0000') as [string, string];
    return { school_id, course_id, budget: amount, settled: spent.get(key) ?? 0 };
  });
}

export async function loadAlertFacts(
  store: Store,
  day: string,
  facts: TermFacts,
  cfg: { feedbackWindowDays: number; feedbackRun: number },
): Promise<AlertFacts> {
  const [sessions, feedback, budgets] = await Promise.all([
    sessionFacts(store, day, facts),
    feedbackFacts(store, day, cfg.feedbackWindowDays, cfg.feedbackRun),
    budgetFacts(store, day),
  ]);
  return {
    day,
    sessions,
    feedback,
    budgets,
  };
}
