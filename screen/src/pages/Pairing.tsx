import { useState, type FormEvent } from 'react';
import { ApiFailure } from '../api/client.ts';
import { reasonText } from '../lib/errors.ts';
import { DISPLAY_ENDED_TEXT, useSession } from '../state/session.ts';

// A wall display's pairing (issue 12): the administrator registers the display on 大屏终端 and
// reads out a six-character code; typed here, it pairs this machine for good (the credential is
// kept in localStorage, state/session.ts). Large enough to read across a command centre.

const REASONS: Record<string, string> = {
  throttled: '配对失败次数过多，请稍后再试',
  bad_request: '请输入6位配对码',
};

/** Upper case, no spaces or dashes: what the server compares (auth/displays.ts `normalizeCode`). */
export const cleanCode = (raw: string) => raw.toUpperCase().replace(/[^0-9A-Z]/g, '');

export function Pairing() {
  const pair = useSession((s) => s.pair);
  const ended = useSession((s) => s.ended);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const clean = cleanCode(code);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await pair(clean);
    } catch (err) {
      setError(err instanceof ApiFailure ? (REASONS[err.code] ?? reasonText(err.code, err.status)) : '无法连接服务器');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="pairing" onSubmit={(e) => void submit(e)} data-testid="pairing-form">
      <h2>大屏终端配对</h2>
      <p className="pairing-hint">由系统管理员在「用户管理 · 大屏终端」登记本屏后，输入显示的配对码</p>
      <input
        data-testid="pairing-code"
        className="pairing-code"
        placeholder="配对码"
        aria-label="配对码"
        autoComplete="off"
        spellCheck={false}
        maxLength={9}
        value={code}
        onChange={(e) => setCode(e.target.value.toUpperCase())}
      />
      {ended === DISPLAY_ENDED_TEXT && !error && (
        <div className="ended" data-testid="pairing-ended">
          {ended}
        </div>
      )}
      {error && (
        <div className="error" data-testid="pairing-error">
          {error}
        </div>
      )}
      <button data-testid="pairing-submit" className="primary" disabled={busy || clean.length !== 6}>
        {busy ? '配对中…' : '配对'}
      </button>
    </form>
  );
}
