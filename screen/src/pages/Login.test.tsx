import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useSession } from '../state/session.ts';
import { ChangePassword, Login } from './Login.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  useSession.getState().logout();
});

const respond = (status: number, body: unknown) =>
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify(body), { status })),
  );

describe('login', () => {
  it('signs in and keeps the session for the tab', async () => {
    respond(200, {
      token: 't'.repeat(43),
      expires_at: '',
      user: { user_id: 'u', name: '局领导', role: 'leader', must_change_password: true, scopes: ['city'] },
    });
    render(<Login />);
    fireEvent.change(screen.getByTestId('login-phone'), { target: { value: '13800000001' } });
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: '123456' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    await vi.waitFor(() => expect(useSession.getState().user?.name).toBe('局领导'));
    expect(JSON.parse(sessionStorage.getItem('edu.session') ?? '{}').token).toBe('t'.repeat(43));
  });

  it('says why a login failed', async () => {
    respond(429, { error: 'too many', code: 'throttled' });
    render(<Login />);
    fireEvent.change(screen.getByTestId('login-phone'), { target: { value: '13800000001' } });
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'x' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    expect((await screen.findByTestId('login-error')).textContent).toBe('登录失败次数过多，请稍后再试');
    expect(useSession.getState().user).toBeNull();
  });

  it('never shows the server English reason', async () => {
    respond(500, { error: 'internal error', code: 'internal' });
    render(<Login />);
    fireEvent.change(screen.getByTestId('login-phone'), { target: { value: '13800000001' } });
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'x' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    expect((await screen.findByTestId('login-error')).textContent).toBe('服务器内部错误，请稍后再试');
  });

  it('refuses mismatched new passwords before asking the server', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    render(<ChangePassword />);
    fireEvent.change(screen.getByTestId('password-old'), { target: { value: '123456' } });
    fireEvent.change(screen.getByTestId('password-new'), { target: { value: 'Abcdef123' } });
    fireEvent.change(screen.getByTestId('password-again'), { target: { value: 'Abcdef124' } });
    fireEvent.click(screen.getByTestId('password-submit'));
    expect(await screen.findByText('两次输入的新密码不一致')).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();
  });
});
