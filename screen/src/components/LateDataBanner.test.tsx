import { DATA_LATE_AFTER_MS } from '@edu/analytics/late';
import { WALL_STALE_AFTER_MS, type Snapshot } from '@edu/analytics/live';
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LateDataBanner } from './LateDataBanner.tsx';

// The wall says its data is late when pushes arrive but their newest event is old while
// classes run: on the service's clock (the simulated city's on the embedded default).

const SERVICE_NOW = Date.parse('2026-12-03T16:40:00+08:00');

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.parse('2026-12-03T02:00:00Z'));
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function overview(asOfMsAgo: number, o: { dueEnd?: number } = {}): Snapshot['overview'] {
  return {
    at: null,
    as_of: new Date(SERVICE_NOW - asOfMsAgo).toISOString(),
    due: { sessions_due: 80, sessions_due_end: o.dueEnd ?? 10 },
    metrics: { sessions_scheduled: 100 },
  } as unknown as Snapshot['overview'];
}

/** The service's clock at SERVICE_NOW when the push arrived, now. */
const serviceTime = () => ({ at: SERVICE_NOW, receivedAt: Date.now() });

describe('late data', () => {
  it('says in Chinese how late the data is, and that the absence alerts wait for it', () => {
    render(<LateDataBanner overview={overview(42 * 60_000)} serviceTime={serviceTime()} since={Date.now()} active />);
    const text = screen.getByTestId('late-banner').textContent;
    expect(text).toContain('接入数据延迟 42 分钟');
    expect(text).toContain('未签退');
  });

  it('appears once the newest event falls behind the limit, on the service clock', () => {
    const st = serviceTime();
    const { rerender } = render(
      <LateDataBanner overview={overview(DATA_LATE_AFTER_MS - 20_000)} serviceTime={st} since={Date.now()} active />,
    );
    expect(screen.queryByTestId('late-banner')).toBeNull();
    act(() => vi.advanceTimersByTime(30_000));
    rerender(
      <LateDataBanner overview={overview(DATA_LATE_AFTER_MS - 20_000)} serviceTime={st} since={Date.now()} active />,
    );
    expect(screen.getByTestId('late-banner').textContent).toContain('接入数据延迟 5 分钟');
  });

  it('is quiet when the classes are over, when inactive, and when pushes stopped (StaleBanner speaks)', () => {
    const late = overview(42 * 60_000);
    render(
      <LateDataBanner
        overview={overview(42 * 60_000, { dueEnd: 100 })}
        serviceTime={serviceTime()}
        since={Date.now()}
        active
      />,
    );
    render(<LateDataBanner overview={late} serviceTime={serviceTime()} since={Date.now()} active={false} />);
    render(
      <LateDataBanner
        overview={late}
        serviceTime={serviceTime()}
        since={Date.now() - WALL_STALE_AFTER_MS - 5000}
        active
      />,
    );
    render(<LateDataBanner overview={late} serviceTime={serviceTime()} since={0} active />);
    expect(screen.queryByTestId('late-banner')).toBeNull();
  });
});
