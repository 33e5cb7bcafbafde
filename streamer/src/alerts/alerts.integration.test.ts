import {
  createMetricsReader,
  DEFAULT_ALERT_SETTINGS,
  InProcessChangeBus,
  loadAlerts,
  type Alert,
  type InboundEvent,
  type MetricsReader,
  type PushedSnapshot,
  type Store,
} from '@edu/analytics';
import {
  disposeTestStore,
  FIXTURE_DAY,
  fixtureCityEvents,
  fixtureDimensionEvents,
  fixtureLaterSession,
  interceptQueries,
  openTestStore,
} from '@edu/analytics/testing';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { loadGeography, type Geography } from '../geo.ts';
import { alertGroupsFor } from '../live/snapshot.ts';
import { MemorySharedState } from '../shared/memory-state.ts';
import { createRedisClient, RedisSharedState } from '../shared/redis-state.ts';
import type { SharedState } from '../shared/state.ts';
import {
  ApiClient,
  connectScreen,
  join,
  landEvents,
  nextEvent,
  startTestStreamer,
  storeEvents,
  testRedisUrl,
  uniquePrefix,
  type ScreenSocket,
} from '../testing/harness.ts';
import { AlertBook } from './book.ts';
import { AlertEvaluator, PENDING_KEY, type EvaluatorConfig } from './evaluator.ts';

// The alert path on the fixture city (analytics/src/testing/fixture-city.ts; every session of
// the day runs 15:30–16:30): the pending period on the service's clock, shared between
// instances; 学生未签退 on the school's list first, on the bureau's wall once escalated, gone
// when the children are checked out; and the wall's groups in the live snapshot.

const at = (hhmm: string) => Date.parse(`${FIXTURE_DAY}T${hhmm}:00+08:00`);
const cfg: EvaluatorConfig = { ...DEFAULT_ALERT_SETTINGS, evaluateEveryMs: 600_000 };
const city = { kind: 'city' } as const;

function checkEvent(
  type: 'checkin' | 'checkout',
  session: string,
  school: string,
  person: 'student' | 'teacher',
  who: string,
  hhmm: string,
): InboundEvent {
  return {
    id: `t-${type}-${session}-${who}`,
    type,
    ts: `${FIXTURE_DAY}T${hhmm}:00+08:00`,
    school_id: school,
    session_id: session,
    person,
    person_id: who,
    method: 'card',
  };
}

const stores: Store[] = [];
async function fixtureStore(label: string): Promise<Store> {
  const store = await openTestStore('server', label);
  stores.push(store);
  await storeEvents(store, [...fixtureCityEvents(), ...fixtureDimensionEvents()]);
  return store;
}
afterAll(async () => {
  for (const s of stores) await disposeTestStore(s);
});

interface Parts {
  book: AlertBook;
  reader: MetricsReader;
  evaluator: AlertEvaluator;
  geo: Geography;
}
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** `evaluatorStore`: the store the evaluator queries through (a test may watch it); the reader has `store`. */
async function parts(store: Store, shared: SharedState, clock: ManualClock, evaluatorStore = store): Promise<Parts> {
  const geo = await loadGeography(store);
  const book = new AlertBook(store, shared, clock, () => geo);
  await book.start();
  const reader = createMetricsReader(store);
  const evaluator = new AlertEvaluator(evaluatorStore, reader, shared, book, clock, cfg);
  closers.push(async () => {
    await evaluator.release();
    await book.stop();
  });
  return { book, reader, evaluator, geo };
}

const ofRule = (book: AlertBook, rule: Alert['rule']) =>
  book
    .all()
    .filter((a) => a.rule === rule && a.state !== 'resolved')
    .map((a) => a.subject_id)
    .sort();

describe('the pending period', () => {
  it('a condition shorter than the pending period raises no alert; one held longer does', async () => {
    const store = await fixtureStore('alerts_pending');
    const clock = new ManualClock(at('15:36'));
    const shared = new MemorySharedState(clock);
    const { book, evaluator } = await parts(store, shared, clock);
    // 15:36: the teachers of se2 (t2) and se6 (t5) are 6 minutes late: pending (5 minutes).
    await evaluator.evaluate();
    expect(ofRule(book, 'teacher_not_checked_in')).toEqual([]);
    const pending = JSON.parse((await shared.get(PENDING_KEY)) ?? '{}') as Record<string, number>;
    expect(pending[`teacher_not_checked_in:${FIXTURE_DAY}:se2`]).toBe(at('15:36'));
    // 15:39: t2 checks in (a transient: 3 minutes); t5 does not.
    await storeEvents(store, [checkEvent('checkin', 'se2', 's1', 'teacher', 't2', '15:39')]);
    clock.set(at('15:39'));
    await evaluator.evaluate();
    // 15:41: t5's condition has held 5 minutes: an alert. t2's never reaches the wall, nor the log.
    clock.set(at('15:41'));
    await evaluator.evaluate();
    expect(ofRule(book, 'teacher_not_checked_in')).toEqual(['se6']);
    const logged = (await loadAlerts(store, 0)).map((v) => v.alert.id);
    expect(logged).toContain(`teacher_not_checked_in:${FIXTURE_DAY}:se6`);
    expect(logged).not.toContain(`teacher_not_checked_in:${FIXTURE_DAY}:se2`);
    const alert = book.get(`teacher_not_checked_in:${FIXTURE_DAY}:se6`);
    expect(alert).toMatchObject({
      severity: 'warning',
      school_name: '第3小学',
      district_name: '西城区',
      opened_at: '2026-11-27T15:41:00.000+08:00',
      detail: '「劳动实践」（15:30–16:30）计划开课5分钟后，任课教师刘*仍未签到',
    });
  });

  it('is kept in Redis: another instance takes over where the first one left', async () => {
    const store = await fixtureStore('alerts_pending_shared');
    const redis = createRedisClient(testRedisUrl());
    const prefix = uniquePrefix('alerts');
    closers.push(async () => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    });
    const clockA = new ManualClock(at('15:36'));
    const a = await parts(store, new RedisSharedState(redis, prefix), clockA);
    await a.evaluator.evaluate();
    expect(ofRule(a.book, 'teacher_not_checked_in')).toEqual([]);
    await a.evaluator.release(); // instance A stops evaluating (its lease is gone)
    const clockB = new ManualClock(at('15:41'));
    const b = await parts(store, new RedisSharedState(redis, prefix), clockB);
    await b.evaluator.evaluate();
    // Pending since 15:36 (seen by A): B raises both at 15:41, not at 15:46.
    expect(ofRule(b.book, 'teacher_not_checked_in')).toEqual(['se2', 'se6']);
  });
});

describe('late data', () => {
  // A class at 17:30–18:30, after every fixture class: running while the city's newest event
  // (the fixture's, 17:10 at the latest) falls behind the clock.
  const later = fixtureLaterSession('17:30', '18:30');
  const se9 = `teacher_not_checked_in:${FIXTURE_DAY}:se9`;

  it('judges the absence rules where the data has reached, and on the clock once it catches up', async () => {
    const store = await fixtureStore('alerts_late');
    await storeEvents(store, [later]);
    const clock = new ManualClock(at('17:45'));
    const shared = new MemorySharedState(clock);
    const { book, reader, evaluator } = await parts(store, shared, clock);
    const pendingIds = async () => Object.keys(JSON.parse((await shared.get(PENDING_KEY)) ?? '{}') as object);
    // 17:45, t1 15 minutes late for se9 by the clock, but nothing has arrived since 17:10 at
    // the latest (data 35 minutes late): judged at that plus 5 minutes, se9 was not yet due.
    await evaluator.evaluate();
    clock.set(at('17:51'));
    await evaluator.evaluate();
    expect(await pendingIds()).not.toContain(se9);
    expect(ofRule(book, 'teacher_not_checked_in')).not.toContain('se9');
    // A student of se9 checks in at 17:50: the data has caught up, t1's absence is real.
    await storeEvents(store, [checkEvent('checkin', 'se9', 's1', 'student', 'st1', '17:50')]);
    reader.invalidate({ tables: ['checkins'], schools: ['s1'] }); // as ingest's change signal does
    await evaluator.evaluate();
    expect(await pendingIds()).toContain(se9);
    clock.set(at('17:57'));
    await evaluator.evaluate();
    expect(ofRule(book, 'teacher_not_checked_in')).toContain('se9');
  });
});

describe('what an evaluation reads', () => {
  it('takes the city’s session figures and school metrics from the walls’ cache, not from ClickHouse again', async () => {
    const store = await fixtureStore('alerts_reads');
    // The evaluator's own queries, seen through its store (the reader has the store itself).
    const sent: string[] = [];
    const watched = interceptQueries(store, (q) => void sent.push(q.text));
    const clock = new ManualClock(at('16:00'));
    const { book, evaluator } = await parts(store, new MemorySharedState(clock), clock, watched);
    await evaluator.evaluate();
    clock.set(at('16:20'));
    await evaluator.evaluate();
    expect(sent.length).toBeGreaterThan(0); // the facts the cache does not hold are still read
    // The teachers' part of a session figures read (session-figures.ts), and the two reads of
    // the schools' metrics beside the figures (term-by-school.ts): the walls' overview has them.
    const again = ['groupUniqArrayIf(person_id', 'AS settled_amount', 'SELECT school_id, name, zone_id, district_id'];
    expect(sent.filter((q) => again.some((part) => q.includes(part)))).toEqual([]);
    // And the rules saw the figures: se2's teacher never came (as the wall's test below has it).
    expect(ofRule(book, 'teacher_not_checked_in')).toContain('se2');
  });
});

describe('学生未签退', () => {
  it('goes to the school first, to the bureau after its minutes, and resolves on the checkout', async () => {
    const store = await fixtureStore('alerts_checkout');
    const clock = new ManualClock(at('17:00'));
    const { book, evaluator, geo } = await parts(store, new MemorySharedState(clock), clock);
    const groups = (scope: Parameters<typeof alertGroupsFor>[1]) =>
      alertGroupsFor(book.all(), scope, geo).filter((g) => g.rule === 'student_not_checked_out');
    await evaluator.evaluate(); // 17:00 = planned end + 30: pending
    clock.set(at('17:05'));
    await evaluator.evaluate();
    expect(ofRule(book, 'student_not_checked_out')).toEqual(['se1', 'se2']);
    // On s1's own wall and in the console's list at once; not on the city's or the district's.
    expect(groups({ kind: 'school', id: 's1' }).map((g) => [g.key, g.count])).toEqual([
      ['student_not_checked_out|d1', 2],
    ]);
    expect(groups(city)).toEqual([]);
    expect(groups({ kind: 'district', id: 'd1' })).toEqual([]);
    clock.set(at('17:14'));
    await evaluator.evaluate();
    expect(groups(city)).toEqual([]);
    clock.set(at('17:15')); // opened 17:05 + 10 minutes, still unresolved: escalated
    await evaluator.evaluate();
    const [line] = groups(city);
    expect(line).toMatchObject({
      key: 'student_not_checked_out|d1',
      severity: 'critical',
      count: 2,
      text: '第1小学：学生未签退（2节课）',
    });
    expect(line?.members.every((m) => m.escalated_at === '2026-11-27T17:15:00.000+08:00')).toBe(true);
    // se2's two children are checked out: its alert resolves itself and leaves the wall.
    await storeEvents(store, [
      checkEvent('checkout', 'se2', 's1', 'student', 'st4', '17:16'),
      checkEvent('checkout', 'se2', 's1', 'student', 'stx', '17:16'),
    ]);
    clock.set(at('17:17'));
    await evaluator.evaluate();
    expect(ofRule(book, 'student_not_checked_out')).toEqual(['se1']);
    expect(groups(city).map((g) => g.count)).toEqual([1]);
    // The fixture day's wall shows it; the next day's wall does not (the console's list does).
    const nextDay = alertGroupsFor(book.all(), city, geo, '2026-11-28');
    expect(nextDay.filter((g) => g.rule === 'student_not_checked_out')).toEqual([]);
    expect(alertGroupsFor(book.all(), city, geo, FIXTURE_DAY).map((g) => g.count)).toContain(1);
    await storeEvents(
      store,
      ['st1', 'st2', 'st3'].map((st) => checkEvent('checkout', 'se1', 's1', 'student', st, '17:20')),
    );
    clock.set(at('17:21'));
    await evaluator.evaluate();
    expect(groups(city)).toEqual([]);
    // Kept in the history.
    const history = (await loadAlerts(store, 0)).filter((v) => v.alert.rule === 'student_not_checked_out');
    expect(history.map((v) => [v.alert.subject_id, v.alert.state]).sort()).toEqual([
      ['se1', 'resolved'],
      ['se2', 'resolved'],
    ]);
  });
});

describe('the wall’s alert groups in the live snapshot', () => {
  it('reach the snapshot, worst first, filtered to what a staff member may see', async () => {
    const store = await fixtureStore('alerts_wall');
    const clock = new ManualClock(at('18:00'));
    const changes = new InProcessChangeBus();
    const t = await startTestStreamer(store, {
      clock,
      changes,
      config: { alerts: { evaluateEveryMs: 600_000 } } as never,
    });
    closers.push(() => t.close());
    const evaluate = async (hhmm: string) => {
      clock.set(at(hhmm));
      await t.streamer.evaluator.evaluate();
    };
    await evaluate('18:00');
    await evaluate('18:20'); // every pending period is over
    await evaluate('18:31'); // 学生未签退 escalated
    const leader = await new ApiClient(t.url).login('13800000001');
    const socket: ScreenSocket = connectScreen(t.url, leader.token as string);
    closers.push(async () => socket.disconnect());
    const first = nextEvent(socket, 'snapshot');
    expect(await join(socket, 'city', FIXTURE_DAY)).toEqual({ ok: true });
    const snap: PushedSnapshot = await first;
    expect(snap.alert_groups.map((g) => [g.key, g.severity, g.count, g.text])).toEqual([
      ['student_not_checked_out|d1', 'critical', 2, '第1小学：学生未签退（2节课）'],
      ['over_budget|d1', 'warning', 2, '东城区：结算超出预算（2门课程，2所学校）'],
      ['class_not_started|d2', 'warning', 1, '第3小学：课程未开课'],
      ['low_feedback|d1', 'warning', 1, '第1小学：评议连续低分'],
      ['over_budget|d2', 'warning', 1, '第3小学：结算超出预算'],
      ['teacher_not_checked_in|d1', 'warning', 1, '第1小学：教师未签到'],
      ['teacher_not_checked_in|d2', 'warning', 1, '第3小学：教师未签到'],
    ]);
    // A screen is not pushed the scope's full list (no screen draws it); the console reads it
    // from the API, and every member is in it.
    expect(snap).not.toHaveProperty('alerts');
    const listed = await leader.get<{ alerts: Alert[] }>(`/api/v1/alerts?scope=city&date=${FIXTURE_DAY}`);
    const ids = new Set(listed.body.alerts.map((a) => a.id));
    for (const g of snap.alert_groups) for (const m of g.members) expect(ids.has(m.id)).toBe(true);
    expect(snap.alert_groups[0]?.members.map((m) => m.detail)).toEqual([
      '「篮球训练」（15:30–16:30）下课30分钟后，仍有3名学生已签到未签退',
      '「书法」（15:30–16:30）下课30分钟后，仍有2名学生已签到未签退',
    ]);

    // A staff member of d1 with the budget dimension only sees that line.
    const admin = await new ApiClient(t.url).login('13800000000');
    const staff = t.streamer.users.list().find((u) => u.phone === '13900000001');
    expect(staff?.districts).toEqual(['d1']);
    const r = await admin.call('PATCH', `/api/v1/admin/users/${staff?.user_id}`, { dimensions: ['budget'] });
    expect(r.status).toBe(200);
    const api = await new ApiClient(t.url).login('13900000001');
    const staffSocket = connectScreen(t.url, api.token as string);
    closers.push(async () => staffSocket.disconnect());
    const staffSnap = nextEvent(staffSocket, 'snapshot');
    expect(await join(staffSocket, 'district:d1', FIXTURE_DAY)).toEqual({ ok: true });
    expect((await staffSnap).alert_groups.map((g) => [g.key, g.count])).toEqual([['over_budget|d1', 2]]);

    // A new alert changes the groups pushed to the wall: se7 is tomorrow's, so add a late
    // session today at s4 whose teacher never comes. A child checks in to it at 18:38: with a
    // class running and nothing arriving, the data would be late and the rules held (late.ts).
    const update = nextEvent(socket, 'update', 10_000, (s) =>
      (s.alert_groups ?? []).some((g) => g.key === 'teacher_not_checked_in|d2' && g.count === 2),
    );
    await landEvents(store, changes, [
      fixtureLaterSession('18:00', '19:00', { school: 's4', offering: 'o4', teacher: 't4' }),
      checkEvent('checkin', 'se9', 's4', 'student', 'st-late', '18:38'),
    ]);
    await evaluate('18:40');
    await evaluate('18:46');
    const next = await update;
    expect(next.alert_groups?.find((g) => g.key === 'teacher_not_checked_in|d2')).toMatchObject({
      count: 2,
      schools: 2,
      text: '西城区：教师未签到（2节课，2所学校）',
      school_id: null,
    });
  });
});
