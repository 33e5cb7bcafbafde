import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../app.tsx';
import { DISPLAY_ENDED_TEXT, DISPLAY_KEY, useSession } from '../state/session.ts';
import { cleanCode, Pairing } from './Pairing.tsx';

// The wall's pairing form (issue 12): beside the login on the wall's address, a code typed
// (any case, with a space) pairs the machine as a display; the credential is kept in
// localStorage (it outlives the tab); refusals are said in Chinese by their codes.

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  useSession.getState().logout();
});

const DISPLAY_USER = {
  user_id: 'display:dsp-1',
  phone: '',
  name: '指挥中心一号屏',
  role: 'leader',
  dimensions: [],
  districts: ['d1'],
  scopes: ['district:d1'],
  must_change_password: false,
  display: { display_id: 'dsp-1', scope: 'district:d1', rotate: true, sound: false },
};

describe('pairing a wall display', () => {
  it('is offered beside the login on the wall, not on the console', () => {
    render(<App />);
    expect(screen.getByTestId('login-phone')).toBeTruthy();
    expect(screen.getByTestId('pairing-code')).toBeTruthy();
    cleanup();
    window.location.hash = '#/console';
    render(<App />);
    expect(screen.queryByTestId('pairing-code')).toBeNull();
    window.location.hash = '';
  });

  it('pairs with the code and keeps the credential across restarts of the browser', async () => {
    const calls: { method: string; url: string; body: unknown; auth: string | null }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        const headers = (init.headers ?? {}) as Record<string, string>;
        calls.push({
          method: init.method ?? 'GET',
          url,
          body: init.body ? JSON.parse(String(init.body)) : null,
          auth: headers.authorization ?? null,
        });
        if (url.endsWith('/displays/pair'))
          return new Response(JSON.stringify({ token: 'edu_dsp_' + 'x'.repeat(43), display: {} }), { status: 200 });
        return new Response(JSON.stringify(DISPLAY_USER), { status: 200 });
      }),
    );
    render(<Pairing />);
    const submit = screen.getByTestId('pairing-submit') as HTMLButtonElement;
    fireEvent.change(screen.getByTestId('pairing-code'), { target: { value: 'ab3' } });
    expect(submit.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('pairing-code'), { target: { value: 'ab3 k7q' } });
    expect(submit.disabled).toBe(false);
    fireEvent.click(submit);
    await vi.waitFor(() => expect(useSession.getState().user?.display?.scope).toBe('district:d1'));
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/v1/displays/pair', body: { code: 'AB3K7Q' } });
    expect(calls[1]).toMatchObject({ method: 'GET', url: '/api/v1/me', auth: `Bearer edu_dsp_${'x'.repeat(43)}` });
    const kept = JSON.parse(localStorage.getItem(DISPLAY_KEY) ?? '{}') as { token?: string };
    expect(kept.token).toBe('edu_dsp_' + 'x'.repeat(43));
    expect(sessionStorage.getItem('edu.session')).toBeNull();
    // A revoked credential: back to the pairing form, which says why; the credential is gone.
    useSession.getState().expire();
    expect(localStorage.getItem(DISPLAY_KEY)).toBeNull();
    expect(useSession.getState().ended).toBe(DISPLAY_ENDED_TEXT);
    expect((await screen.findByTestId('pairing-ended')).textContent).toBe(DISPLAY_ENDED_TEXT);
  });

  it('says why a code was refused, in Chinese', async () => {
    for (const [status, code, text] of [
      [401, 'pairing_code_wrong', '配对码不正确，请核对后重新输入'],
      [410, 'pairing_code_expired', '配对码已过期，请联系系统管理员重新生成'],
      [409, 'pairing_code_used', '该配对码已使用过，请联系系统管理员重新生成'],
      [429, 'throttled', '配对失败次数过多，请稍后再试'],
    ] as const) {
      vi.stubGlobal(
        'fetch',
        vi.fn(async () => new Response(JSON.stringify({ error: 'x', code }), { status })),
      );
      render(<Pairing />);
      fireEvent.change(screen.getByTestId('pairing-code'), { target: { value: 'ZZZZZZ' } });
      fireEvent.click(screen.getByTestId('pairing-submit'));
      expect((await screen.findByTestId('pairing-error')).textContent).toBe(text);
      expect(useSession.getState().user).toBeNull();
      // A refused code is not a session that ended: the login beside it says nothing.
      expect(useSession.getState().ended).toBeNull();
      cleanup();
    }
  });

  it('reads a code as the server does', () => {
    expect(cleanCode(' ab-3k 7q ')).toBe('AB3K7Q');
  });
});
