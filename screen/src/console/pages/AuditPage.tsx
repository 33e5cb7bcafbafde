import { AUDIT_ACTION_LABEL, auditActionLabel } from '@edu/analytics/labels';
import { useMemo, useState, type JSX } from 'react';
import { Section, Status } from '../Section.tsx';
import { useLoad } from '../use-load.ts';
import { ROLE_TEXT } from './UsersPage.tsx';

// 操作日志 (manual §2.1): who did what and when, refusals included, for leaders and
// administrators. Filters: who, which action, done or refused, a range of days (Beijing time).
// A page of PAGE_SIZE entries at a time, cut by the server (limit + offset, with the total),
// so a year of entries is browsed by 上一页 / 下一页 with the filters kept; a new filter starts
// again at the first page.
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
  /** How many entries match the filters in all. */
  total: number;
  offset: number;
  limit: number;
  actors: { user_id: string; name: string; role: string }[];
}

export const PAGE_SIZE = 50;

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

/** The read of one page (0-based) of the entries matching the filter. */
export function auditPath(f: Filter, page: number = 0): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
  q.set('limit', String(PAGE_SIZE));
  q.set('offset', String(page * PAGE_SIZE));
  return `/api/v1/audit?${q.toString()}`;
}

export function AuditPage(): JSX.Element {
  const [filter, setFilter] = useState<Filter>({ actor: '', action: '', outcome: '', from: '', to: '' });
  const [page, setPage] = useState(0);
  const loaded = useLoad<AuditAnswer>(auditPath(filter, page));
  // The actor list survives a reload with a filter that matches nobody.
  const [actors, setActors] = useState<AuditAnswer['actors']>([]);
  if (loaded.data && loaded.data.actors.length !== actors.length) setActors(loaded.data.actors);
  const set = (k: keyof Filter) => (e: { target: { value: string } }) => {
    setFilter({ ...filter, [k]: e.target.value });
    setPage(0);
  };
  const total = loaded.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
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
      <div className="pager" data-testid="console-audit-pager">
        <button
          className="small"
          data-testid="console-audit-prev"
          disabled={page === 0 || loaded.loading}
          onClick={() => setPage(page - 1)}
        >
          上一页
        </button>
        <span className="muted" data-testid="console-audit-page">
          第 {page + 1} 页 / 共 {total} 条
        </span>
        <button
          className="small"
          data-testid="console-audit-next"
          disabled={page + 1 >= pages || loaded.loading}
          onClick={() => setPage(page + 1)}
        >
          下一页
        </button>
      </div>
    </Section>
  );
}
