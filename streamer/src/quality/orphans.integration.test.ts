import type { InboundEvent, OrphanPage, Store } from '@edu/analytics';
import { disposeTestStore, openTestStore } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { ApiClient, startTestStreamer, storeEvents, type TestStreamer } from '../testing/harness.ts';

// 数据质量 through the streamer: 60 check-ins of unregistered students into a session nobody
// scheduled show as gauges in /metrics, on the page for leaders and administrators (students'
// ids masked; staff refused), and as one bureau-level orphans_growing alert (over the 50 an
// hour of analytics' rules); when the registry catches up, the gauges fall to 0 and the alert
// resolves.

const DAY = '2026-11-27';
const at = (hhmm: string) => `${DAY}T${hhmm}:00+08:00`;
const NOW = Date.parse(at('17:00'));
const TOKEN = 'orphans-metrics-token-0123456789';

const registry: InboundEvent[] = [
  { id: 'q-d1', type: 'district', ts: at('08:00'), entity_id: 'd1', name: '东城区' },
  { id: 'q-z1', type: 'zone', ts: at('08:00'), entity_id: 'z1', name: '一学区', district_id: 'd1' },
  {
    id: 'q-s1',
    type: 'school',
    ts: at('08:00'),
    school_id: 's1',
    entity_id: 's1',
    name: '第一小学',
    zone_id: 'z1',
    district_id: 'd1',
    stage: 'primary',
    students: 500,
  },
];
const students = Array.from({ length: 60 }, (_, i) => `gst-${String(i + 1).padStart(3, '0')}`);
const checkins: InboundEvent[] = students.map((s, i) => ({
  id: `q-chk-${i}`,
  type: 'checkin',
  ts: at('15:35'),
  school_id: 's1',
  session_id: 'ghost',
  person: 'student',
  person_id: s,
  method: 'face',
}));

const gauge = (text: string, name: string) =>
  new RegExp(`^${name}\\{source="edu.checkin.v1",type="checkin"\\} (\\d+)$`, 'm').exec(text)?.[1];

describe('orphans in the streamer', () => {
  let store: Store;
  let t: TestStreamer;
  const clock = new ManualClock(NOW);
  const metrics = async () =>
    (await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();

  beforeAll(async () => {
    store = await openTestStore('server', 'orphans_streamer');
    await storeEvents(store, [...registry, ...checkins], NOW - 5 * 60_000);
    t = await startTestStreamer(store, { clock, config: { metricsToken: TOKEN } as never });
  });
  afterAll(async () => {
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  it('shows the orphans per source and type in /metrics and on the page, for leaders and administrators', async () => {
    await t.streamer.orphans.refresh();
    const text = await metrics();
    expect(gauge(text, 'edu_orphan_events')).toBe('60');
    expect(gauge(text, 'edu_orphan_events_recent')).toBe('60');

    const admin = await new ApiClient(t.url).login('13800000000');
    const page = await admin.get<OrphanPage>('/api/v1/admin/data-quality');
    expect(page.status).toBe(200);
    expect(page.body.rows).toHaveLength(1);
    const [row] = page.body.rows;
    expect(row).toMatchObject({
      source: 'edu.checkin.v1',
      source_label: '考勤',
      type: 'checkin',
      type_label: '签到',
      orphans: 60,
      by_kind: { school: 0, session: 60, offering: 0, student: 60 },
    });
    expect(row?.samples.session).toEqual(['ghost']);
    // Students' ids leave the server masked: never one of the ids sent.
    expect(row?.samples.student).toEqual(['gs***01', 'gs***02', 'gs***03', 'gs***04', 'gs***05']);
    expect(JSON.stringify(page.body)).not.toMatch(/gst-0/);
    expect(page.body.kinds.map((k) => k.label)).toEqual(['未登记学校', '未排课节次', '未申报开课', '未登记学生']);

    const leader = await new ApiClient(t.url).login('13800000001');
    expect((await leader.get('/api/v1/admin/data-quality')).status).toBe(200);
    const staff = await new ApiClient(t.url).login('13900000001');
    expect((await staff.get('/api/v1/admin/data-quality')).status).toBe(403);
  });

  it('raises one bureau-level alert while they grow, and resolves it once the registry catches up', async () => {
    await t.streamer.evaluator.evaluate();
    const alert = t.streamer.alerts.get('orphans_growing:checkin');
    expect(alert).toMatchObject({ state: 'open', severity: 'warning', school_id: '', title: '未登记数据增多' });
    expect(alert?.detail).toContain('考勤系统近60分钟新增60条');

    // The session and the students are registered late: nothing is an orphan any more.
    await storeEvents(
      store,
      [
        {
          id: 'q-sch',
          type: 'session_scheduled',
          ts: at('09:00'),
          school_id: 's1',
          session_id: 'ghost',
          offering_id: 'o1',
          course_id: 'c1',
          teacher_id: 't1',
          room: '301',
          planned_start: at('15:30'),
          planned_end: at('16:30'),
        },
        ...students.map((s): InboundEvent => ({
          id: `q-reg-${s}`,
          type: 'student',
          ts: at('17:00'),
          school_id: 's1',
          entity_id: s,
          grade: 3,
          class_name: '三(1)班',
          name: '张三明',
        })),
      ],
      NOW,
    );
    // The page's 刷新 reads the report now rather than waiting for the timer.
    const admin = await new ApiClient(t.url).login('13800000000');
    const fresh = await admin.get<OrphanPage>('/api/v1/admin/data-quality?fresh=1');
    // No check-in is an orphan any more; the late schedule names an offering nobody submitted.
    expect([fresh.status, fresh.body.rows.map((r) => [r.type, r.orphans, r.samples.offering])]).toEqual([
      200,
      [['session_scheduled', 1, ['o1']]],
    ]);
    expect(gauge(await metrics(), 'edu_orphan_events')).toBe('0');
    await t.streamer.evaluator.evaluate();
    expect(t.streamer.alerts.get('orphans_growing:checkin')?.state).toBe('resolved');
  });
});
