import { create } from 'zustand';
import { api, setToken, whenUnauthorized } from '../api/client.ts';
import type { LoginResult, PublicUser } from '../api/types.ts';

// Who is signed in. The token lives in sessionStorage: a wall's tab keeps its session across a
// reload, and closing the tab ends it. A paired wall display (issue 12) holds its credential in
// localStorage instead: it outlives the browser's restart and the night, and no person's
// password is ever typed on the wall. A person's session, when there is one, comes first.

const KEY = 'edu.session';
export const DISPLAY_KEY = 'edu.display';

/** Shown on the pairing form when a display's credential stopped working (revoked or re-paired). */
export const DISPLAY_ENDED_TEXT = '本大屏终端的配对已失效（可能已被管理员注销），请输入新的配对码';

interface SessionState {
  token: string | null;
  user: PublicUser | null;
  /** Why the last session ended without the user logging out (shown on the login form). */
  ended: string | null;
  login(phone: string, password: string): Promise<PublicUser>;
  /** Pairs this machine as a wall display with the administrator's code. */
  pair(code: string): Promise<PublicUser>;
  changePassword(oldPassword: string, newPassword: string): Promise<void>;
  logout(): void;
  /** The server ended the session (permissions changed, password reset, expiry): sign in again. */
  expire(): void;
}

export const SESSION_ENDED_TEXT = '登录已失效：账号的权限可能已被管理员调整，或密码已重置，请重新登录';

function restore(): { token: string | null; user: PublicUser | null } {
  try {
    const raw = sessionStorage.getItem(KEY) ?? localStorage.getItem(DISPLAY_KEY);
    if (raw) return JSON.parse(raw) as { token: string; user: PublicUser };
  } catch {
    /* no storage (privacy mode): start signed out */
  }
  return { token: null, user: null };
}

export const useSession = create<SessionState>((set, get) => {
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
    try {
      localStorage.removeItem(DISPLAY_KEY);
    } catch {
      /* no storage */
    }
    set({ token: null, user: null, ended: null });
  };
  const expire = () => {
    const wasDisplay = get().user?.display !== undefined;
    logout();
    set({ ended: wasDisplay ? DISPLAY_ENDED_TEXT : SESSION_ENDED_TEXT });
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
    async pair(code) {
      const r = await api<{ token: string }>('POST', '/api/v1/displays/pair', { code });
      setToken(r.token);
      let user: PublicUser;
      try {
        user = await api<PublicUser>('GET', '/api/v1/me');
      } catch (e) {
        setToken(null);
        throw e;
      }
      localStorage.setItem(DISPLAY_KEY, JSON.stringify({ token: r.token, user }));
      set({ token: r.token, user, ended: null });
      return user;
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
