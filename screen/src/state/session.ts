import { create } from 'zustand';
import { api, setToken, whenUnauthorized } from '../api/client.ts';
import type { LoginResult, PublicUser } from '../api/types.ts';

// Who is signed in. The token lives in sessionStorage: a wall's tab keeps its session across a
// reload, and closing the tab ends it.

const KEY = 'edu.session';

interface SessionState {
  token: string | null;
  user: PublicUser | null;
  /** Why the last session ended without the user logging out (shown on the login form). */
  ended: string | null;
  login(phone: string, password: string): Promise<PublicUser>;
  changePassword(oldPassword: string, newPassword: string): Promise<void>;
  logout(): void;
  /** The server ended the session (permissions changed, password reset, expiry): sign in again. */
  expire(): void;
}

export const SESSION_ENDED_TEXT = '登录已失效：账号的权限可能已被管理员调整，或密码已重置，请重新登录';

function restore(): { token: string | null; user: PublicUser | null } {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw) return JSON.parse(raw) as { token: string; user: PublicUser };
  } catch {
    /* no storage (privacy mode): start signed out */
  }
  return { token: null, user: null };
}

export const useSession = create<SessionState>((set) => {
  const saved = restore();
  setToken(saved.token);
  const keep = (r: LoginResult) => {
    setToken(r.token);
    sessionStorage.setItem(KEY, JSON.stringify({ token: r.token, user: r.user }));
    set({ token: r.token, user: r.user, ended: null });
  };
  const logout = () => {
    setToken(null);
    sessionStorage.removeItem(KEY);
    set({ token: null, user: null, ended: null });
  };
  const expire = () => {
    logout();
    set({ ended: SESSION_ENDED_TEXT });
  };
  whenUnauthorized(expire);
  return {
    ...saved,
    ended: null,
    async login(phone, password) {
      const r = await api<LoginResult>('POST', '/api/v1/auth/login', { phone, password });
      keep(r);
      return r.user;
    },
    async changePassword(oldPassword, newPassword) {
      keep(
        await api<LoginResult>('POST', '/api/v1/auth/password', {
          old_password: oldPassword,
          new_password: newPassword,
        }),
      );
    },
    logout,
    expire,
  };
});
