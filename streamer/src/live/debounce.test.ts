import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Debouncer } from './debounce.ts';

describe('Debouncer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires once after a quiet period', () => {
    const fire = vi.fn();
    const d = new Debouncer(250, 1000, fire);
    d.poke();
    vi.advanceTimersByTime(200);
    d.poke();
    vi.advanceTimersByTime(249);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('fires within the max wait under a steady stream', () => {
    const fire = vi.fn();
    const d = new Debouncer(250, 1000, fire);
    for (let t = 0; t < 1000; t += 100) {
      d.poke();
      vi.advanceTimersByTime(100);
    }
    expect(fire).toHaveBeenCalledTimes(1);
  });
});
