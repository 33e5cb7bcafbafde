import {
  insertAlertVersions,
  toShanghaiRfc3339,
  type Alert,
  type AlertState,
  type Overview,
  type RankingRow,
  type Snapshot,
  type Store,
} from '@edu/analytics';
import { disposeTestStore, FIXTURE_DAY, fixtureCityEvents, openTestStore, TEST_ENGINES } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { ApiClient, startTestStreamer, storeEvents, type TestStreamer } from '../testing/harness.ts';

// Replay (回放, issue 12): the wall at a past moment of the fixture day equals what the read API
// answers with that `at` — the figures, the rankings, the alerts as they stood then — and its
// curve stops at that moment. The streamer's clock is the next morning: the fixture day is over.

const NEXT_MORNING = Date.parse('2026-11-28T10:00:00+08:00');
const at = (hhmm: string, day = FIXTURE_DAY) => Date.parse(`${day}T${hhmm}:00+08:00`);
const iso = (ms: number) => toShanghaiRfc3339(ms);

function alert(id: string, school: string, zone: string, district: string, opened: number): Alert {
  // A timetable rule's id names its day (analytics' alertOfDay): `rule:day:subject`.
  return {
    id: `teacher_not_checked_in:${iso(opened).slice(0, 10)}:${id}`,
    rule: 'teacher_not_checked_in',
    severity: 'critical',
    state: 'open',
    dimension: 'safety',
    school_id: school,
    school_name: school,
    zone_id: zone,
    district_id: district,
    subject_id: `se-${id}`,
    title: '教师未签到',
    detail: '',
    opened_at: iso(opened),
    updated_at: iso(opened),
  };
}

/** One alert's lifecycle as versions: each step at its own time. */
function lifecycle(a: Alert, steps: [AlertState, number][]) {
  return steps.map(([state, ts], i) => {
    const body: Alert = { ...a, state, updated_at: iso(ts) };
    if (state === 'acknowledged') body.ack = { by: 'u-leader', at: iso(ts), comment: '已电话核实' };
    if (state === 'resolved') {
      const acked = steps.find(([s]) => s === 'acknowledged');
      if (acked) body.ack = { by: 'u-leader', at: iso(acked[1]), comment: '已电话核实' };
      body.resolved_at = iso(ts);
    }
    return { alert: body, version: i + 1, ts_ms: ts };
  });
}

/** An alert's short name in these tests (the subject part of its id). */
const short = (a: Alert) => a.id.split(':').pop();
const strip = (o: Overview) => ({ ...o, computed_at: undefined, lag_ms: undefined });
const MOMENTS = ['15:20', '16:25', '17:40'];

describe.each(TEST_ENGINES)('replay snapshot on %s', (engine) => {
  let store: Store;
  let t: TestStreamer;
  let leader: ApiClient;
  let staff: ApiClient;

  beforeAll(async () => {
    store = await openTestStore(engine, 'replay');
    await storeEvents(store, fixtureCityEvents());
    // a1 (s1, d1): open 16:10, acknowledged 16:20, resolved 16:40. a2 (s3, d2): open 17:00,
    // resolved the next morning. a0: resolved the day before — not on this day's replay.
    await insertAlertVersions(store, [
      ...lifecycle(alert('a1', 's1', 'z1', 'd1', at('16:10')), [
        ['open', at('16:10')],
        ['acknowledged', at('16:20')],
        ['resolved', at('16:40')],
      ]),
      ...lifecycle(alert('a2', 's3', 'z3', 'd2', at('17:00')), [
        ['open', at('17:00')],
        ['resolved', at('09:00', '2026-11-28')],
      ]),
      ...lifecycle(alert('a0', 's1', 'z1', 'd1', at('16:00', '2026-11-26')), [
        ['open', at('16:00', '2026-11-26')],
        ['resolved', at('17:00', '2026-11-26')],
      ]),
      // a3 (s3): only its newest version survived a merge (ReplacingMergeTree): opened 17:10,
      // acknowledged 17:15, resolved 17:30, one row at 17:30.
      {
        ...lifecycle(alert('a3', 's3', 'z3', 'd2', at('17:10')), [
          ['acknowledged', at('17:15')],
          ['resolved', at('17:30')],
        ])[1]!,
        version: 3,
      },
    ]);
    t = await startTestStreamer(store, { clock: new ManualClock(NEXT_MORNING) });
    leader = await new ApiClient(t.url).login('13800000001');
    staff = await new ApiClient(t.url).login('13900000001'); // d1's
  });
  afterAll(async () => {
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  for (const scope of ['city', 'district:d1', 'school:s3']) {
    it(`${scope}: each moment equals the read API with that at`, async () => {
      for (const m of MOMENTS) {
        const q = `scope=${scope}&date=${FIXTURE_DAY}&at=${m}`;
        const snap = await leader.get<Snapshot>(`/api/v1/snapshot?${q}`);
        expect([m, snap.status]).toEqual([m, 200]);
        const ov = await leader.get<Overview>(`/api/v1/overview?${q}`);
        expect([m, strip(snap.body.overview)]).toEqual([m, strip(ov.body)]);
        expect(snap.body.overview.due.at).toBe(`${FIXTURE_DAY}T${m}:00.000+08:00`);
        for (const [metric, by] of [
          ['attendance_rate', 'due.attendance_rate'],
          ['enrollment_rate', 'enrollment_rate'],
          ['settled_amount', 'settled_amount'],
        ] as const)
          for (const order of ['top', 'bottom'] as const) {
            const r = await leader.get<{ rows: RankingRow[] }>(`/api/v1/rankings?${q}&metric=${by}&order=${order}`);
            expect([m, metric, order, snap.body.rankings[metric][order]]).toEqual([m, metric, order, r.body.rows]);
          }
        const al = await leader.get<{ alerts: Alert[] }>(`/api/v1/alerts?${q}`);
        const byId = (xs: Alert[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
        expect([m, byId(snap.body.alerts)]).toEqual([m, byId(al.body.alerts)]);
        // The curve as it stood: nothing from the moment on.
        const minute = Number(m.slice(0, 2)) * 60 + Number(m.slice(3));
        expect(snap.body.minutes.every((p) => p.minute < minute)).toBe(true);
      }
    });
  }

  it('shows each alert as it stood at each moment', async () => {
    const states = async (m: string) => {
      const r = await leader.get<Snapshot>(`/api/v1/snapshot?scope=city&date=${FIXTURE_DAY}&at=${m}`);
      return Object.fromEntries(r.body.alerts.map((a) => [short(a), a.state]));
    };
    expect(await states('16:00')).toEqual({});
    expect(await states('16:15')).toEqual({ a1: 'open' });
    expect(await states('16:25')).toEqual({ a1: 'acknowledged' });
    expect(await states('16:50')).toEqual({ a1: 'resolved' });
    expect(await states('17:40')).toEqual({ a1: 'resolved', a2: 'open', a3: 'resolved' });
    // a3's earlier versions are gone: its state then is wound back from its newest body.
    expect(await states('17:05')).toEqual({ a1: 'resolved', a2: 'open' });
    expect(await states('17:20')).toEqual({ a1: 'resolved', a2: 'open', a3: 'acknowledged' });
    const at1615 = await leader.get<Snapshot>(`/api/v1/snapshot?scope=city&date=${FIXTURE_DAY}&at=16:15`);
    expect([at1615.body.alert_counts.critical, at1615.body.alert_groups.map((g) => g.count)]).toEqual([1, [1]]);
    // The end of the day: a1 resolved that day (still listed), a2 open until the next morning.
    const liveAlerts = await leader.get<{ alerts: Alert[] }>(`/api/v1/alerts?scope=city&date=${FIXTURE_DAY}&at=23:59`);
    expect(liveAlerts.body.alerts.map((a) => [short(a), a.state]).sort()).toEqual([
      ['a1', 'resolved'],
      ['a2', 'open'],
      ['a3', 'resolved'],
    ]);
  });

  it('keeps the curve to the moment and the figures to events by then', async () => {
    const early = await leader.get<Snapshot>(`/api/v1/snapshot?scope=city&date=${FIXTURE_DAY}&at=15:20`);
    const late = await leader.get<Snapshot>(`/api/v1/snapshot?scope=city&date=${FIXTURE_DAY}&at=17:40`);
    const sum = (s: Snapshot) => s.minutes.reduce((n, p) => n + p.students, 0);
    expect(sum(late.body)).toBeGreaterThan(sum(early.body));
    expect(late.body.overview.metrics.students_present).toBeGreaterThan(early.body.overview.metrics.students_present);
  });

  it('checks the scope as live reads do, and filters to the user', async () => {
    const other = await staff.get<{ code: string }>(`/api/v1/snapshot?scope=district:d2&date=${FIXTURE_DAY}&at=17:40`);
    expect([other.status, other.body.code]).toEqual([403, 'district_not_yours']);
    const own = await staff.get<Snapshot>(`/api/v1/snapshot?scope=city&date=${FIXTURE_DAY}&at=17:40`);
    expect(own.status).toBe(403);
    const d1 = await staff.get<Snapshot>(`/api/v1/snapshot?scope=district:d1&date=${FIXTURE_DAY}&at=16:15`);
    expect([d1.status, d1.body.alerts.map(short)]).toEqual([200, ['a1']]);
    const bad = await leader.get<{ code: string }>(`/api/v1/snapshot?scope=city&date=${FIXTURE_DAY}&at=16:5`);
    expect([bad.status, bad.body.code]).toEqual([400, 'bad_request']);
  });

  it('serves a replayed minute from the shared cache', async () => {
    const q = `/api/v1/snapshot?scope=district:d1&date=${FIXTURE_DAY}&at=16:35`;
    const first = await leader.get<Snapshot>(q);
    // A late alert version for that minute: the cached minute stands until its TTL ends.
    await insertAlertVersions(store, lifecycle(alert('a9', 's1', 'z1', 'd1', at('16:30')), [['open', at('16:30')]]));
    const again = await leader.get<Snapshot>(q);
    expect(again.body).toEqual(first.body);
    const fresh = await leader.get<{ alerts: Alert[] }>(
      `/api/v1/alerts?scope=district:d1&date=${FIXTURE_DAY}&at=16:35`,
    );
    expect(fresh.body.alerts.map(short).sort()).toEqual(['a1', 'a9']);
  });

  it('asks the store once per minute, however many walls replay it at once', async () => {
    // Counts the replay's alerts-as-of reads (analytics' alertsAsOf, which nothing else sends)
    // on the store object the streamer was given: one per computed minute.
    let queries = 0;
    const query = store.query.bind(store);
    store.query = ((...args: Parameters<Store['query']>) => {
      if (args[0].text.includes('argMaxIf(body')) queries++;
      return query(...args);
    }) as Store['query'];
    try {
      const one = async (m: string) => {
        queries = 0;
        const r = await leader.get<Snapshot>(`/api/v1/snapshot?scope=city&date=${FIXTURE_DAY}&at=${m}`);
        expect(r.status).toBe(200);
        return queries;
      };
      expect(await one('17:01')).toBe(1);
      expect(await one('17:01')).toBe(0);
      // Five walls at once on a minute nobody asked for yet: one computation between them.
      queries = 0;
      const five = await Promise.all(
        [0, 1, 2, 3, 4].map(() => leader.get<Snapshot>(`/api/v1/snapshot?scope=city&date=${FIXTURE_DAY}&at=17:02`)),
      );
      expect(five.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(queries).toBe(1);
    } finally {
      store.query = query;
    }
  });
});
