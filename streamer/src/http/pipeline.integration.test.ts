import { type Pipeline, type SchoolPipeline, type Store } from '@edu/analytics';
import {
  disposeTestStore,
  fixtureCityEvents,
  fixtureDimensionEvents,
  openTestStore,
  TEST_ENGINES,
} from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { ApiClient, startTestStreamer, storeEvents, type TestStreamer } from '../testing/harness.ts';

// 流程全景 over HTTP on the fixture city, term 2026-autumn, judged at the end of 2026-11-30
// (hand-worked in analytics/src/dimensions/pipeline.integration.test.ts): d1 holds s1 (stalls
// at 教师备课), s2 and s5 (at 材料申报); d2 holds s3 and s4 (at 材料申报). s2, s4 and s5 have no
// session due: they wait (未到时间) at the session stages. Staff see their districts only.

const NOW = Date.parse('2026-12-01T10:00:00+08:00');
const Q = 'term=2026-autumn&date=2026-11-30';

describe.each(TEST_ENGINES)('pipeline API on %s', (engine) => {
  let store: Store;
  let t: TestStreamer;
  let leader: ApiClient;
  let staff: ApiClient;

  beforeAll(async () => {
    store = await openTestStore(engine, 'pipeline_api');
    await storeEvents(store, [...fixtureCityEvents(), ...fixtureDimensionEvents()]);
    t = await startTestStreamer(store, { clock: new ManualClock(NOW) });
    leader = await new ApiClient(t.url).login('13800000001');
    staff = await new ApiClient(t.url).login('13900000001'); // d1's, every dimension
  });
  afterAll(async () => {
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  it('answers the city funnel to a leader', async () => {
    const r = await leader.get<Pipeline>(`/api/v1/dimensions/pipeline?scope=city&${Q}`);
    expect(r.status).toBe(200);
    expect([r.body.term, r.body.schools, r.body.finished, r.body.on_track, r.body.preparation_data]).toEqual([
      '2026-autumn',
      5,
      0,
      0,
      true,
    ]);
    expect(r.body.stages.map((s) => [s.stage, s.completed, s.waiting, s.stalled])).toEqual([
      ['materials', 1, 0, 4],
      ['admission', 4, 0, 0],
      ['selection', 3, 0, 0],
      ['scheduling', 2, 0, 0],
      ['enrollment_open', 3, 0, 0],
      ['enrollment', 3, 0, 0],
      ['audit', 2, 0, 0],
      ['preparation', 1, 3, 1],
      ['safety', 2, 3, 0],
      ['reports', 0, 3, 0],
      ['settlement', 2, 3, 0],
    ]);
  });

  it('gives staff their district, its lagging schools by name, and nothing beyond', async () => {
    const own = await staff.get<Pipeline>(`/api/v1/dimensions/pipeline?${Q}`);
    expect([own.status, own.body.schools]).toEqual([200, 3]);
    expect(own.body.stages.find((s) => s.stage === 'materials')).toEqual({
      stage: 'materials',
      completed: 1,
      waiting: 0,
      stalled: 2,
    });
    const lag = await staff.get<{ stage: string; schools: SchoolPipeline[] }>(
      `/api/v1/dimensions/pipeline/stages/materials/schools?scope=district:d1&${Q}`,
    );
    expect(lag.status).toBe(200);
    expect(lag.body.schools.map((s) => [s.name, s.district_name, s.gaps.materials?.kinds])).toEqual([
      ['第2小学', '东城区', ['bid_notice', 'meeting_minutes']],
      ['第5小学', '东城区', ['implementation_plan', 'bid_notice', 'meeting_minutes', 'safety_plan']],
    ]);
    expect((await staff.get(`/api/v1/dimensions/pipeline?scope=district:d2&${Q}`)).status).toBe(403);
    expect((await staff.get(`/api/v1/dimensions/pipeline?scope=city&${Q}`)).status).toBe(403);
    expect((await staff.get(`/api/v1/dimensions/pipeline/stages/materials/schools?scope=school:s3&${Q}`)).status).toBe(
      403,
    );
  });

  it('refuses an unknown stage, scope or term', async () => {
    expect((await leader.get(`/api/v1/dimensions/pipeline/stages/nope/schools?scope=city&${Q}`)).status).toBe(400);
    expect((await leader.get(`/api/v1/dimensions/pipeline?scope=district:d9&${Q}`)).status).toBe(404);
    expect((await leader.get('/api/v1/dimensions/pipeline?scope=city&term=autumn')).status).toBe(400);
  });
});
