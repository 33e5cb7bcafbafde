import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { OrphanPage } from '@edu/analytics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Geo, PublicUser } from '../api/types.ts';
import { useSession } from '../state/session.ts';
import { Console } from './index.tsx';
import { adminPageOf, mayOpenAdminPage } from './route.ts';
import { mockApi } from './test-fetch.ts';

// 数据质量 in the console: an operations page for leaders and administrators, never staff.

const geo: Geo = { districts: [{ id: 'd1', name: '东城区' }], zones: [], schools: [] };
const user = (role: PublicUser['role']): PublicUser => ({
  user_id: `u-${role}`,
  phone: '13800000001',
  name: '测试',
  role,
  dimensions: [],
  districts: [],
  scopes: role === 'staff' ? ['district:d1'] : ['city'],
  must_change_password: false,
});
const report: OrphanPage = {
  since_day: '2026-11-20',
  recent_since_ms: 0,
  window_days: 7,
  recent_minutes: 60,
  at: 0,
  kinds: [],
  rows: [],
};

beforeEach(() => window.history.replaceState(null, '', '/?date=2026-11-27#/console'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  useSession.setState({ user: null, token: null });
});

const api = () =>
  mockApi({
    'GET /api/v1/dimensions': { dimensions: [] },
    'GET /api/v1/geo': geo,
    'GET /api/v1/admin/data-quality': report,
  });

describe('数据质量 in the console', () => {
  it('is routed at #/console/quality and open to leaders and administrators only', () => {
    expect(adminPageOf('#/console/quality')).toBe('quality');
    expect(adminPageOf('#/console/keys?x=1')).toBe('keys');
    expect(adminPageOf('#/console/charts')).toBeNull();
    expect(['admin', 'leader', 'staff'].map((r) => mayOpenAdminPage('quality', r))).toEqual([true, true, false]);
    expect(['admin', 'leader', 'staff'].map((r) => mayOpenAdminPage('keys', r))).toEqual([true, false, false]);
  });

  it('a leader opens it from the nav', async () => {
    useSession.setState({ token: 't', user: user('leader') });
    const calls = api();
    render(<Console />);
    fireEvent.click(await screen.findByTestId('console-nav-quality'));
    await screen.findByTestId('console-page-quality');
    expect(window.location.hash).toBe('#/console/quality');
    await screen.findByTestId('console-quality-empty');
    expect(calls.some((c) => c.path === '/api/v1/admin/data-quality')).toBe(true);
  });

  it('staff get no such entry, even by its address', async () => {
    window.history.replaceState(null, '', '/?date=2026-11-27#/console/quality');
    useSession.setState({ token: 't', user: user('staff') });
    const calls = api();
    render(<Console />);
    await waitFor(() => expect(screen.getByTestId('console-nav-charts')).toBeTruthy());
    expect(screen.queryByTestId('console-nav-quality')).toBeNull();
    expect(screen.queryByTestId('console-page-quality')).toBeNull();
    expect(calls.some((c) => c.path === '/api/v1/admin/data-quality')).toBe(false);
  });
});
