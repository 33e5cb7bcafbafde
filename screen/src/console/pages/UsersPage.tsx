import { useMemo, useState, type JSX } from 'react';
import { api } from '../../api/client.ts';
import type { Geo, PublicUser } from '../../api/types.ts';
import { DIMENSION_LABEL } from '../labels.ts';
import { failureText } from '../reasons.ts';
import { Section, Status } from '../Section.tsx';
import type { Dimension } from '../types.ts';
import { useLoad } from '../use-load.ts';
import { DisplaysSection } from './DisplaysSection.tsx';
import { Modal } from './SourceKeysPage.tsx';

// 用户管理 (manual §2.1, "权限可以任意配置，修改即刻生效"), for administrators: every account
// with its role, departments (the dimensions a staff member supervises) and districts, by name.
// Create, edit, disable / enable and reset the password (back to 123456, changed at the next
// login). The server applies a change at once: a change of role, departments or districts, a
// disable or a reset ends every session of the user, and their open wall or console returns to
// the login form by itself (live/session-watch.ts); after signing in they see what they may now.

const PATH = '/api/v1/admin/users';
const ROLES = ['staff', 'leader', 'admin'] as const;
type Role = (typeof ROLES)[number];
export const ROLE_TEXT: Record<Role, string> = { leader: '局领导', staff: '部门专干', admin: '系统管理员' };
const DIMENSIONS = Object.keys(DIMENSION_LABEL) as Dimension[];

export type AdminUser = PublicUser;

interface Draft {
  phone: string;
  name: string;
  role: Role;
  dimensions: string[];
  districts: string[];
}

const blank: Draft = { phone: '', name: '', role: 'staff', dimensions: [...DIMENSIONS], districts: [] };

export function UsersPage({ geo }: { geo: Geo | null }): JSX.Element {
  const list = useLoad<{ users: AdminUser[] }>(PATH);
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<AdminUser | 'new' | null>(null);
  const [resetting, setResetting] = useState<AdminUser | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const districtName = useMemo(() => {
    const names = new Map(geo?.districts.map((d) => [d.id, d.name]) ?? []);
    return (id: string) => names.get(id) || '未登记的辖区';
  }, [geo]);

  const users = useMemo(() => {
    const q = query.trim();
    const all = [...(list.data?.users ?? [])].sort(
      (a, b) => ROLES.indexOf(b.role) - ROLES.indexOf(a.role) || a.phone.localeCompare(b.phone),
    );
    return q ? all.filter((u) => u.name.includes(q) || u.phone.includes(q)) : all;
  }, [list.data, query]);

  /** One write, then the list again; the outcome in Chinese above the table. */
  const act = async (write: () => Promise<unknown>, done: string) => {
    setMessage(null);
    try {
      await write();
      setMessage({ ok: true, text: done });
      list.reload();
      return true;
    } catch (e) {
      setMessage({ ok: false, text: `操作失败：${failureText(e)}` });
      return false;
    }
  };

  const toggle = (u: AdminUser) =>
    void act(
      () => api('PATCH', `${PATH}/${encodeURIComponent(u.user_id)}`, { disabled: !u.disabled }),
      u.disabled ? `已启用「${u.name}」` : `已停用「${u.name}」，其登录已立即失效`,
    );

  return (
    <>
      <Section
        title="用户列表"
        testId="console-users"
        extra={
          <>
            <input
              data-testid="console-users-search"
              placeholder="按姓名或手机号查找"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
            <button data-testid="console-user-new" onClick={() => setEditing('new')}>
              新建用户
            </button>
          </>
        }
      >
        <Status loaded={list} />
        {message && (
          <div className={`note${message.ok ? '' : ' error'}`} data-testid="console-users-message">
            {message.text}
          </div>
        )}
        {list.data && (
          <table className="console-table">
            <thead>
              <tr>
                <th>姓名</th>
                <th>手机号</th>
                <th>角色</th>
                <th>负责部门</th>
                <th>辖区</th>
                <th>状态</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {users.length === 0 && (
                <tr>
                  <td className="no-data" colSpan={7}>
                    没有符合条件的用户
                  </td>
                </tr>
              )}
              {users.map((u) => (
                <tr key={u.user_id} data-testid="console-user" data-phone={u.phone} data-disabled={Boolean(u.disabled)}>
                  <td className="name">{u.name}</td>
                  <td>{u.phone}</td>
                  <td>{ROLE_TEXT[u.role]}</td>
                  <td>
                    {u.role === 'staff'
                      ? u.dimensions.map((d) => DIMENSION_LABEL[d as Dimension] ?? '其他').join('、')
                      : '全部'}
                  </td>
                  <td data-testid="console-user-districts">
                    {u.role === 'staff' ? u.districts.map(districtName).join('、') || '未分配' : '全市'}
                  </td>
                  <td>
                    {u.disabled ? (
                      <span className="state rejected">已停用</span>
                    ) : u.must_change_password ? (
                      <span className="state pending">待修改初始密码</span>
                    ) : (
                      <span className="state approved">正常</span>
                    )}
                  </td>
                  <td className="ops">
                    <button className="small" data-testid="console-user-edit" onClick={() => setEditing(u)}>
                      编辑
                    </button>
                    <button className="small" data-testid="console-user-toggle" onClick={() => toggle(u)}>
                      {u.disabled ? '启用' : '停用'}
                    </button>
                    <button className="small" data-testid="console-user-reset" onClick={() => setResetting(u)}>
                      重置密码
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      {/* 大屏终端 (issue 12): the wall displays, administered beside the users. */}
      <DisplaysSection geo={geo} />
      {editing && (
        <UserForm
          geo={geo}
          user={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSave={async (draft) => {
            const ok = await act(
              () =>
                editing === 'new'
                  ? api('POST', PATH, draft)
                  : api('PATCH', `${PATH}/${encodeURIComponent(editing.user_id)}`, {
                      name: draft.name,
                      role: draft.role,
                      dimensions: draft.dimensions,
                      districts: draft.districts,
                    }),
              editing === 'new'
                ? `已新建「${draft.name}」，初始密码 123456，首次登录须修改`
                : `已保存「${draft.name}」，即刻生效`,
            );
            if (ok) setEditing(null);
          }}
        />
      )}
      {resetting && (
        <Modal label="重置密码" onClose={() => setResetting(null)}>
          <h2>重置密码</h2>
          <p>将「{resetting.name}」的密码重置为初始密码 123456？其现有登录立即失效，下次登录时须修改密码。</p>
          <div className="actions">
            <button
              data-testid="console-user-reset-confirm"
              onClick={() => {
                const u = resetting;
                setResetting(null);
                void act(
                  () => api('POST', `${PATH}/${encodeURIComponent(u.user_id)}/password-reset`),
                  `已将「${u.name}」的密码重置为 123456，下次登录须修改`,
                );
              }}
            >
              确认重置
            </button>
            <button onClick={() => setResetting(null)}>取消</button>
          </div>
        </Modal>
      )}
    </>
  );
}

function UserForm({
  geo,
  user,
  onClose,
  onSave,
}: {
  geo: Geo | null;
  user: AdminUser | null;
  onClose: () => void;
  onSave: (d: Draft) => Promise<void>;
}): JSX.Element {
  const [d, setD] = useState<Draft>(() =>
    user
      ? { phone: user.phone, name: user.name, role: user.role, dimensions: user.dimensions, districts: user.districts }
      : blank,
  );
  const [busy, setBusy] = useState(false);
  const flip = (key: 'dimensions' | 'districts', v: string) =>
    setD((x) => ({ ...x, [key]: x[key].includes(v) ? x[key].filter((y) => y !== v) : [...x[key], v] }));
  const ready = d.name.trim() !== '' && /^1\d{10}$/.test(d.phone) && !busy;
  return (
    <Modal label={user ? '编辑用户' : '新建用户'} onClose={onClose}>
      <h2>{user ? `编辑用户「${user.name}」` : '新建用户'}</h2>
      <div className="field">
        <label htmlFor="user-phone">手机号</label>
        <input
          id="user-phone"
          data-testid="console-user-phone"
          disabled={user !== null}
          maxLength={11}
          value={d.phone}
          onChange={(e) => setD({ ...d, phone: e.target.value.trim() })}
        />
      </div>
      <div className="field">
        <label htmlFor="user-name">姓名</label>
        <input
          id="user-name"
          data-testid="console-user-name"
          maxLength={50}
          value={d.name}
          onChange={(e) => setD({ ...d, name: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="user-role">角色</label>
        <select
          id="user-role"
          data-testid="console-user-role"
          value={d.role}
          onChange={(e) => setD({ ...d, role: e.target.value as Role })}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_TEXT[r]}
            </option>
          ))}
        </select>
      </div>
      {d.role === 'staff' ? (
        <>
          <fieldset className="field" data-testid="console-user-dimensions">
            <legend>负责部门（监管维度）</legend>
            {DIMENSIONS.map((dim) => (
              <label key={dim} className="recipient">
                <input type="checkbox" checked={d.dimensions.includes(dim)} onChange={() => flip('dimensions', dim)} />
                {DIMENSION_LABEL[dim]}
              </label>
            ))}
          </fieldset>
          <fieldset className="field" data-testid="console-user-district-picks">
            <legend>辖区</legend>
            {geo?.districts.map((x) => (
              <label key={x.id} className="recipient">
                <input
                  type="checkbox"
                  data-district={x.id}
                  checked={d.districts.includes(x.id)}
                  onChange={() => flip('districts', x.id)}
                />
                {x.name}
              </label>
            ))}
          </fieldset>
        </>
      ) : (
        <p className="muted">局领导和系统管理员可查看全市全部数据。</p>
      )}
      {user && <p className="muted">修改角色、负责部门或辖区后，该用户的现有登录立即失效，重新登录后按新权限显示。</p>}
      <div className="actions">
        <button
          data-testid="console-user-save"
          disabled={!ready}
          onClick={() => {
            setBusy(true);
            void onSave({ ...d, name: d.name.trim() }).finally(() => setBusy(false));
          }}
        >
          保存
        </button>
        <button onClick={onClose}>取消</button>
      </div>
    </Modal>
  );
}
