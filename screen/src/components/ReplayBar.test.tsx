import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockApi } from '../console/test-fetch.ts';
import { useReplay } from '../state/replay.ts';
import { useSession } from '../state/session.ts';
import { ReplayBar } from './ReplayBar.tsx';

// The wall's player on today (issue 12): the slider ends at now, not at 19:00, and playing
// stops there with a label that says why.

/** 2026-12-01 16:20 in Asia/Shanghai. */
const NOW = Date.parse('2026-12-01T16:20:10+08:00');

afterEach(() => {
  cleanup();
  useReplay.getState().exit();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('the replay bar', () => {
  it('ends today’s slider at now and pauses there, saying so', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW);
    useSession.setState({ token: 't' });
    const calls = mockApi({ 'GET /api/v1/snapshot': { overview: { date: '2026-12-01' } } });
    useReplay.getState().enter('2026-12-01', 16 * 60 + 17);
    render(<ReplayBar scope="city" />);
    const slider = screen.getByTestId('replay-slider');
    expect(slider.getAttribute('max')).toBe(String(16 * 60 + 20));
    expect(screen.getByTestId('replay-end').textContent).toBe('16:20（现在）');
    fireEvent.click(screen.getByTestId('replay-speed-60'));
    fireEvent.click(screen.getByTestId('replay-play'));
    // ×60: a minute a second; three minutes to now, then it stops.
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5_000);
    });
    expect(screen.getByTestId('replay-banner').textContent).toContain('回放 2026-12-01 16:20 · 非实时数据');
    expect(screen.getByTestId('replay-play').textContent).toBe('播放');
    expect(screen.getByTestId('replay-at-now').textContent).toBe('已到当前时刻，回放暂停');
    expect(calls.every((c) => (c.search.get('at') ?? '') <= '16:20')).toBe(true);
    // A past day runs to 19:00.
    fireEvent.change(screen.getByTestId('replay-date'), { target: { value: '2026-11-30' } });
    expect(screen.getByTestId('replay-slider').getAttribute('max')).toBe(String(19 * 60));
    expect(screen.getByTestId('replay-end').textContent).toBe('19:00');
    expect(screen.queryByTestId('replay-at-now')).toBeNull();
  });
});
