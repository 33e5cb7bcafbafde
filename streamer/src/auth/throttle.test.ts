import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { MemorySharedState } from '../shared/memory-state.ts';
import { LoginThrottle } from './throttle.ts';

const config = {
  maxFailures: 5,
  maxFailuresPerIp: 100,
  maxFailuresPerPhone: 20,
  failureWindowSeconds: 900,
  lockoutBaseSeconds: 30,
  lockoutMaxSeconds: 3600,
};

describe('login throttle', () => {
  it('locks a phone for one source after 5 failures, exponentially, and forgets after success', async () => {
    const clock = new ManualClock(1_000_000);
    const t = new LoginThrottle(new MemorySharedState(clock), config);
    for (let i = 0; i < 4; i++) await t.failed('138', '1.1.1.1');
    expect(await t.retryAfterMs('138', '1.1.1.1')).toBe(0);
    await t.failed('138', '1.1.1.1');
    expect(await t.retryAfterMs('138', '1.1.1.1')).toBe(30_000);
    expect(await t.retryAfterMs('139', '2.2.2.2')).toBe(0);
    clock.advance(30_000);
    expect(await t.retryAfterMs('138', '1.1.1.1')).toBe(0);
    await t.failed('138', '1.1.1.1');
    expect(await t.retryAfterMs('138', '1.1.1.1')).toBe(60_000);
    clock.advance(60_000);
    await t.succeeded('138', '1.1.1.1');
    await t.failed('138', '1.1.1.1');
    expect(await t.retryAfterMs('138', '1.1.1.1')).toBe(0);
  });

  it('does not lock the owner out from another source, until many sources fail together', async () => {
    const t = new LoginThrottle(new MemorySharedState(new ManualClock(1_000_000)), config);
    for (let i = 0; i < 10; i++) await t.failed('138', '6.6.6.6');
    expect(await t.retryAfterMs('138', '6.6.6.6')).toBeGreaterThan(0);
    expect(await t.retryAfterMs('138', '1.1.1.1')).toBe(0);
    for (let i = 0; i < 10; i++) await t.failed('138', `7.7.7.${i}`);
    expect(await t.retryAfterMs('138', '1.1.1.1')).toBeGreaterThan(0);
  });
});
