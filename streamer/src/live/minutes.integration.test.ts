import { checkinMinutes, type InboundEvent, type Store } from '@edu/analytics';
import { disposeTestStore, FIXTURE_DAY, interceptQueries, openTestStore, TEST_ENGINES } from '@edu/analytics/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { storeEvents } from '../testing/harness.ts';
import { FULL_CURVE_EVERY_MS, MinuteCurve } from './minutes.ts';

// The live curve redraws only from the earliest touched minute, in the background and paced by
// its cost; once drawn it must equal the whole day read afresh, on both engines.

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
  const curves: MinuteCurve[] = [];

  beforeAll(async () => {
    store = await openTestStore(engine, 'minute_curve');
    await storeEvents(store, [checkin('16:00'), checkin('16:00', 'teacher'), checkin('16:01')]);
  });
  afterEach(() => {
    for (const c of curves.splice(0)) c.stop();
  });
  afterAll(() => disposeTestStore(store));

  const whole = () => checkinMinutes(store, CITY, FIXTURE_DAY);
  /** A curve over the city; `nextDraw()` resolves when a background draw lands. */
  const open = (over: Store = store, elapsed: () => number = () => 0) => {
    const waiting: (() => void)[] = [];
    const errors: unknown[] = [];
    let draws = 0;
    const curve = new MinuteCurve({
      store: over,
      scope: CITY,
      day: FIXTURE_DAY,
      drawn: () => {
        draws++;
        for (const w of waiting.splice(0)) w();
      },
      onError: (e) => errors.push(e),
      elapsed,
    });
    curves.push(curve);
    return { curve, errors, draws: () => draws, nextDraw: () => new Promise<void>((r) => waiting.push(r)) };
  };

  it('redraws from the earliest touched minute and keeps the minutes before it', async () => {
    const { curve, nextDraw } = open();
    expect(await curve.read(t0)).toEqual([
      { minute: 960, students: 1, teachers: 1 },
      { minute: 961, students: 1, teachers: 0 },
    ]);

    // A late check-in at 15:50 and a new one at 16:05, with a redelivery of the 16:05 event.
    const late = checkin('15:50');
    const fresh = checkin('16:05');
    await storeEvents(store, [late, fresh, { ...fresh }]);
    let drawn = nextDraw();
    curve.touch(minuteOf('16:05'));
    await drawn;
    const partial = await curve.read(t0 + 1000);
    // Only 16:05 on was read: the 15:50 check-in is not drawn yet, which shows the kept part.
    expect(partial.map((p) => p.minute)).toEqual([960, 961, 965]);
    expect(partial.at(-1)).toEqual({ minute: 965, students: 1, teachers: 0 });

    drawn = nextDraw();
    curve.touch(minuteOf('15:50'));
    await drawn;
    expect(await curve.read(t0 + 2000)).toEqual(await whole());
    expect((await whole()).map((p) => p.minute)).toEqual([950, 960, 961, 965]);
  });

  it('with nothing touched, keeps the curve until the periodic whole redraw', async () => {
    const { curve, nextDraw } = open();
    const first = await curve.read(t0);
    await storeEvents(store, [checkin('15:40')]);
    // No signal was seen (lost on pub/sub, say): the curve is kept…
    expect(await curve.read(t0 + 1000)).toEqual(first);
    // …until the whole day is due again: that read starts it, a later one shows it.
    const drawn = nextDraw();
    expect(await curve.read(t0 + FULL_CURVE_EVERY_MS)).toEqual(first);
    await drawn;
    const later = await curve.read(t0 + FULL_CURVE_EVERY_MS + 1);
    expect(later).toEqual(await whole());
    expect(later[0]).toEqual({ minute: 940, students: 1, teachers: 0 });
  });

  it('paces draws by their cost: after a 100 ms draw, the next waits 400 ms', async () => {
    let elapsed = 0;
    const slow = interceptQueries(store, () => {
      elapsed += 100;
    });
    const { curve, nextDraw, draws } = open(slow, () => elapsed);
    await curve.read(t0);
    await storeEvents(store, [checkin('17:00')]);
    let drawn = nextDraw();
    curve.touch(minuteOf('17:00'));
    await drawn; // at once: nothing drawn before it; it "took" 100 ms (elapsed 100 → 200)
    expect((await curve.read(t0)).some((p) => p.minute === minuteOf('17:00'))).toBe(true);

    await storeEvents(store, [checkin('17:10')]);
    drawn = nextDraw();
    curve.touch(minuteOf('17:10'));
    await new Promise((r) => setTimeout(r, 150));
    expect(draws()).toBe(1); // held: elapsed 200 is before 200 + 4 × 100
    expect((await curve.read(t0)).some((p) => p.minute === minuteOf('17:10'))).toBe(false);
    elapsed = 600;
    await drawn;
    expect(await curve.read(t0)).toEqual(await whole());
  });

  it('keeps the changes of a failed draw, reports the error and draws them later', async () => {
    let failures = 0;
    const flaky = interceptQueries(store, () => {
      if (failures-- > 0) throw new Error('ClickHouse down');
    });
    const { curve, nextDraw, errors } = open(flaky, () => performance.now());
    await curve.read(t0);
    await storeEvents(store, [checkin('16:30')]);
    failures = 1;
    const drawn = nextDraw();
    curve.touch(minuteOf('16:30'));
    await drawn; // after the failure and its retry a second later
    expect(errors.map((e) => (e as Error).message)).toEqual(['ClickHouse down']);
    expect(await curve.read(t0)).toEqual(await whole());
    expect((await whole()).some((p) => p.minute === minuteOf('16:30'))).toBe(true);
  });
});
