import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Geo, PublicUser } from '../api/types.ts';
import { useSession } from '../state/session.ts';
import { Console } from './index.tsx';
import { mockApi } from './test-fetch.ts';

// 数据源密钥 in the console: offered to administrators only, reached by its own address, and
// leaving it for a dimension page goes back to the dimensions.

const geo: Geo = { districts: [], zones: [], schools: [] };
const user = (role: PublicUser['role']): PublicUser => ({
  user_id: `u-${role}`,
  phone: '13800000000',
  name: role === 'admin' ? '系统管理员' : '局领导',
  role,
  dimensions: [],
  districts: [],
  scopes: ['city'],
  must_change_password: false,
});

beforeEach(() => {
  window.history.replaceState(null, '', '/#/console');
  mockApi({
    'GET /api/v1/dimensions': { dimensions: ['safety'] },
    'GET /api/v1/geo': geo,
    'GET /api/v1/admin/source-keys': { keys: [] },
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  useSession.setState({ user: null, token: null });
});

describe('数据源密钥 in the console', () => {
  it('is offered to an administrator and opens at #/console/keys', async () => {
    useSession.setState({ token: 't', user: user('admin') });
    render(<Console />);
    fireEvent.click(await screen.findByTestId('console-nav-keys'));
    expect(window.location.hash).toBe('#/console/keys');
    expect(await screen.findByTestId('console-source-key-form')).toBeTruthy();
    expect(screen.getByTestId('console-page-keys')).toBeTruthy();
    fireEvent.click(screen.getByTestId('console-nav-safety'));
    expect(window.location.hash).toMatch(/^#\/console\/safety/);
    expect(screen.queryByTestId('console-source-key-form')).toBeNull();
  });

  it('is neither offered nor opened by its address for anyone else', async () => {
    window.history.replaceState(null, '', '/#/console/keys');
    useSession.setState({ token: 't', user: user('leader') });
    render(<Console />);
    expect(await screen.findByTestId('console-nav-safety')).toBeTruthy();
    expect(screen.queryByTestId('console-nav-keys')).toBeNull();
    expect(screen.queryByTestId('console-source-key-form')).toBeNull();
  });
});
