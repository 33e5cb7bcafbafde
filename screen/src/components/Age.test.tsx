import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Age } from './Age.tsx';

// The data's age is counted on the service's clock: a simulated day five days back (the embedded
// default, the browser tests' stacks) must not read 5天前 when its newest event is 30 s old.

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.parse('2026-12-02T09:00:00Z'));
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('Age', () => {
  const serviceAt = Date.parse('2026-11-27T08:43:00Z');
  const asOf = new Date(serviceAt - 30_000).toISOString();

  it("counts on the service's clock when given one, and ticks with it", () => {
    const { container } = render(<Age iso={asOf} serviceTime={{ at: serviceAt, receivedAt: Date.now() }} />);
    expect(container.textContent).toBe('30秒前');
    act(() => vi.advanceTimersByTime(60_000));
    expect(container.textContent).toBe('1分钟前');
  });

  it("counts on the browser's clock without one (a push's arrival)", () => {
    const { container } = render(<Age iso={asOf} />);
    expect(container.textContent).toBe('5天前');
  });
});
