import {
  momentOf,
  parseScope,
  referenceMetrics,
  referenceOverview,
  type Overview,
  type RankingRow,
  type Scope,
  type Store,
} from '@edu/analytics';
import {
  disposeTestStore,
  FIXTURE_DAY,
  fixtureCityEvents,
  openTestStore,
  TEST_ENGINES,
  userVersions,
} from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { ApiClient, startTestStreamer, storeEvents, type TestStreamer } from '../testing/harness.ts';

// The Read API against both ClickHouse engines: every number equals the contract definition
// computed directly from the fixture events (duplicates, late events, withdrawals, cancelled
// sessions, "no data" as null), and every request is checked against the user's scope.

const SIX_PM = Date.parse(`${FIXTURE_DAY}T18:00:00+08:00`);

describe.each(TEST_ENGINES)('read API on %s', (engine) => {
  let store: Store;
  let t: TestStreamer;
  let leader: ApiClient;
  let staff: ApiClient;
  const events = fixtureCityEvents();

  beforeAll(async () => {
    store = await openTestStore(engine, 'api');
    await storeEvents(store, events.slice(0, 40));
    await storeEvents(store, events.slice(40)); // duplicates land in another part
    t = await startTestStreamer(store, { clock: new ManualClock(SIX_PM) });
    leader = await new ApiClient(t.url).login('13800000001');
    staff = await new ApiClient(t.url).login('13900000001'); // seeded staff of district d1
  });
  afterAll(async () => {
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  for (const s of ['city', 'district:d1', 'district:d2', 'district:d3', 'zone:z2', 'school:s1', 'school:s5']) {
    it(`overview of ${s} equals the definitions`, async () => {
      const r = await leader.get<Overview>(`/api/v1/overview?scope=${s}&date=${FIXTURE_DAY}`);
      expect(r.status).toBe(200);
      expect(r.body.metrics).toEqual(referenceMetrics(events, parseScope(s) as Scope, FIXTURE_DAY));
      expect(r.body.scope).toBe(s);
      expect(r.body.date).toBe(FIXTURE_DAY);
    });
  }

  it('answers the due figures of now, and with `at` every figure as it stood then (v1.1)', async () => {
    const live = await leader.get<Overview>(`/api/v1/overview?scope=city&date=${FIXTURE_DAY}`);
    const city = { kind: 'city' } as const;
    expect(live.body.due).toEqual(referenceOverview(events, city, FIXTURE_DAY, momentOf(FIXTURE_DAY, SIX_PM)).due);
    expect(live.body.due.at).toBe('2026-11-27T18:00:00.000+08:00');
    const then = await leader.get<Overview>(`/api/v1/overview?scope=district:d1&date=${FIXTURE_DAY}&at=15:35`);
    const ref = referenceOverview(
      events,
      parseScope('district:d1') as Scope,
      FIXTURE_DAY,
      momentOf(FIXTURE_DAY, SIX_PM, '15:35'),
    );
    expect([then.status, then.body.metrics, then.body.due, then.body.at]).toEqual([200, ref.metrics, ref.due, '15:35']);
    const byDue = await leader.get<{ rows: RankingRow[] }>(
      `/api/v1/rankings?metric=due.attendance_rate&order=bottom&date=${FIXTURE_DAY}&at=16:00`,
    );
    expect(byDue.body.rows.map((x) => x.school_id)).toEqual(['s3', 's1']);
    for (const bad of ['25:00', '9:05', '16:00:00', 'now']) {
      const r = await leader.get<{ code: string }>(`/api/v1/overview?scope=city&at=${bad}`);
      expect([bad, r.status, r.body.code]).toEqual([bad, 400, 'bad_request']);
    }
  });

  it('says "no data" as null, not zero', async () => {
    const r = await leader.get<Overview>('/api/v1/overview?scope=district:d3&date=2026-11-27');
    expect(r.body.metrics.attendance_rate).toBeNull();
    expect(r.body.metrics.completion_rate).toBeNull();
    expect(r.body.as_of).toBeNull();
  });

  it('defaults the day to today in Asia/Shanghai (of the streamer clock)', async () => {
    const r = await leader.get<Overview>('/api/v1/overview?scope=city');
    expect(r.body.date).toBe(FIXTURE_DAY);
  });

  it('ranks schools by a metric, ties broken by school id', async () => {
    const top = await leader.get<{ rows: RankingRow[] }>(
      `/api/v1/rankings?metric=students&order=top&limit=3&date=${FIXTURE_DAY}`,
    );
    expect(top.status).toBe(200);
    expect(top.body.rows.map((x) => [x.school_id, x.value])).toEqual([
      ['s1', 500],
      ['s2', 300],
      ['s3', 200],
    ]);
    const bottom = await leader.get<{ rows: RankingRow[] }>(
      `/api/v1/rankings?metric=settled_amount&order=bottom&limit=10&scope=district:d1&date=${FIXTURE_DAY}`,
    );
    expect(bottom.body.rows.map((x) => x.school_id)).toEqual(['s2', 's5', 's1']);
  });

  it('refuses bad requests with a reason', async () => {
    const cases: [string, number, string][] = [
      ['/api/v1/overview?scope=planet:x', 400, 'invalid_scope'],
      ['/api/v1/overview?scope=city&date=2026-13-01', 400, 'bad_request'],
      ['/api/v1/rankings?metric=drop_table&order=top', 400, 'bad_request'],
      ['/api/v1/rankings?metric=attendance_rate&limit=1000', 400, 'bad_request'],
      ['/api/v1/nothing', 404, 'not_found'],
    ];
    for (const [path, status, code] of cases) {
      const r = await leader.get<{ error: string; code: string }>(path);
      expect([path, r.status, r.body.code]).toEqual([path, status, code]);
      expect(r.body.error.length).toBeGreaterThan(5);
    }
  });

  it('requires a login, and a changed initial password', async () => {
    const anon = new ApiClient(t.url);
    expect((await anon.get('/api/v1/overview?scope=city')).status).toBe(401);
    anon.token = 'x'.repeat(43);
    expect((await anon.get('/api/v1/overview?scope=city')).status).toBe(401);
    const fresh = new ApiClient(t.url);
    const r = await fresh.post<{ token: string; user: { must_change_password: boolean } }>('/api/v1/auth/login', {
      phone: '13800000000',
      password: '123456',
    });
    expect(r.status).toBe(200);
    expect(r.body.user.must_change_password).toBe(true);
    fresh.token = r.body.token;
    const refused = await fresh.get<{ code: string }>('/api/v1/overview?scope=city');
    expect([refused.status, refused.body.code]).toEqual([403, 'password_change_required']);
    const weak = await fresh.post<{ code: string }>('/api/v1/auth/password', {
      old_password: '123456',
      new_password: '123456',
    });
    expect(weak.status).toBe(400);
  });

  it('keeps staff to their districts', async () => {
    expect((await staff.get(`/api/v1/overview?scope=district:d1&date=${FIXTURE_DAY}`)).status).toBe(200);
    expect((await staff.get(`/api/v1/overview?scope=school:s1&date=${FIXTURE_DAY}`)).status).toBe(200);
    for (const [s, code] of [
      ['city', 'city_not_for_staff'],
      ['district:d2', 'district_not_yours'],
      ['school:s3', 'district_not_yours'],
      ['zone:z3', 'district_not_yours'],
    ]) {
      const r = await staff.get<{ code: string }>(`/api/v1/overview?scope=${s}`);
      expect([s, r.status, r.body.code]).toEqual([s, 403, code]);
    }
    const geo = await staff.get<{ districts: { id: string }[]; schools: { id: string }[] }>('/api/v1/geo');
    expect(geo.body.districts.map((d) => d.id)).toEqual(['d1']);
    expect(geo.body.schools.map((s) => s.id).sort()).toEqual(['s1', 's2', 's5']);
  });

  it("answers staff without a scope with their own district's figures", async () => {
    const own = await staff.get<Overview>(`/api/v1/overview?date=${FIXTURE_DAY}`);
    const d1 = await staff.get<Overview>(`/api/v1/overview?scope=district:d1&date=${FIXTURE_DAY}`);
    expect([own.status, own.body.scope]).toEqual([200, 'district:d1']);
    expect(own.body.metrics).toEqual(d1.body.metrics);
    const ranked = await staff.get<{ scope: string; rows: RankingRow[] }>(
      `/api/v1/rankings?metric=students&order=top&date=${FIXTURE_DAY}`,
    );
    expect([ranked.status, ranked.body.scope]).toEqual([200, 'district:d1']);
    expect(ranked.body.rows.map((x) => x.school_id)).toEqual(['s1', 's2', 's5']);
    // Alerts and notices without a scope: every one of the user's districts (empty lists here).
    for (const path of ['/api/v1/alerts', '/api/v1/notices', `/api/v1/snapshot?date=${FIXTURE_DAY}`])
      expect([path, (await staff.get(path)).status]).toEqual([path, 200]);
    // A leader without a scope: the city, as before.
    expect((await leader.get<Overview>(`/api/v1/overview?date=${FIXTURE_DAY}`)).body.scope).toBe('city');
  });

  it('answers 404 for a place the registry does not know, to leaders and staff', async () => {
    for (const [c, s] of [
      [leader, 'district:d99'],
      [leader, 'zone:z99'],
      [leader, 'school:s99'],
      [staff, 'school:s99'],
    ] as const) {
      const r = await c.get<{ code: string; error: string }>(`/api/v1/overview?scope=${s}&date=${FIXTURE_DAY}`);
      expect([s, r.status, r.body.code]).toEqual([s, 404, 'unknown_scope']);
      expect(r.body.error).toContain(s);
    }
    const ranked = await leader.get<{ code: string }>('/api/v1/rankings?metric=students&scope=school:s99');
    expect([ranked.status, ranked.body.code]).toEqual([404, 'unknown_scope']);
    // A known district without schools is a place: its overview is empty, not missing.
    expect((await leader.get(`/api/v1/overview?scope=district:d3&date=${FIXTURE_DAY}`)).status).toBe(200);
  });

  it('seeds one staff member for a new district, however many refreshes race', async () => {
    await storeEvents(store, [
      { id: `reg-d9-${engine}`, type: 'district', ts: '2026-09-01T08:00:00+08:00', entity_id: 'd9', name: '开发区' },
    ]);
    await Promise.all([t.streamer.refreshGeography(), t.streamer.refreshGeography(), t.streamer.refreshGeography()]);
    expect(await userVersions(store, 'seed-staff-d9')).toBe(1);
    expect(t.streamer.users.get('seed-staff-d9')?.districts).toEqual(['d9']);
  });

  it('throttles repeated failed logins', async () => {
    const c = new ApiClient(t.url);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await c.post('/api/v1/auth/login', { phone: '13912345678', password: `wrong${i}` })).status);
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
  });
});
