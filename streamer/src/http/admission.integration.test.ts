import { chartRegistry, feedbackTargets, providerAdmission, sessionsByDay, type Store } from '@edu/analytics';
import {
  disposeTestStore,
  FIXTURE_DAY,
  fixtureCityEvents,
  fixtureDimensionEvents,
  openTestStore,
  TEST_ENGINES,
} from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import type { InProcessSupervisionPublisher } from '../publish/publisher.ts';
import { ApiClient, startTestStreamer, storeEvents, type TestStreamer } from '../testing/harness.ts';

// 准入审核, 评议对象, 入库统计 and 过程监管's sessions per day over HTTP (issue 11): the reads equal analytics' (whose tests
// check the numbers by hand), an admission decision is published on edu.supervision.v1 and
// changes the list, and a provider's admission (city-wide) is refused to district staff.

const city = { kind: 'city' } as const;
const NOW = Date.parse(`${FIXTURE_DAY}T16:00:00+08:00`);
const json = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

interface AdmissionBody {
  rows: { provider_id: string; name: string; state: string }[];
  states: Record<string, number>;
}

describe.each(TEST_ENGINES)('admission, feedback targets, 入库 and process days API on %s', (engine) => {
  let store: Store;
  let t: TestStreamer;
  let leader: ApiClient;
  let staff: ApiClient;

  beforeAll(async () => {
    store = await openTestStore(engine, 'admission_api');
    await storeEvents(store, [...fixtureCityEvents(), ...fixtureDimensionEvents()]);
    t = await startTestStreamer(store, { clock: new ManualClock(NOW) });
    leader = await new ApiClient(t.url).login('13800000001');
    const admin = await new ApiClient(t.url).login('13800000000');
    const id = t.streamer.users.list().find((u) => u.phone === '13900000001')?.user_id;
    const patch = await admin.call('PATCH', `/api/v1/admin/users/${id}`, { dimensions: ['course', 'feedback'] });
    expect(patch.status).toBe(200);
    staff = await new ApiClient(t.url).login('13900000001'); // district d1
  });
  afterAll(async () => {
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  it('lists providers for admission and records 通过 / 驳回 as decisions on the provider', async () => {
    const before = await leader.get<AdmissionBody>('/api/v1/dimensions/course/admission?scope=city');
    expect(before.status).toBe(200);
    expect(before.body).toEqual(json(await providerAdmission(store, city)));
    expect(before.body.states).toEqual({ pending: 4, approved: 0, rejected: 0 });

    const published = (t.publisher as InProcessSupervisionPublisher).published;
    const reject = {
      target_type: 'provider',
      target_id: 'p3',
      dimension: 'course',
      subject_id: 'provider:p3',
      decision: 'rejected',
      content: '无办学资质',
    };
    // City-wide: a district's staff member may not decide it; nothing is published.
    const count = published.length;
    expect((await staff.post('/api/v1/decisions', reject)).status).toBe(403);
    expect(published.length).toBe(count);
    expect((await leader.post('/api/v1/decisions', { ...reject, subject_id: 'provider:nobody' })).status).toBe(404);
    expect((await leader.post('/api/v1/decisions', { ...reject, target_id: 'p1' })).status).toBe(404);

    expect((await leader.post('/api/v1/decisions', reject)).status).toBe(201);
    expect(published.at(-1)).toMatchObject({
      type: 'decision',
      target_type: 'provider',
      target_id: 'p3',
      dimension: 'course',
      subject_id: 'provider:p3',
      decision: 'rejected',
    });
    const approve = {
      ...reject,
      target_id: 'p1',
      subject_id: 'provider:p1',
      decision: 'approved',
      content: '同意准入',
    };
    expect((await leader.post('/api/v1/decisions', approve)).status).toBe(201);
    const after = await leader.get<AdmissionBody>('/api/v1/dimensions/course/admission?scope=city');
    expect(after.body.rows.map((r) => [r.name, r.state])).toEqual([
      ['星火体育', 'approved'],
      ['墨香书院', 'pending'],
      ['未来科技', 'rejected'],
      ['绿茵足球', 'pending'],
    ]);
    // Staff read their own district: p1 (s1) and p3 (s2) work in d1.
    const mine = await staff.get<AdmissionBody>('/api/v1/dimensions/course/admission?scope=district:d1');
    expect(mine.body.rows.map((r) => r.provider_id)).toEqual(['p1', 'p3']);
    expect((await staff.get('/api/v1/dimensions/course/admission?scope=district:d2')).status).toBe(403);
  });

  it('names feedback targets and low-score runs at every level', async () => {
    const r = await leader.get<{ targets: unknown[]; low_score_runs: { target_id: string; name: string }[] }>(
      `/api/v1/dimensions/feedback?scope=city&date=${FIXTURE_DAY}`,
    );
    expect(r.status).toBe(200);
    expect(r.body.targets).toEqual(json(await feedbackTargets(store, city, '2026-autumn')));
    expect(r.body.low_score_runs.map((x) => [x.target_id, x.name])).toEqual([['c-o1', '篮球训练']]);
    const d1 = await staff.get<{ targets: { name: string }[] }>(
      `/api/v1/dimensions/feedback?scope=district:d1&date=${FIXTURE_DAY}`,
    );
    expect(d1.body.targets.map((x) => x.name)).toEqual(['篮球训练', '星火体育', '李明华']);
  });

  it('serves 入库统计 by place and month in the registry chart', async () => {
    const r = await leader.get<{ data: { registrations: unknown } }>(
      `/api/v1/charts/registry?scope=city&date=${FIXTURE_DAY}`,
    );
    expect(r.status).toBe(200);
    expect(r.body.data.registrations).toEqual(json((await chartRegistry(store, city)).registrations));
  });

  it('serves the term’s sessions per day beside the participation table', async () => {
    const r = await staff.get<{ days: unknown }>(`/api/v1/dimensions/process?scope=district:d1&date=${FIXTURE_DAY}`);
    // The staff member's dimensions are course and feedback: 过程监管 is not theirs.
    expect(r.status).toBe(403);
    const city = await leader.get<{ days: { day: string; scheduled: number }[] }>(
      `/api/v1/dimensions/process?scope=city&date=${FIXTURE_DAY}`,
    );
    expect(city.body.days).toEqual(json(await sessionsByDay(store, { kind: 'city' }, '2026-autumn')));
    expect(city.body.days.map((d) => [d.day, d.scheduled])).toEqual([
      ['2026-11-27', 3],
      ['2026-11-28', 1],
    ]);
  });
});
