import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Geo, PublicUser } from '../api/types.ts';
import { Header } from '../components/Header.tsx';
import { Login } from '../pages/Login.tsx';
import { SESSION_ENDED_TEXT, useSession } from '../state/session.ts';
import { Console } from './index.tsx';
import { adminPageOf, mayOpenAdminPage } from './route.ts';
import { mockApi } from './test-fetch.ts';

// 用户管理 and 操作日志 in the console's nav (administrators; leaders the log only), the
// console's return to the login form when the server ends its session, and the wall's way
// into the console (右上角 图表).

const watchers: { token: string; onEnded: () => void; stopped: boolean }[] = [];
vi.mock('../live/session-watch.ts', () => ({
  watchSession: (token: string, onEnded: () => void) => {
    const w = { token, onEnded, stopped: false };
    watchers.push(w);
    return () => {
      w.stopped = true;
    };
  },
}));
vi.mock('@jiaminghi/data-view-react', () => ({ Decoration8: () => null }));

const geo: Geo = { districts: [{ id: 'd1', name: '东城区' }], zones: [], schools: [] };
const user = (role: PublicUser['role']): PublicUser => ({
  user_id: `u-${role}`,
  phone: '13800000001',
  name: '测试',
  role,
  dimensions: [],
  districts: role === 'staff' ? ['d1'] : [],
  scopes: role === 'staff' ? ['district:d1'] : ['city'],
  must_change_password: false,
});

beforeEach(() => {
  window.history.replaceState(null, '', '/?date=2026-11-27#/console');
  watchers.length = 0;
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  useSession.setState({ user: null, token: null, ended: null });
});

const api = () =>
  mockApi({
    'GET /api/v1/dimensions': { dimensions: [] },
    'GET /api/v1/geo': geo,
    'GET /api/v1/admin/users': { users: [] },
    'GET /api/v1/audit': { entries: [], actors: [] },
  });

describe('用户管理 and 操作日志 in the console', () => {
  it('are routed, for administrators (users) and leaders and administrators (audit)', () => {
    expect([adminPageOf('#/console/users'), adminPageOf('#/console/audit')]).toEqual(['users', 'audit']);
    expect(['admin', 'leader', 'staff'].map((r) => mayOpenAdminPage('users', r))).toEqual([true, false, false]);
    expect(['admin', 'leader', 'staff'].map((r) => mayOpenAdminPage('audit', r))).toEqual([true, true, false]);
  });

  it('an administrator opens both from the nav', async () => {
    useSession.setState({ token: 't', user: user('admin') });
    const calls = api();
    render(<Console />);
    fireEvent.click(await screen.findByTestId('console-nav-users'));
    await screen.findByTestId('console-page-users');
    expect(window.location.hash).toBe('#/console/users');
    fireEvent.click(screen.getByTestId('console-nav-audit'));
    await screen.findByTestId('console-page-audit');
    await waitFor(() => expect(calls.some((c) => c.path === '/api/v1/audit')).toBe(true));
  });

  it('a leader has the log but not the users; staff have neither', async () => {
    useSession.setState({ token: 't', user: user('leader') });
    api();
    render(<Console />);
    await screen.findByTestId('console-nav-audit');
    expect(screen.queryByTestId('console-nav-users')).toBeNull();
    cleanup();
    window.history.replaceState(null, '', '/?date=2026-11-27#/console/audit');
    useSession.setState({ token: 't', user: user('staff') });
    const calls = api();
    render(<Console />);
    await waitFor(() => expect(calls.some((c) => c.path === '/api/v1/dimensions')).toBe(true));
    expect(screen.queryByTestId('console-nav-audit')).toBeNull();
    expect(screen.queryByTestId('console-page-audit')).toBeNull();
    expect(calls.some((c) => c.path === '/api/v1/audit')).toBe(false);
  });
});

describe('the console when the server ends its session', () => {
  it('watches its session and, when it ends, signs out with the reason for the login form', async () => {
    useSession.setState({ token: 'tok-1', user: user('staff') });
    api();
    render(<Console />);
    await waitFor(() => expect(watchers.map((w) => w.token)).toEqual(['tok-1']));
    watchers[0]?.onEnded();
    expect(useSession.getState()).toMatchObject({ token: null, user: null, ended: SESSION_ENDED_TEXT });
    cleanup();
    expect(watchers[0]?.stopped).toBe(true);
    render(<Login />);
    expect(screen.getByTestId('login-ended').textContent).toBe(SESSION_ENDED_TEXT);
  });

  it('a logout by the user shows no such reason', () => {
    useSession.setState({ token: 'tok-1', user: user('staff') });
    useSession.getState().logout();
    render(<Login />);
    expect(screen.queryByTestId('login-ended')).toBeNull();
  });
});

describe("the wall's way into the console", () => {
  it('shows 图表 at the top right when there is a console to open', () => {
    render(<Header connection="live" userName="局领导" onLogout={() => {}} consoleHref="#/console" />);
    const entry = screen.getByTestId('wall-console');
    expect([entry.textContent, entry.getAttribute('href')]).toEqual(['图表', '#/console']);
    cleanup();
    render(<Header connection="live" userName="" onLogout={() => {}} />);
    expect(screen.queryByTestId('wall-console')).toBeNull();
  });
});
