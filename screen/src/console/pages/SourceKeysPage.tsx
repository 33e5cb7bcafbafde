import { useMemo, useState, type JSX, type ReactNode } from 'react';
import { api, ApiFailure } from '../../api/client.ts';
import type { Geo } from '../../api/types.ts';
import { failureText } from '../reasons.ts';
import { Section, Status } from '../Section.tsx';
import { useLoad } from '../use-load.ts';

// 数据源密钥 (contract v1.1 source keys), for administrators beside the dimension pages: every
// system that posts events to the HTTP intake presents a key bound to the schools it may speak
// for. The list shows names (schools, who issued and revoked), never a key; a new key is shown
// once, with a copy button and a warning, and is stored by the server only as a hash. Revoking
// asks first: ingest refuses the key within seconds (streamer/src/http/routes/source-keys.ts).

export interface SourceKey {
  key_id: string;
  name: string;
  key_hint: string;
  all_schools: boolean;
  schools: { school_id: string; name: string }[];
  created_ms: number;
  created_by: { user_id: string; name: string };
  revoked: boolean;
  revoked_ms: number | null;
  revoked_by: { user_id: string; name: string } | null;
  last_used_ms: number | null;
}

const PATH = '/api/v1/admin/source-keys';

/** A moment as Beijing time, 2026-11-28 16:31. */
const when = (ms: number | null) =>
  ms ? new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '从未使用';

const schoolsText = (k: SourceKey) =>
  k.all_schools ? '全部学校' : k.schools.map((s) => s.name || '未登记的学校').join('、');

function failure(e: unknown): string {
  // A school the registry no longer knows is named by the server's body, never its English text.
  if (e instanceof ApiFailure && Array.isArray(e.body.unknown_schools)) return '所选学校中有未登记的学校，请重新选择';
  return failureText(e);
}

export function SourceKeysPage({ geo }: { geo: Geo | null }): JSX.Element {
  const list = useLoad<{ keys: SourceKey[] }>(PATH);
  const [issued, setIssued] = useState<{ key: string; name: string } | null>(null);
  const [confirm, setConfirm] = useState<SourceKey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const keys = list.data?.keys ?? [];

  const revoke = async (k: SourceKey) => {
    setError(null);
    try {
      await api('POST', `${PATH}/${encodeURIComponent(k.key_id)}/revoke`);
      setConfirm(null);
      list.reload();
    } catch (e) {
      setConfirm(null);
      setError(`撤销失败：${failure(e)}`);
    }
  };

  return (
    <>
      <IssueForm
        geo={geo}
        onIssued={(key, name) => {
          setIssued({ key, name });
          list.reload();
        }}
      />
      <Section title="已签发的数据源密钥" testId="console-source-keys">
        <Status loaded={list} />
        {error && (
          <div className="note error" data-testid="console-error">
            {error}
          </div>
        )}
        {list.data && (
          <table className="console-table">
            <thead>
              <tr>
                <th>名称</th>
                <th>可报送的学校</th>
                <th>密钥开头</th>
                <th>签发人</th>
                <th>签发时间</th>
                <th>最近使用</th>
                <th>状态</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {keys.length === 0 && (
                <tr>
                  <td className="no-data" colSpan={8}>
                    尚未签发密钥
                  </td>
                </tr>
              )}
              {keys.map((k) => (
                <tr key={k.key_id} data-testid="console-source-key" data-revoked={k.revoked}>
                  <td className="name">{k.name}</td>
                  <td title={schoolsText(k)}>{schoolsText(k)}</td>
                  <td>
                    <code>{k.key_hint}…</code>
                  </td>
                  <td>{k.created_by.name}</td>
                  <td>{when(k.created_ms)}</td>
                  <td>{when(k.last_used_ms)}</td>
                  <td>
                    {k.revoked ? (
                      <span className="state rejected" title={`${k.revoked_by?.name ?? ''} ${when(k.revoked_ms)}`}>
                        已撤销
                      </span>
                    ) : (
                      <span className="state approved">有效</span>
                    )}
                  </td>
                  <td className="ops">
                    {!k.revoked && (
                      <button className="small" data-testid="console-source-key-revoke" onClick={() => setConfirm(k)}>
                        撤销
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      {issued && <IssuedKey secret={issued.key} name={issued.name} onClose={() => setIssued(null)} />}
      {confirm && (
        <Modal label="撤销密钥" onClose={() => setConfirm(null)}>
          <h2>撤销密钥</h2>
          <p>
            确定撤销「{confirm.name}」（{schoolsText(confirm)}
            ）的密钥？撤销后数秒内，使用该密钥的系统将无法再报送数据，且不能恢复。
          </p>
          <div className="actions">
            <button data-testid="console-source-key-confirm" onClick={() => void revoke(confirm)}>
              确认撤销
            </button>
            <button onClick={() => setConfirm(null)}>取消</button>
          </div>
        </Modal>
      )}
    </>
  );
}

function IssueForm({ geo, onIssued }: { geo: Geo | null; onIssued: (key: string, name: string) => void }) {
  const [name, setName] = useState('');
  const [all, setAll] = useState(false);
  const [filter, setFilter] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const schools = useMemo(() => {
    const f = filter.trim();
    const list = geo?.schools ?? [];
    return (f ? list.filter((s) => s.name.includes(f) || picked.includes(s.id)) : list).slice(0, 300);
  }, [geo, filter, picked]);
  const ready = name.trim() !== '' && (all || picked.length > 0) && !busy;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ key: string }>('POST', PATH, { name: name.trim(), schools: all ? ['*'] : picked });
      onIssued(r.key, name.trim());
      setName('');
      setPicked([]);
      setAll(false);
    } catch (e) {
      setError(`签发失败：${failure(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title="签发数据源密钥" testId="console-source-key-form">
      <p className="muted">
        学校的闸机、教师端、选课和结算系统通过 HTTP
        报送数据时须出示密钥；每把密钥只能报送所绑定学校的数据，超出范围的数据将被拒收并记入审计日志。
      </p>
      {error && (
        <div className="note error" data-testid="console-error">
          {error}
        </div>
      )}
      <div className="field">
        <label htmlFor="source-key-name">名称</label>
        <input
          id="source-key-name"
          data-testid="console-source-key-name"
          placeholder="例如：某某小学闸机系统"
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="field">
        <label>可报送的学校</label>
        <label className="recipient">
          <input
            type="checkbox"
            data-testid="console-source-key-all"
            checked={all}
            onChange={(e) => setAll(e.target.checked)}
          />
          全部学校（仅限教育局自有系统和模拟器）
        </label>
      </div>
      {!all && (
        <div className="field">
          <label htmlFor="source-key-schools">选择学校</label>
          <div className="source-key-schools">
            <input placeholder="按校名筛选" value={filter} onChange={(e) => setFilter(e.target.value)} />
            <select
              id="source-key-schools"
              data-testid="console-source-key-schools"
              multiple
              size={8}
              value={picked}
              onChange={(e) => setPicked([...e.target.selectedOptions].map((o) => o.value))}
            >
              {schools.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name || '未命名学校'}
                </option>
              ))}
            </select>
            <div className="muted">已选 {picked.length} 所（按住 Ctrl 可多选）</div>
          </div>
        </div>
      )}
      <button data-testid="console-source-key-issue" disabled={!ready} onClick={() => void submit()}>
        签发密钥
      </button>
    </Section>
  );
}

function IssuedKey({ secret, name, onClose }: { secret: string; name: string; onClose: () => void }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = () => {
    // The clipboard API is missing on plain-HTTP pages of another host: the key stays selectable.
    if (!navigator.clipboard) return setCopied(false);
    navigator.clipboard.writeText(secret).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    // Not closed by a click beside it: the key would be lost with it.
    <Modal label="新密钥" onClose={onClose} keepOnBackdrop>
      <h2>「{name}」的密钥</h2>
      <div className="note error" data-testid="console-source-key-warning">
        密钥只显示这一次：关闭后无法再次查看，系统中只保存其摘要。请立即复制，并只交给该系统的管理员。
      </div>
      <pre className="source-key-secret" data-testid="console-source-key-secret">
        {secret}
      </pre>
      <div className="actions">
        <button data-testid="console-source-key-copy" onClick={copy}>
          复制密钥
        </button>
        {copied === true && <span className="muted">已复制</span>}
        {copied === false && <span className="muted">无法自动复制，请手动选中复制</span>}
        <button data-testid="console-source-key-close" onClick={onClose}>
          我已保存，关闭
        </button>
      </div>
    </Modal>
  );
}

export function Modal({
  label,
  onClose,
  keepOnBackdrop = false,
  children,
}: {
  label: string;
  onClose: () => void;
  keepOnBackdrop?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="modal-backdrop console-backdrop" onClick={keepOnBackdrop ? undefined : onClose}>
      <div
        className="modal console-modal"
        role="dialog"
        aria-label={label}
        data-testid="console-dialog"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        {children}
      </div>
    </div>
  );
}
