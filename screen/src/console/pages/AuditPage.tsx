import { AUDIT_ACTION_LABEL, auditActionLabel } from '@edu/analytics/labels';
import { useMemo, useState, type JSX } from 'react';
import { Section, Status } from '../Section.tsx';
import { useLoad } from '../use-load.ts';
import { ROLE_TEXT } from './UsersPage.tsx';

// 操作日志 (manual §2.1): who did what and when, refusals included, for leaders and
// administrators. Filters: who, which action, done or refused, a range of days (Beijing time).
// Actors and the users an action was about are named; actions in Chinese
// (@edu/analytics/labels). A refused read or write shows the refusal, never the server's
// English reason or the address that was tried.

export interface AuditRow {
  ts: string;
  actor_id: string;
  actor_name: string | null;
  actor_role: string;
  action: string;
  target: string;
  target_name: string | null;
  ok: boolean;
  ip: string;
}

interface AuditAnswer {
  entries: AuditRow[];
  actors: { user_id: string; name: string; role: string }[];
}

interface Filter {
  actor: string;
  action: string;
  outcome: '' | 'ok' | 'refused';
  from: string;
  to: string;
}

/** A moment as Beijing time, 2026-11-28 16:31:05. */
const when = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

/** Failed logins name the phone number typed (there is no account to name). */
const actorText = (e: AuditRow) =>
  e.actor_name ?? (/^1\d{10}$/.test(e.actor_id) ? `手机号 ${e.actor_id}` : '未登记账号');

export function auditPath(f: Filter): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
  const s = q.toString();
  return `/api/v1/audit${s ? `?${s}` : ''}`;
}

export function AuditPage(): JSX.Element {
  const [filter, setFilter] = useState<Filter>({ actor: '', action: '', outcome: '', from: '', to: '' });
  const loaded = useLoad<AuditAnswer>(auditPath(filter));
  // The actor list survives a reload with a filter that matches nobody.
  const [actors, setActors] = useState<AuditAnswer['actors']>([]);
  if (loaded.data && loaded.data.actors.length !== actors.length) setActors(loaded.data.actors);
  const set = (k: keyof Filter) => (e: { target: { value: string } }) => setFilter({ ...filter, [k]: e.target.value });
  const actions = useMemo(() => Object.entries(AUDIT_ACTION_LABEL), []);

  return (
    <Section
      title="操作日志"
      testId="console-audit"
      extra={
        <div className="filters" data-testid="console-audit-filters">
          <select data-testid="console-audit-actor" value={filter.actor} onChange={set('actor')}>
            <option value="">全部人员</option>
            {actors.map((a) => (
              <option key={a.user_id} value={a.user_id}>
                {a.name}
              </option>
            ))}
          </select>
          <select data-testid="console-audit-action" value={filter.action} onChange={set('action')}>
            <option value="">全部操作</option>
            {actions.map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
          <select data-testid="console-audit-outcome" value={filter.outcome} onChange={set('outcome')}>
            <option value="">全部结果</option>
            <option value="ok">成功</option>
            <option value="refused">被拒绝</option>
          </select>
          <label>
            从 <input type="date" data-testid="console-audit-from" value={filter.from} onChange={set('from')} />
          </label>
          <label>
            至 <input type="date" data-testid="console-audit-to" value={filter.to} onChange={set('to')} />
          </label>
        </div>
      }
    >
      <Status loaded={loaded} />
      {loaded.data && (
        <table className="console-table">
          <thead>
            <tr>
              <th>时间</th>
              <th>操作人</th>
              <th>角色</th>
              <th>操作</th>
              <th>对象</th>
              <th>结果</th>
              <th>来源地址</th>
            </tr>
          </thead>
          <tbody>
            {loaded.data.entries.length === 0 && (
              <tr>
                <td className="no-data" colSpan={7}>
                  没有符合条件的记录
                </td>
              </tr>
            )}
            {loaded.data.entries.map((e, i) => (
              <tr key={`${e.ts}-${i}`} data-testid="console-audit-row" data-action={e.action} data-ok={e.ok}>
                <td>{when(e.ts)}</td>
                <td>{actorText(e)}</td>
                <td>{ROLE_TEXT[e.actor_role as keyof typeof ROLE_TEXT] ?? '—'}</td>
                <td>{auditActionLabel(e.action)}</td>
                <td>{e.target_name ?? '—'}</td>
                <td>
                  {e.ok ? <span className="state approved">成功</span> : <span className="state rejected">被拒绝</span>}
                </td>
                <td>{e.ip || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="foot muted">显示最近 200 条符合条件的记录。</div>
    </Section>
  );
}
