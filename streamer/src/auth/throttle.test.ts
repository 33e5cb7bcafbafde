import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { MemorySharedState } from '../shared/memory-state.ts';
import { LoginThrottle } from './throttle.ts';

describe('login throttle', () => {
  it('locks a phone after 5 failures, exponentially, and forgets after success', async () => {
    const clock = new ManualClock(1_000_000);
    const t = new LoginThrottle(new MemorySharedState(clock), {
      maxFailures: 5,
      maxFailuresPerIp: 100,
      failureWindowSeconds: 900,
      lockoutBaseSeconds: 30,
      lockoutMaxSeconds: 3600,
    });
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
    await t.succeeded('138');
    await t.failed('138', '1.1.1.1');
    expect(await t.retryAfterMs('138', '1.1.1.1')).toBe(0);
  });
});
