import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Geo, PublicUser } from '../api/types.ts';
import { useReplay } from '../state/replay.ts';
import { useSession } from '../state/session.ts';
import { Console } from './index.tsx';
import { mockApi, type Call } from './test-fetch.ts';
import type { SafetyChildRow } from './types.ts';

// The console opened from a replaying wall (回放, issue 12): the wall's banner, `at` on every read
// whose figures follow the moment and on no other, the moment kept on the way back to the wall,
// and 返回实时.

const geo: Geo = {
  districts: [{ id: 'd1', name: '东城区' }],
  zones: [{ id: 'z1', name: '一学区', district_id: 'd1' }],
  schools: [{ id: 's1', name: '第1小学', zone_id: 'z1', district_id: 'd1' }],
};

const user = (role: PublicUser['role']): PublicUser => ({
  user_id: `u-${role}`,
  phone: '13800000001',
  name: role === 'admin' ? '管理员' : '局领导',
  role,
  dimensions: [],
  districts: [],
  scopes: ['city'],
  must_change_password: false,
});

const metrics = {
  sessions_scheduled: 2,
  sessions_started: 2,
  sessions_completed: 1,
  students_expected: 3,
  students_present: 3,
  teachers_present: 1,
  completion_rate: 0.5,
  attendance_rate: 1,
  teacher_attendance_rate: 0.5,
};
const due = {
  sessions_due: 2,
  students_due: 3,
  students_present: 2,
  teachers_present: 1,
  sessions_due_end: 0,
  sessions_completed: 0,
  attendance_rate: 2 / 3,
  teacher_attendance_rate: 0.5,
  completion_rate: null,
  at: '2026-11-27T16:05:00+08:00',
  grace_minutes: 10,
};
const safetyRows = () => {
  const rows = [{ child: { kind: 'district', id: 'd1', name: '东城区' }, schools: 1, metrics, due }];
  return { status: 200, body: { date: '2026-11-27', rows: rows as unknown as SafetyChildRow[] } };
};
const counts = { issued: 0, received: 0, submitted: 0, returned: 0, closed: 0, overdue: 0 };

const routes = {
  'GET /api/v1/dimensions': { dimensions: ['material', 'budget', 'process', 'course', 'safety', 'feedback'] },
  'GET /api/v1/geo': geo,
  'GET /api/v1/dimensions/safety': safetyRows,
  'GET /api/v1/dimensions/material': { term: '2026-autumn', rows: [] },
  'GET /api/v1/notices': { notices: [], counts },
  'GET /api/v1/notices/unmatched': { items: [] },
  'GET /api/v1/admin/users': { users: [] },
};

const WALL = '?scope=city&rotate=0&sound=0&replay=1&date=2026-11-27&at=16:05';
const reads = (calls: Call[], path: string) => calls.filter((c) => c.path === path);
const banner = () => screen.queryByTestId('console-replay-banner');

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  useReplay.getState().exit();
  useSession.setState({ user: null, token: null });
});

describe('the console in replay', () => {
  it('opened from a replaying wall, reads the moment and says so, and takes it back to the wall', async () => {
    window.history.replaceState(null, '', `/${WALL}#/console/safety?scope=city`);
    useSession.setState({ token: 't', user: user('leader') });
    const calls = mockApi(routes);
    render(<Console />);
    await screen.findByTestId('console-row');
    expect(banner()?.textContent).toContain('回放 2026-11-27 16:05 · 非实时数据');
    expect(banner()?.getAttribute('data-follows')).toBe('all');
    expect(screen.getByTestId('console').className).toContain('replaying');
    const safety = reads(calls, '/api/v1/dimensions/safety');
    expect(safety.map((c) => [c.search.get('date'), c.search.get('at')])).toEqual([['2026-11-27', '16:05']]);
    // The lists of pages and places are not figures of a moment.
    for (const p of ['/api/v1/dimensions', '/api/v1/geo'])
      expect(reads(calls, p).every((c) => !c.search.has('at'))).toBe(true);
    // 返回大屏: the wall's options, replaying the same moment.
    const wall = new URL(screen.getByTestId('console-wall').getAttribute('href') ?? '', 'http://x');
    expect([...wall.searchParams.entries()]).toEqual(
      expect.arrayContaining([
        ['scope', 'city'],
        ['rotate', '0'],
        ['replay', '1'],
        ['date', '2026-11-27'],
        ['at', '16:05'],
      ]),
    );
    expect(wall.hash).toBe('#/');

    // A term register is read as it stands now, and the banner says so.
    fireEvent.click(screen.getByTestId('console-nav-material'));
    await waitFor(() => expect(reads(calls, '/api/v1/dimensions/material')).toHaveLength(1));
    expect(reads(calls, '/api/v1/dimensions/material')[0]?.search.has('at')).toBe(false);
    expect(banner()?.getAttribute('data-follows')).toBe('none');
    expect(screen.getByTestId('console-replay-partly').textContent).toBe(
      '本页为学期登记数据的当前状态，不随回放时刻变化',
    );

    // 督办: the notices' states at the moment (the list; unmatched receipts are not figures).
    fireEvent.click(screen.getByTestId('console-nav-notices'));
    await waitFor(() => expect(reads(calls, '/api/v1/notices')).toHaveLength(1));
    expect(reads(calls, '/api/v1/notices')[0]?.search.get('at')).toBe('16:05');
    expect(reads(calls, '/api/v1/notices')[0]?.search.get('date')).toBe('2026-11-27');
    expect(reads(calls, '/api/v1/notices/unmatched')[0]?.search.has('at')).toBe(false);
    expect(banner()?.getAttribute('data-follows')).toBe('all');

    // 返回大屏 (the link's hash navigation): the console lets the address go to the wall.
    const back = new URL(screen.getByTestId('console-wall').getAttribute('href') ?? '', 'http://x');
    window.history.pushState(null, '', `${back.pathname}${back.search}${back.hash}`);
    fireEvent(window, new HashChangeEvent('hashchange'));
    await new Promise((r) => setTimeout(r, 50));
    expect(window.location.hash).toBe('#/');
    expect(new URLSearchParams(window.location.search).get('at')).toBe('16:05');
  });

  it('takes a moment named in its address, and 返回实时 reads live again without the banner', async () => {
    window.history.replaceState(null, '', '/?date=2026-11-27&at=17:30#/console/safety?scope=city');
    useSession.setState({ token: 't', user: user('leader') });
    const calls = mockApi(routes);
    render(<Console />);
    await waitFor(() => expect(banner()?.textContent).toContain('回放 2026-11-27 17:30 · 非实时数据'));
    await waitFor(() =>
      expect(reads(calls, '/api/v1/dimensions/safety').some((c) => c.search.get('at') === '17:30')).toBe(true),
    );
    expect(new URLSearchParams(window.location.search).get('replay')).toBe('1');

    fireEvent.click(screen.getByTestId('console-replay-exit'));
    await waitFor(() => expect(banner()).toBeNull());
    await waitFor(() => expect(reads(calls, '/api/v1/dimensions/safety').at(-1)?.search.has('at')).toBe(false));
    // Live: today's figures (no day asked), the address without the moment, the wall live too.
    expect(reads(calls, '/api/v1/dimensions/safety').at(-1)?.search.has('date')).toBe(false);
    const q = new URLSearchParams(window.location.search);
    expect([q.get('replay'), q.get('date'), q.get('at')]).toEqual([null, null, null]);
    const wall = new URL(screen.getByTestId('console-wall').getAttribute('href') ?? '', 'http://x');
    expect([wall.searchParams.get('replay'), wall.searchParams.get('at')]).toEqual([null, null]);
    expect(screen.getByTestId('console').className).not.toContain('replaying');
  });

  it('says nothing on the operations pages, whose reads take no moment', async () => {
    window.history.replaceState(null, '', `/${WALL}#/console/users`);
    useSession.setState({ token: 't', user: user('admin') });
    const calls = mockApi({ ...routes, 'GET /api/v1/dimensions': { dimensions: [] } });
    render(<Console />);
    await screen.findByTestId('console-page-users');
    await waitFor(() => expect(reads(calls, '/api/v1/admin/users')).toHaveLength(1));
    expect(reads(calls, '/api/v1/admin/users')[0]?.search.has('at')).toBe(false);
    expect(banner()).toBeNull();
    expect(screen.getByTestId('console').className).not.toContain('replaying');
  });
});
