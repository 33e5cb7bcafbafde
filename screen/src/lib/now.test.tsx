import { WALL_STALE_AFTER_MS } from '@edu/analytics/live';
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pushesStopped, useNow } from './now.ts';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.parse('2026-12-03T08:00:00Z'));
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function Clock({ everyMs }: { everyMs: number }) {
  return <>{useNow(everyMs) - Date.parse('2026-12-03T08:00:00Z')}</>;
}

describe('useNow', () => {
  it('re-reads the clock every period, not in between', () => {
    const { container } = render(<Clock everyMs={5000} />);
    expect(container.textContent).toBe('0');
    act(() => vi.advanceTimersByTime(4999));
    expect(container.textContent).toBe('0');
    act(() => vi.advanceTimersByTime(1));
    expect(container.textContent).toBe('5000');
  });

  it('leaves no timer behind once unmounted', () => {
    const { unmount } = render(<Clock everyMs={1000} />);
    expect(vi.getTimerCount()).toBe(1);
    unmount();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('pushesStopped', () => {
  it('holds only past WALL_STALE_AFTER_MS', () => {
    expect(pushesStopped(0, WALL_STALE_AFTER_MS)).toBe(false);
    expect(pushesStopped(0, WALL_STALE_AFTER_MS + 1)).toBe(true);
  });
});
