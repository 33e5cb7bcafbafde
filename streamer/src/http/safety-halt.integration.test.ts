import type { Store } from '@edu/analytics';
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
import { ApiClient, startTestStreamer, storeEvents, type TestStreamer } from '../testing/harness.ts';

// 喊停 on 安全监管 (issue 11): the console's button halts the course's offering at the school —
// contract v1.1 `halted` on an offering (dimension course, subject the offering_id), whose
// sessions planned after the decision no longer count as scheduled. The button used to send
// dimension safety with the course as subject, which decision-effects never reads: recorded,
// published, and no figure moved. Fixture city, s1 on FIXTURE_DAY: se1 (o1, course c-o1) and
// se2 (o2, c-o2), both 15:30–16:30; the decisions are made at 15:00.

const NOW = Date.parse(`${FIXTURE_DAY}T15:00:00+08:00`);

interface CourseRow {
  course_id: string;
  offering_ids: string[];
  metrics: { sessions_scheduled: number };
}

describe.each(TEST_ENGINES)('喊停 on 安全监管 on %s', (engine) => {
  let store: Store;
  let t: TestStreamer;
  let leader: ApiClient;

  beforeAll(async () => {
    store = await openTestStore(engine, 'safety_halt');
    await storeEvents(store, [...fixtureCityEvents(), ...fixtureDimensionEvents()]);
    t = await startTestStreamer(store, { clock: new ManualClock(NOW) });
    await t.streamer.refreshGeography();
    leader = await new ApiClient(t.url).login('13800000001');
  });
  afterAll(async () => {
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  const courses = async () =>
    (await leader.get<{ courses: CourseRow[] }>(`/api/v1/dimensions/safety/schools/s1?date=${FIXTURE_DAY}`)).body
      .courses;
  const scheduled = async () => {
    const rows = await courses();
    const overview = await leader.get<{ metrics: { sessions_scheduled: number } }>(
      `/api/v1/overview?scope=school:s1&date=${FIXTURE_DAY}`,
    );
    return {
      c_o1: rows.find((c) => c.course_id === 'c-o1')?.metrics.sessions_scheduled ?? 0,
      school: overview.body.metrics.sessions_scheduled,
    };
  };
  const halt = (dimension: string, subject_id: string) =>
    leader.post('/api/v1/decisions', {
      target_type: 'school',
      target_id: 's1',
      dimension,
      subject_id,
      decision: 'halted',
      content: '场地存在安全隐患，立即停课',
    });

  it('moves nothing when the course is the subject (what the button sent before)', async () => {
    expect(await scheduled()).toEqual({ c_o1: 1, school: 2 });
    expect((await halt('safety', 'c-o1')).status).toBe(201);
    expect(await scheduled()).toEqual({ c_o1: 1, school: 2 });
  });

  it('takes the offering’s later sessions off the scheduled count when the offering is the subject', async () => {
    // The console's subject: the course row's offering at the school.
    const row = (await courses()).find((c) => c.course_id === 'c-o1');
    expect(row?.offering_ids).toEqual(['o1']);
    const r = await halt('course', row?.offering_ids[0] as string);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ dimension: 'course', subject_id: 'o1', decision: 'halted' });
    expect(await scheduled()).toEqual({ c_o1: 0, school: 1 });
  });
});
