import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Geo } from '../../api/types.ts';
import { mockApi, reply } from '../test-fetch.ts';
import { AuditPage, type AuditRow } from './AuditPage.tsx';
import { UsersPage, type AdminUser } from './UsersPage.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const geo: Geo = {
  districts: [
    { id: 'd1', name: '东城区' },
    { id: 'd2', name: '西城区' },
  ],
  zones: [],
  schools: [],
};

const staff: AdminUser = {
  user_id: 'seed-staff-d1',
  phone: '13900000001',
  name: '东城区专干',
  role: 'staff',
  dimensions: ['safety', 'budget'],
  districts: ['d1'],
  scopes: ['district:d1'],
  must_change_password: false,
  disabled: false,
};
const admin: AdminUser = {
  ...staff,
  user_id: 'seed-admin',
  phone: '13800000000',
  name: '系统管理员',
  role: 'admin',
  districts: [],
  scopes: ['city'],
};

describe('用户管理', () => {
  it('lists users by name with their role, departments and districts in Chinese, never ids', async () => {
    mockApi({
      'GET /api/v1/admin/users': {
        users: [staff, admin, { ...staff, user_id: 'u-2', phone: '13900000009', name: '停用者', disabled: true }],
      },
    });
    render(<UsersPage geo={geo} />);
    const rows = await screen.findAllByTestId('console-user');
    expect(rows.map((r) => r.dataset.phone)).toEqual(['13800000000', '13900000001', '13900000009']);
    const s = rows[1] as HTMLElement;
    expect(s.textContent).toContain('部门专干');
    expect(s.textContent).toContain('安全监管、经费预算');
    expect(within(s).getByTestId('console-user-districts').textContent).toBe('东城区');
    expect(rows[0]?.textContent).toContain('全市');
    expect(rows[2]?.textContent).toContain('已停用');
    expect(within(rows[2] as HTMLElement).getByTestId('console-user-toggle').textContent).toBe('启用');
    for (const r of rows) expect(r.textContent).not.toMatch(/seed-|u-2|\bd1\b|safety/);
  });

  it('searches by name or phone', async () => {
    mockApi({ 'GET /api/v1/admin/users': { users: [staff, admin] } });
    render(<UsersPage geo={geo} />);
    await screen.findAllByTestId('console-user');
    fireEvent.change(screen.getByTestId('console-users-search'), { target: { value: '管理' } });
    expect(screen.getAllByTestId('console-user').map((r) => r.dataset.phone)).toEqual(['13800000000']);
    fireEvent.change(screen.getByTestId('console-users-search'), { target: { value: '1390000' } });
    expect(screen.getAllByTestId('console-user').map((r) => r.dataset.phone)).toEqual(['13900000001']);
  });

  it("changes a staff member's districts, and says so; a refusal shows the code's Chinese", async () => {
    let users = [staff];
    const calls = mockApi({
      'GET /api/v1/admin/users': () => ({ status: 200, body: { users } }),
      'PATCH /api/v1/admin/users/seed-staff-d1': (c) => {
        users = [{ ...staff, ...(c.body as Partial<AdminUser>) }];
        return { status: 200, body: users[0] };
      },
    });
    render(<UsersPage geo={geo} />);
    fireEvent.click(await screen.findByTestId('console-user-edit'));
    const dialog = screen.getByTestId('console-dialog');
    fireEvent.click(dialog.querySelector('input[data-district="d2"]') as HTMLInputElement);
    fireEvent.click(within(dialog).getByTestId('console-user-save'));
    await waitFor(() => expect(screen.getByTestId('console-user-districts').textContent).toBe('东城区、西城区'));
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.body).toMatchObject({ districts: ['d1', 'd2'], dimensions: ['safety', 'budget'], role: 'staff' });
    expect(screen.getByTestId('console-users-message').textContent).toContain('即刻生效');
  });

  it('creates a user; a duplicate phone is refused in Chinese', async () => {
    const calls = mockApi({
      'GET /api/v1/admin/users': { users: [staff] },
      'POST /api/v1/admin/users': reply(409, { error: 'a user with phone 13900000001 exists', code: 'user_exists' }),
    });
    render(<UsersPage geo={geo} />);
    fireEvent.click(await screen.findByTestId('console-user-new'));
    fireEvent.change(screen.getByTestId('console-user-phone'), { target: { value: '13900000001' } });
    fireEvent.change(screen.getByTestId('console-user-name'), { target: { value: '重复' } });
    fireEvent.click(screen.getByTestId('console-user-save'));
    await waitFor(() =>
      expect(screen.getByTestId('console-users-message').textContent).toBe('操作失败：该手机号已有账号'),
    );
    expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({
      phone: '13900000001',
      name: '重复',
      role: 'staff',
    });
    // The form stays open to correct the phone.
    expect(screen.getByTestId('console-dialog')).toBeTruthy();
  });

  it('resets a password after asking, and disables a user', async () => {
    const calls = mockApi({
      'GET /api/v1/admin/users': { users: [staff] },
      'POST /api/v1/admin/users/seed-staff-d1/password-reset': { ...staff, must_change_password: true },
      'PATCH /api/v1/admin/users/seed-staff-d1': { ...staff, disabled: true },
    });
    render(<UsersPage geo={geo} />);
    fireEvent.click(await screen.findByTestId('console-user-reset'));
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    fireEvent.click(screen.getByTestId('console-user-reset-confirm'));
    await waitFor(() => expect(screen.getByTestId('console-users-message').textContent).toContain('重置为 123456'));
    fireEvent.click(screen.getByTestId('console-user-toggle'));
    await waitFor(() => expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ disabled: true }));
  });
});

const entry = (over: Partial<AuditRow>): AuditRow => ({
  ts: '2026-11-28T08:31:05.000Z',
  actor_id: 'seed-admin',
  actor_name: '系统管理员',
  actor_role: 'admin',
  action: 'user_update',
  target: 'seed-staff-d1',
  target_name: '东城区专干',
  ok: true,
  ip: '127.0.0.1',
  ...over,
});

describe('操作日志', () => {
  it('shows who did what in Chinese, refusals included, and filters through the query', async () => {
    const calls = mockApi({
      'GET /api/v1/audit': {
        entries: [
          entry({}),
          entry({
            actor_id: 'seed-staff-d1',
            actor_name: '东城区专干',
            actor_role: 'staff',
            action: 'write_refused',
            target: '/api/v1/admin/users',
            target_name: null,
            ok: false,
          }),
          entry({
            actor_id: '13911112222',
            actor_name: null,
            actor_role: '',
            action: 'login',
            target: '',
            target_name: null,
            ok: false,
          }),
          entry({ action: 'something_new', target_name: null }),
        ],
        actors: [
          { user_id: 'seed-admin', name: '系统管理员', role: 'admin' },
          { user_id: 'seed-staff-d1', name: '东城区专干', role: 'staff' },
        ],
      },
    });
    render(<AuditPage />);
    const rows = await screen.findAllByTestId('console-audit-row');
    expect(rows[0]?.textContent).toContain('2026-11-28 16:31:05');
    expect(rows[0]?.textContent).toContain('修改用户');
    expect(rows[0]?.textContent).toContain('东城区专干');
    expect(rows[1]?.textContent).toContain('越权操作（已拒绝）');
    expect(rows[1]?.textContent).toContain('被拒绝');
    expect(rows[2]?.textContent).toContain('手机号 13911112222');
    expect(rows[3]?.textContent).toContain('其他操作');
    for (const r of rows) expect(r.textContent).not.toMatch(/seed-|\/api\/|something_new|write_refused/);

    fireEvent.change(screen.getByTestId('console-audit-actor'), { target: { value: 'seed-staff-d1' } });
    fireEvent.change(screen.getByTestId('console-audit-outcome'), { target: { value: 'refused' } });
    fireEvent.change(screen.getByTestId('console-audit-from'), { target: { value: '2026-11-01' } });
    await waitFor(() => {
      const q = calls.at(-1)?.search;
      expect([q?.get('actor'), q?.get('outcome'), q?.get('from'), q?.get('to')]).toEqual([
        'seed-staff-d1',
        'refused',
        '2026-11-01',
        null,
      ]);
    });
  });
});
