import { useState, type JSX } from 'react';
import { api } from '../../api/client.ts';
import type { Geo } from '../../api/types.ts';
import { failureText } from '../reasons.ts';
import { Section, Status } from '../Section.tsx';
import { useLoad } from '../use-load.ts';
import { Modal } from './SourceKeysPage.tsx';

// 大屏终端 (issue 12), beside the users on the administrators' page: every wall display with
// its name, pinned scope (by name), last seen, the screen build it runs and its state. Register
// one (its pairing code is shown big, to be read out to whoever stands at the wall), give it a
// new code, revoke it (its wall returns to the pairing form at once).

const PATH = '/api/v1/admin/displays';

export interface AdminDisplay {
  display_id: string;
  name: string;
  scope: string;
  scope_name: string;
  rotate: boolean;
  sound: boolean;
  state: 'pending' | 'paired' | 'revoked';
  last_seen_at: string | null;
  build: string | null;
}

const STATE_TEXT: Record<AdminDisplay['state'], [string, string]> = {
  pending: ['待配对', 'pending'],
  paired: ['已配对', 'approved'],
  revoked: ['已注销', 'rejected'],
};

const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '从未连接';

interface Code {
  name: string;
  code: string;
  expires_at: string;
}

export function DisplaysSection({ geo }: { geo: Geo | null }): JSX.Element {
  const list = useLoad<{ displays: AdminDisplay[] }>(PATH);
  const [registering, setRegistering] = useState(false);
  const [code, setCode] = useState<Code | null>(null);
  const [revoking, setRevoking] = useState<AdminDisplay | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const act = async (write: () => Promise<void>) => {
    setMessage(null);
    try {
      await write();
      list.reload();
      return true;
    } catch (e) {
      setMessage({ ok: false, text: `操作失败：${failureText(e)}` });
      return false;
    }
  };
  const newCode = (d: AdminDisplay) =>
    void act(async () => {
      const r = await api<{ code: string; expires_at: string }>(
        'POST',
        `${PATH}/${encodeURIComponent(d.display_id)}/code`,
      );
      setCode({ name: d.name, ...r });
    });

  return (
    <>
      <Section
        title="大屏终端"
        testId="console-displays"
        extra={
          <button data-testid="console-display-new" onClick={() => setRegistering(true)}>
            登记大屏
          </button>
        }
      >
        <Status loaded={list} />
        {message && (
          <div className={`note${message.ok ? '' : ' error'}`} data-testid="console-displays-message">
            {message.text}
          </div>
        )}
        {list.data && (
          <table className="console-table">
            <thead>
              <tr>
                <th>名称</th>
                <th>展示范围</th>
                <th>轮播 / 声音</th>
                <th>最近在线</th>
                <th>运行版本</th>
                <th>状态</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {list.data.displays.length === 0 && (
                <tr>
                  <td className="no-data" colSpan={7}>
                    尚未登记大屏终端
                  </td>
                </tr>
              )}
              {list.data.displays.map((d) => (
                <tr key={d.display_id} data-testid="console-display" data-state={d.state}>
                  <td className="name">{d.name}</td>
                  <td data-testid="console-display-scope">{d.scope_name || '未登记的范围'}</td>
                  <td>
                    {d.rotate ? '轮播' : '固定'} / {d.sound ? '有声' : '静音'}
                  </td>
                  <td>{when(d.last_seen_at)}</td>
                  <td data-testid="console-display-build">{d.build ?? '—'}</td>
                  <td>
                    <span className={`state ${STATE_TEXT[d.state][1]}`}>{STATE_TEXT[d.state][0]}</span>
                  </td>
                  <td className="ops">
                    {d.state !== 'revoked' && (
                      <>
                        <button className="small" data-testid="console-display-code" onClick={() => newCode(d)}>
                          新配对码
                        </button>
                        <button className="small" data-testid="console-display-revoke" onClick={() => setRevoking(d)}>
                          注销
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      {registering && (
        <RegisterForm
          geo={geo}
          onClose={() => setRegistering(false)}
          onSave={(draft) =>
            act(async () => {
              const r = await api<{ code: string; expires_at: string }>('POST', PATH, draft);
              setRegistering(false);
              setCode({ name: draft.name, ...r });
            })
          }
        />
      )}
      {code && (
        <Modal label="配对码" onClose={() => setCode(null)} keepOnBackdrop>
          <h3>「{code.name}」的配对码</h3>
          <div className="display-code" data-testid="console-display-pairing-code">
            {code.code}
          </div>
          <p className="muted">
            在大屏上打开本系统地址，于「大屏终端配对」处输入此码。一次有效，
            {new Date(code.expires_at).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}
            前使用。
          </p>
          <div className="actions">
            <button onClick={() => setCode(null)}>关闭</button>
          </div>
        </Modal>
      )}
      {revoking && (
        <Modal label="注销大屏" onClose={() => setRevoking(null)}>
          <h3>注销「{revoking.name}」？</h3>
          <p className="muted">注销后该大屏立即断开，回到配对页面；如需再用，请重新登记。</p>
          <div className="actions">
            <button
              data-testid="console-display-revoke-confirm"
              onClick={() =>
                void act(async () => {
                  await api('POST', `${PATH}/${encodeURIComponent(revoking.display_id)}/revoke`);
                  setMessage({ ok: true, text: `已注销「${revoking.name}」` });
                  setRevoking(null);
                })
              }
            >
              注销
            </button>
            <button onClick={() => setRevoking(null)}>取消</button>
          </div>
        </Modal>
      )}
    </>
  );
}

interface Draft {
  name: string;
  scope: string;
  rotate: boolean;
  sound: boolean;
}

function RegisterForm({
  geo,
  onClose,
  onSave,
}: {
  geo: Geo | null;
  onClose: () => void;
  onSave: (d: Draft) => Promise<boolean>;
}) {
  const [d, setD] = useState<Draft>({ name: '', scope: 'city', rotate: true, sound: true });
  const [busy, setBusy] = useState(false);
  return (
    <Modal label="登记大屏" onClose={onClose}>
      <h3>登记大屏终端</h3>
      <div className="field">
        <label htmlFor="display-name">名称</label>
        <input
          id="display-name"
          data-testid="console-display-name"
          placeholder="如：指挥中心主屏"
          value={d.name}
          onChange={(e) => setD({ ...d, name: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="display-scope">展示范围</label>
        <select
          id="display-scope"
          data-testid="console-display-scope-pick"
          value={d.scope}
          onChange={(e) => setD({ ...d, scope: e.target.value })}
        >
          <option value="city">全市</option>
          {geo?.districts.map((x) => (
            <option key={x.id} value={`district:${x.id}`}>
              {x.name}
            </option>
          ))}
          {geo?.zones.map((x) => (
            <option key={x.id} value={`zone:${x.id}`}>
              {x.name}
            </option>
          ))}
        </select>
      </div>
      <label className="recipient">
        <input type="checkbox" checked={d.rotate} onChange={() => setD({ ...d, rotate: !d.rotate })} />
        轮播下级辖区
      </label>
      <label className="recipient">
        <input type="checkbox" checked={d.sound} onChange={() => setD({ ...d, sound: !d.sound })} />
        紧急预警提示音
      </label>
      <div className="actions">
        <button
          data-testid="console-display-save"
          disabled={busy || d.name.trim() === ''}
          onClick={() => {
            setBusy(true);
            void onSave({ ...d, name: d.name.trim() }).finally(() => setBusy(false));
          }}
        >
          登记并生成配对码
        </button>
        <button onClick={onClose}>取消</button>
      </div>
    </Modal>
  );
}
