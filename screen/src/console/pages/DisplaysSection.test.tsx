import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Geo } from '../../api/types.ts';
import { mockApi } from '../test-fetch.ts';
import { DisplaysSection, type AdminDisplay } from './DisplaysSection.tsx';

// 大屏终端 (issue 12): displays by name with their scope's name (never an id), last seen, build
// and state; registering shows the pairing code big; revoking asks first, then posts.

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const geo: Geo = { districts: [{ id: 'd1', name: '东城区' }], zones: [], schools: [] };
const paired: AdminDisplay = {
  display_id: 'dsp-1',
  name: '指挥中心主屏',
  scope: 'district:d1',
  scope_name: '东城区',
  rotate: true,
  sound: false,
  state: 'paired',
  last_seen_at: '2026-11-27T10:00:00.000Z',
  build: '20261127093000-42',
};

describe('大屏终端', () => {
  it('lists displays by name, scope name, last seen, build and state', async () => {
    mockApi({
      'GET /api/v1/admin/displays': {
        displays: [
          paired,
          { ...paired, display_id: 'dsp-2', name: '旧屏', state: 'revoked', build: null, last_seen_at: null },
        ],
      },
    });
    render(<DisplaysSection geo={geo} />);
    const rows = await screen.findAllByTestId('console-display');
    expect(rows).toHaveLength(2);
    const first = rows[0] as HTMLElement;
    expect(first.textContent).toContain('指挥中心主屏');
    expect(within(first).getByTestId('console-display-scope').textContent).toBe('东城区');
    expect(first.textContent).toContain('2026/11/27 18:00:00');
    expect(within(first).getByTestId('console-display-build').textContent).toBe('20261127093000-42');
    expect(first.textContent).toContain('已配对');
    expect(first.textContent).not.toContain('dsp-1');
    const second = rows[1] as HTMLElement;
    expect(second.textContent).toContain('已注销');
    expect(second.textContent).toContain('从未连接');
    expect(within(second).queryByTestId('console-display-revoke')).toBeNull();
  });

  it('registers a display and shows its pairing code big', async () => {
    const calls = mockApi({
      'GET /api/v1/admin/displays': { displays: [] },
      'POST /api/v1/admin/displays': { display: paired, code: 'AB3K7Q', expires_at: '2026-11-27T10:15:00.000Z' },
    });
    render(<DisplaysSection geo={geo} />);
    expect((await screen.findByText('尚未登记大屏终端')).textContent).toBeTruthy();
    fireEvent.click(screen.getByTestId('console-display-new'));
    fireEvent.change(screen.getByTestId('console-display-name'), { target: { value: ' 东城主屏 ' } });
    fireEvent.change(screen.getByTestId('console-display-scope-pick'), { target: { value: 'district:d1' } });
    fireEvent.click(screen.getByTestId('console-display-save'));
    expect((await screen.findByTestId('console-display-pairing-code')).textContent).toBe('AB3K7Q');
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({ name: '东城主屏', scope: 'district:d1', rotate: true, sound: true });
  });

  it('revokes after asking, and issues a new code', async () => {
    const calls = mockApi({
      'GET /api/v1/admin/displays': { displays: [paired] },
      'POST /api/v1/admin/displays/dsp-1/revoke': { display: { ...paired, state: 'revoked' } },
      'POST /api/v1/admin/displays/dsp-1/code': { code: 'ZX8PQR', expires_at: '2026-11-27T10:15:00.000Z' },
    });
    render(<DisplaysSection geo={geo} />);
    fireEvent.click(await screen.findByTestId('console-display-code'));
    expect((await screen.findByTestId('console-display-pairing-code')).textContent).toBe('ZX8PQR');
    fireEvent.click(screen.getByText('关闭'));
    fireEvent.click(screen.getByTestId('console-display-revoke'));
    expect(calls.some((c) => c.path.endsWith('/revoke'))).toBe(false);
    fireEvent.click(screen.getByTestId('console-display-revoke-confirm'));
    expect((await screen.findByTestId('console-displays-message')).textContent).toBe('已注销「指挥中心主屏」');
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([
      '/api/v1/admin/displays/dsp-1/code',
      '/api/v1/admin/displays/dsp-1/revoke',
    ]);
  });
});
