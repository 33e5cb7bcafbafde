import { schoolTeachers, type StudentList, type Store, type TeacherList } from '@edu/analytics';
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

// 过程监管's ways in to 一生一表 and 一师一表 over HTTP: a school's students found by name
// (masked, the full name never in the answer) and its teachers, only within the user's
// districts and dimensions. Fixture: d1 holds s1, s2, s5; d2 holds s3, s4. s1's students are
// st1 张小明, st2 李华 (grade 3) and st4 欧阳娜娜 (grade 4).

const NOW = Date.parse(`${FIXTURE_DAY}T16:00:00+08:00`);
const json = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

describe.each(TEST_ENGINES)('people API on %s', (engine) => {
  let store: Store;
  let t: TestStreamer;
  let leader: ApiClient;
  let staff: ApiClient;
  let outsider: ApiClient;

  beforeAll(async () => {
    store = await openTestStore(engine, 'people_api');
    await storeEvents(store, [...fixtureCityEvents(), ...fixtureDimensionEvents()]);
    t = await startTestStreamer(store, { clock: new ManualClock(NOW) });
    leader = await new ApiClient(t.url).login('13800000001');
    const admin = await new ApiClient(t.url).login('13800000000');
    const idOf = (phone: string) => t.streamer.users.list().find((u) => u.phone === phone)?.user_id;
    // Seeded staff: 13900000001 is d1's, 13900000002 d2's, 13900000003 d3's, with every dimension.
    // Here d1's and d2's have 过程监管 alone; d3's is moved to d1, without 过程监管.
    for (const [phone, body] of [
      ['13900000001', { dimensions: ['process'] }],
      ['13900000002', { dimensions: ['process'] }],
      ['13900000003', { dimensions: ['safety'], districts: ['d1'] }],
    ] as const)
      expect((await admin.call('PATCH', `/api/v1/admin/users/${idOf(phone)}`, body)).status).toBe(200);
    staff = await new ApiClient(t.url).login('13900000001');
    outsider = await new ApiClient(t.url).login('13900000002');
  });
  afterAll(async () => {
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  it('finds a school’s students by a fragment of the name, masked', async () => {
    const r = await leader.get<StudentList>('/api/v1/dimensions/process/schools/s1/students?q=%E6%98%8E');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      total: 1,
      students: [{ student_id: 'st1', masked_name: '张*明', grade: 3, class_name: '3年级1班' }],
    });
    const all = await staff.get<StudentList>('/api/v1/dimensions/process/schools/s1/students?limit=2');
    expect([all.status, all.body.total, all.body.students.map((s) => s.student_id)]).toEqual([200, 3, ['st1', 'st2']]);
    const raw = await fetch(`${t.url}/api/v1/dimensions/process/schools/s1/students`, {
      headers: { authorization: `Bearer ${leader.token}` },
    });
    expect(await raw.text()).not.toMatch(/张小明|李华|欧阳娜娜/);
    // A bad page is a 400, not a silent default.
    expect((await leader.get('/api/v1/dimensions/process/schools/s1/students?limit=0')).status).toBe(400);
  });

  it('lists a school’s teachers, those without a session in the week asked too', async () => {
    const r = await leader.get<TeacherList>(`/api/v1/dimensions/process/schools/s3/teachers?date=2026-11-30`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual(json(await schoolTeachers(store, 's3', '2026-11-30')));
    expect(r.body.teachers.map((x) => [x.name, x.week_sessions])).toEqual([
      ['陈静', 0],
      ['李明华', 0],
      ['刘洋', 0],
    ]);
    // Every teacher listed opens a 一师一表 at that school.
    for (const x of r.body.teachers) {
      const tt = await leader.get(`/api/v1/dimensions/process/schools/s3/teachers/${x.teacher_id}/timetable`);
      expect([x.teacher_id, tt.status]).toEqual([x.teacher_id, 200]);
    }
  });

  it('refuses staff of another district, and staff without 过程监管', async () => {
    for (const path of [
      '/api/v1/dimensions/process/schools/s1/students?q=%E6%98%8E',
      '/api/v1/dimensions/process/schools/s1/teachers',
    ]) {
      const r = await outsider.get<{ code: string }>(path);
      expect([path, r.status, r.body.code]).toEqual([path, 403, 'district_not_yours']);
      expect(JSON.stringify(r.body)).not.toMatch(/张|st1/);
    }
    // d2's staff member sees d2's schools.
    const own = await outsider.get<StudentList>('/api/v1/dimensions/process/schools/s3/students');
    expect([own.status, own.body.students.map((s) => s.masked_name)]).toEqual([200, ['王*']]);
    const noProcess = await new ApiClient(t.url).login('13900000003');
    const r = await noProcess.get<{ code: string }>('/api/v1/dimensions/process/schools/s1/students');
    expect([r.status, r.body.code]).toEqual([403, 'dimension_not_yours']);
  });
});
