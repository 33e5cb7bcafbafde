import type { InboundEvent, Store } from '@edu/analytics';
import { disposeTestStore, FIXTURE_DAY, openTestStore, TEST_ENGINES } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeEvents } from '../testing/harness.ts';
import { checkinMinutes, FULL_CURVE_EVERY_MS, MinuteCurve } from './minutes.ts';

// The live curve redraws only from the earliest touched minute; at every step it must equal the
// whole day read afresh, on both engines.

const CITY = { kind: 'city' } as const;
const at = (hhmm: string) => `${FIXTURE_DAY}T${hhmm}:00+08:00`;
const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
let n = 0;
const checkin = (hhmm: string, person: 'student' | 'teacher' = 'student', id = `mc-${n++}`): InboundEvent => ({
  id,
  type: 'checkin',
  ts: at(hhmm),
  school_id: 's1',
  session_id: 'se1',
  person,
  person_id: `${person}-${id}`,
  method: 'card',
});

describe.each(TEST_ENGINES)('the live attendance curve on %s', (engine) => {
  let store: Store;
  const t0 = Date.parse(at('18:00'));

  beforeAll(async () => {
    store = await openTestStore(engine, 'minute_curve');
    await storeEvents(store, [checkin('16:00'), checkin('16:00', 'teacher'), checkin('16:01')]);
  });
  afterAll(() => disposeTestStore(store));

  const whole = () => checkinMinutes(store, CITY, FIXTURE_DAY);

  it('redraws from the earliest touched minute and keeps the minutes before it', async () => {
    const curve = new MinuteCurve(() => 0);
    expect(await curve.read(store, CITY, FIXTURE_DAY, t0)).toEqual([
      { minute: 960, students: 1, teachers: 1 },
      { minute: 961, students: 1, teachers: 0 },
    ]);

    // A late check-in at 15:50 and a new one at 16:05, with a redelivery of a 16:05 event.
    const late = checkin('15:50');
    const fresh = checkin('16:05');
    await storeEvents(store, [late, fresh, { ...fresh }]);
    curve.touch(minuteOf('16:05'));
    const partial = await curve.read(store, CITY, FIXTURE_DAY, t0 + 1000);
    // Only 16:05 on was read: the 15:50 check-in is not drawn yet, which shows the kept part.
    expect(partial.map((p) => p.minute)).toEqual([960, 961, 965]);
    expect(partial.at(-1)).toEqual({ minute: 965, students: 1, teachers: 0 });

    curve.touch(minuteOf('16:01'));
    curve.touch(minuteOf('15:50'));
    expect(await curve.read(store, CITY, FIXTURE_DAY, t0 + 2000)).toEqual(await whole());
    expect((await whole()).map((p) => p.minute)).toEqual([950, 960, 961, 965]);
  });

  it('with nothing touched, reads nothing until the periodic whole redraw', async () => {
    const curve = new MinuteCurve(() => 0);
    const first = await curve.read(store, CITY, FIXTURE_DAY, t0);
    await storeEvents(store, [checkin('15:40')]);
    // No signal was seen (lost on pub/sub, say): the curve is kept…
    expect(await curve.read(store, CITY, FIXTURE_DAY, t0 + 1000)).toEqual(first);
    // …until the whole day is read again.
    const later = await curve.read(store, CITY, FIXTURE_DAY, t0 + FULL_CURVE_EVERY_MS);
    expect(later).toEqual(await whole());
    expect(later[0]).toEqual({ minute: 940, students: 1, teachers: 0 });
  });

  it('paces partial draws by their cost, and says when held-back changes may be drawn', async () => {
    let elapsed = 0;
    // Each query "takes" 100 ms on the elapsed clock: the next partial draw waits 400 ms.
    const slow = Object.create(store) as Store;
    slow.query = (q) => {
      elapsed += 100;
      return store.query(q);
    };
    const curve = new MinuteCurve(() => elapsed);
    await curve.read(slow, CITY, FIXTURE_DAY, t0);
    expect(curve.pendingIn()).toBeNull();
    await storeEvents(store, [checkin('17:00')]);
    curve.touch(minuteOf('17:00'));
    elapsed += 100;
    const held = await curve.read(slow, CITY, FIXTURE_DAY, t0 + 1000);
    expect(held.some((p) => p.minute === minuteOf('17:00'))).toBe(false);
    expect(curve.pendingIn()).toBe(300);
    elapsed += 300;
    expect(curve.pendingIn()).toBe(0);
    expect(await curve.read(slow, CITY, FIXTURE_DAY, t0 + 2000)).toEqual(await whole());
    expect(curve.pendingIn()).toBeNull();
  });

  it('keeps a touch whose read failed, for the next read', async () => {
    const curve = new MinuteCurve(() => 0);
    await curve.read(store, CITY, FIXTURE_DAY, t0);
    await storeEvents(store, [checkin('16:30')]);
    curve.touch(minuteOf('16:30'));
    const down = Object.create(store) as Store;
    down.query = () => Promise.reject(new Error('ClickHouse down'));
    await expect(curve.read(down, CITY, FIXTURE_DAY, t0 + 1000)).rejects.toThrow('ClickHouse down');
    expect(await curve.read(store, CITY, FIXTURE_DAY, t0 + 2000)).toEqual(await whole());
    expect((await whole()).some((p) => p.minute === minuteOf('16:30'))).toBe(true);
  });
});
