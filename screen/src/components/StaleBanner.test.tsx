import { WALL_STALE_AFTER_MS } from '@edu/analytics/live';
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchBuild } from '../lib/build.ts';
import { StaleBanner } from './StaleBanner.tsx';

// Issue 12: a wall says on screen when its data is stale (no push for WALL_STALE_AFTER_MS), and
// a display reloads itself when the server announces another screen build — once per build.

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.parse('2026-11-27T10:00:00Z'));
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe('stale data', () => {
  it('says nothing while pushes arrive, and says so in Chinese once they stop', () => {
    const since = Date.now();
    const { rerender } = render(<StaleBanner since={since} active />);
    act(() => vi.advanceTimersByTime(WALL_STALE_AFTER_MS - 5000));
    expect(screen.queryByTestId('stale-banner')).toBeNull();
    act(() => vi.advanceTimersByTime(10_000));
    expect(screen.getByTestId('stale-banner').textContent).toContain('数据已 1 分钟未更新');
    act(() => vi.advanceTimersByTime(120_000));
    expect(screen.getByTestId('stale-banner').textContent).toContain('数据已 3 分钟未更新');
    // A push arrives: gone.
    rerender(<StaleBanner since={Date.now()} active />);
    expect(screen.queryByTestId('stale-banner')).toBeNull();
  });

  it('is not shown while replaying or on a past day (inactive)', () => {
    render(<StaleBanner since={Date.now()} active={false} />);
    act(() => vi.advanceTimersByTime(10 * WALL_STALE_AFTER_MS));
    expect(screen.queryByTestId('stale-banner')).toBeNull();
  });

  it('counts from the start when no push ever came', () => {
    render(<StaleBanner since={0} active />);
    expect(screen.queryByTestId('stale-banner')).toBeNull();
    act(() => vi.advanceTimersByTime(WALL_STALE_AFTER_MS + 5000));
    expect(screen.getByTestId('stale-banner')).toBeTruthy();
  });
});

describe('reload on upgrade', () => {
  const served = (build: string) =>
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ build }), { status: 200 })),
    );

  it('reloads when the served build differs, once per announced build', async () => {
    const reload = vi.fn();
    served('b1');
    const stop = watchBuild(reload, 1000, 'b1');
    await vi.advanceTimersByTimeAsync(3000);
    expect(reload).not.toHaveBeenCalled();
    served('b2');
    await vi.advanceTimersByTimeAsync(1000);
    expect(reload).toHaveBeenCalledTimes(1);
    // Still the old bundle after the reload (a cache): no loop.
    await vi.advanceTimersByTimeAsync(5000);
    expect(reload).toHaveBeenCalledTimes(1);
    stop();
  });

  it('never reloads a development build, nor when the server is away', async () => {
    const reload = vi.fn();
    served('b2');
    watchBuild(reload, 1000, 'dev')();
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new Error('down');
      }),
    );
    const stop = watchBuild(reload, 1000, 'b1');
    await vi.advanceTimersByTimeAsync(3000);
    expect(reload).not.toHaveBeenCalled();
    stop();
  });
});
