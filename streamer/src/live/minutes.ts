import { num, schoolFilter, sql, type MinutePoint, type Scope, type Store } from '@edu/analytics';

/** Check-ins per minute of the day, by person, from the checkin_minutes materialized table. */
export async function checkinMinutes(store: Store, scope: Scope, day: string): Promise<MinutePoint[]> {
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT minute, person, uniqExactMerge(events) AS n
    FROM checkin_minutes
    WHERE day = toDate(${day}) AND ${schoolFilter(scope)}
    GROUP BY minute, person
    ORDER BY minute`);
  const byMinute = new Map<number, MinutePoint>();
  for (const r of rows) {
    const m = num(r.minute);
    let p = byMinute.get(m);
    if (!p) byMinute.set(m, (p = { minute: m, students: 0, teachers: 0 }));
    if (r.person === 'student') p.students += num(r.n);
    else if (r.person === 'teacher') p.teachers += num(r.n);
  }
  return [...byMinute.values()].sort((a, b) => a.minute - b.minute);
}
