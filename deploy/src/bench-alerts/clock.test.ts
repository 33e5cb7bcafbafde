import { describe, expect, it } from 'vitest';
import { GovernedClock } from './clock.ts';

describe('the benchmark clock', () => {
  it('stands still until it runs, then runs at its speed, and holds while the product lags', () => {
    let real = 1_000;
    const clock = new GovernedClock(50_000, () => real);
    real += 5_000;
    expect(clock.now()).toBe(50_000);
    expect(clock.realMsUntil(60_000)).toBe(Infinity);
    clock.run(10);
    real += 100;
    expect(clock.now()).toBe(51_000);
    clock.hold();
    real += 2_000;
    expect(clock.now()).toBe(51_000);
    expect(clock.held()).toBe(2_000);
    clock.release();
    real += 100;
    expect(clock.now()).toBe(52_000);
    clock.release(); // twice: nothing
    clock.hold();
    clock.hold(); // twice: one hold
    real += 500;
    clock.release();
    expect(clock.now()).toBe(52_000);
    expect(clock.held()).toBe(2_500);
    expect(clock.realMsUntil(53_000)).toBe(100);
    expect(() => clock.run(0)).toThrow(RangeError);
  });

  it('governs itself by the lag it is told of', async () => {
    const clock = new GovernedClock(0);
    clock.run(1);
    let behind = true;
    const stop = clock.govern(() => behind, 5);
    for (let i = 0; i < 200 && clock.held() === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const held = clock.now();
    await new Promise((r) => setTimeout(r, 40));
    expect(clock.now()).toBe(held);
    behind = false;
    for (let i = 0; i < 200 && clock.now() === held; i++) await new Promise((r) => setTimeout(r, 10));
    expect(clock.now()).toBeGreaterThan(held);
    stop();
  });
});
