import { create } from 'zustand';
import { api, setToken, whenUnauthorized } from '../api/client.ts';
import type { LoginResult, PublicUser } from '../api/types.ts';

// Who is signed in. The token lives in sessionStorage: a wall's tab keeps its session across a
// reload, and closing the tab ends it.

const KEY = 'edu.session';

interface SessionState {
  token: string | null;
  user: PublicUser | null;
  login(phone: string, password: string): Promise<PublicUser>;
  changePassword(oldPassword: string, newPassword: string): Promise<void>;
  logout(): void;
}

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
    set({ token: r.token, user: r.user });
  };
  const logout = () => {
    setToken(null);
    sessionStorage.removeItem(KEY);
    set({ token: null, user: null });
  };
  whenUnauthorized(logout);
  return {
    ...saved,
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
  };
});
