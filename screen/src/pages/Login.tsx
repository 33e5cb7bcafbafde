import { useState, type FormEvent } from 'react';
import { ApiFailure } from '../api/client.ts';
import { reasonText } from '../lib/errors.ts';
import { DISPLAY_ENDED_TEXT, useSession } from '../state/session.ts';

// Where the login form says it better than the shared table (lib/errors.ts), by code.
const REASONS: Record<string, string> = {
  throttled: '登录失败次数过多，请稍后再试',
  bad_request: '请输入正确的手机号和密码',
};

/** Login by phone number and password (manual ch. 3). */
export function Login() {
  const login = useSession((s) => s.login);
  const ended = useSession((s) => s.ended);
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(phone.trim(), password);
    } catch (err) {
      setError(err instanceof ApiFailure ? (REASONS[err.code] ?? reasonText(err.code, err.status)) : '无法连接服务器');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="login" onSubmit={(e) => void submit(e)}>
      <h1>课后服务智慧监管指挥中心</h1>
      <input
        data-testid="login-phone"
        placeholder="手机号"
        autoComplete="username"
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
      />
      <input
        data-testid="login-password"
        type="password"
        placeholder="密码"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {ended && ended !== DISPLAY_ENDED_TEXT && !error && (
        <div className="ended" data-testid="login-ended">
          {ended}
        </div>
      )}
      {error && (
        <div className="error" data-testid="login-error">
          {error}
        </div>
      )}
      <button data-testid="login-submit" className="primary" disabled={busy || !phone || !password}>
        {busy ? '登录中…' : '登录'}
      </button>
    </form>
  );
}

/** The initial password (123456) must be changed at first login. */
export function ChangePassword() {
  const change = useSession((s) => s.changePassword);
  const logout = useSession((s) => s.logout);
  const [old, setOld] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== again) return setError('两次输入的新密码不一致');
    try {
      await change(old, next);
    } catch (err) {
      setError(err instanceof ApiFailure ? reasonText(err.code, err.status, err.body) : '无法连接服务器');
    }
  };
  return (
    <form className="login" onSubmit={(e) => void submit(e)}>
      <h1>首次登录，请修改初始密码</h1>
      <input
        data-testid="password-old"
        type="password"
        placeholder="原密码"
        value={old}
        onChange={(e) => setOld(e.target.value)}
      />
      <input
        data-testid="password-new"
        type="password"
        placeholder="新密码（8位以上，含字母和数字）"
        value={next}
        onChange={(e) => setNext(e.target.value)}
      />
      <input
        data-testid="password-again"
        type="password"
        placeholder="再次输入新密码"
        value={again}
        onChange={(e) => setAgain(e.target.value)}
      />
      {error && <div className="error">{error}</div>}
      <button data-testid="password-submit" className="primary">
        修改密码
      </button>
      <button type="button" className="link" onClick={logout}>
        退出
      </button>
    </form>
  );
}
