import { useState, type JSX } from 'react';
import { api } from '../../api/client.ts';
import type { Notice } from '../../api/types.ts';
import { NOTICE_STATE_LABEL } from '../../components/NoticeList.tsx';
import { time } from '../fmt.ts';
import { DIMENSION_LABEL } from '../labels.ts';
import { failureText } from '../reasons.ts';
import { query, scopeKind } from '../route.ts';
import { Section, Status } from '../Section.tsx';
import { useLoad } from '../use-load.ts';
import type { Dimension, PageProps } from '../types.ts';
import type { LoopStep, NoticeCounts, NoticeDetail, UnmatchedRectification } from '@edu/analytics/live';

// 督办 (the loop of 一键监管, contract v1.1): every notice of the scope the user may see, with
// filters (state, dimension, district, overdue); a notice's timeline — issued, received, each
// rectification with its attachments, each decision with who and why — and 销号 / 退回重改 for
// those the server allows (`allowed`). School events whose notice is unknown are listed apart.

const STATES = ['issued', 'received', 'submitted', 'returned', 'closed'] as const;
const STEP_LABEL: Record<LoopStep['kind'], string> = {
  issued: '下发督办',
  received: '学校签收',
  submitted: '整改反馈',
  returned: '退回重改',
  closed: '销号',
};
const NOTE_LABEL: Record<LoopStep['notes'][number], string> = {
  before_notice: '时间早于下发',
  duplicate: '重复提交',
  late: '逾期',
  no_effect: '未改变状态',
};

interface ListAnswer {
  notices: Notice[];
  counts: NoticeCounts;
}
type DetailAnswer = NoticeDetail & { allowed: ('closed' | 'returned')[] };

export function NoticesPage(p: PageProps): JSX.Element {
  const [filters, setFilters] = useState<{ state: string; dimension: string; district: string; overdue: boolean }>({
    state: '',
    dimension: '',
    district: '',
    overdue: false,
  });
  const [picked, setPicked] = useState<string | null>(null);
  const list = useLoad<ListAnswer>(
    `/api/v1/notices${query({
      scope: p.scope,
      state: filters.state,
      dimension: filters.dimension,
      district: filters.district,
      overdue: filters.overdue ? '1' : null,
    })}`,
  );
  const unmatched = useLoad<{ items: UnmatchedRectification[] }>(
    `/api/v1/notices/unmatched${query({ scope: p.scope })}`,
  );
  const districts = scopeKind(p.scope) === 'city' ? p.childScopes : [];
  const counts = list.data?.counts;
  const set = (k: keyof typeof filters, v: string | boolean) => setFilters({ ...filters, [k]: v });

  return (
    <>
      <Section
        title={`督办事项${counts ? `（${STATES.map((s) => `${NOTICE_STATE_LABEL[s]} ${counts[s]}`).join(' · ')} · 超期 ${counts.overdue}）` : ''}`}
        testId="notices-list"
        extra={
          <div className="notice-filters">
            <select
              data-testid="notices-filter-state"
              value={filters.state}
              onChange={(e) => set('state', e.target.value)}
            >
              <option value="">全部状态</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {NOTICE_STATE_LABEL[s]}
                </option>
              ))}
            </select>
            <select
              data-testid="notices-filter-dimension"
              value={filters.dimension}
              onChange={(e) => set('dimension', e.target.value)}
            >
              <option value="">全部维度</option>
              {(Object.keys(DIMENSION_LABEL) as Dimension[]).map((d) => (
                <option key={d} value={d}>
                  {DIMENSION_LABEL[d]}
                </option>
              ))}
            </select>
            {districts.length > 0 && (
              <select
                data-testid="notices-filter-district"
                value={filters.district}
                onChange={(e) => set('district', e.target.value)}
              >
                <option value="">全部辖区</option>
                {districts.map((d) => (
                  <option key={d.scope} value={d.scope.split(':')[1]}>
                    {d.name}
                  </option>
                ))}
              </select>
            )}
            <label>
              <input
                type="checkbox"
                data-testid="notices-filter-overdue"
                checked={filters.overdue}
                onChange={(e) => set('overdue', e.target.checked)}
              />
              仅超期
            </label>
          </div>
        }
      >
        <Status loaded={list} />
        {list.data && (
          <table className="console-table">
            <thead>
              <tr>
                <th>下发时间</th>
                <th>督办对象</th>
                <th>维度</th>
                <th>督办内容</th>
                <th>状态</th>
                <th>整改期限</th>
                <th>反馈次数</th>
              </tr>
            </thead>
            <tbody>
              {list.data.notices.length === 0 && (
                <tr>
                  <td className="no-data" colSpan={7}>
                    暂无督办事项
                  </td>
                </tr>
              )}
              {list.data.notices.map((n) => (
                <tr
                  key={n.notice_id}
                  className={`drillable${n.notice_id === picked ? ' picked' : ''}`}
                  data-testid="notices-item"
                  data-notice={n.notice_id}
                  data-state={n.state}
                  onClick={() => setPicked(n.notice_id)}
                >
                  <td>{time(n.ts)}</td>
                  <td className="name">{n.target_name || n.school_name || '（未登记的对象）'}</td>
                  <td>{DIMENSION_LABEL[n.dimension]}</td>
                  <td className="name">{n.content}</td>
                  <td>{NOTICE_STATE_LABEL[n.state]}</td>
                  <td className={n.overdue ? 'bad' : undefined}>
                    {/* The deadline itself, not a countdown: this PC's clock is not the service's (on
                        the embedded default the city's time is simulated); overdue is the server's. */}
                    {n.deadline ? time(n.deadline) : '无期限'}
                    {n.state !== 'closed' && n.overdue ? '（已超期）' : ''}
                  </td>
                  <td>{n.submissions}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      {picked && (
        <NoticeTimeline
          key={picked}
          id={picked}
          decider={p.decider}
          onDecided={() => {
            list.reload();
          }}
        />
      )}
      {unmatched.data && unmatched.data.items.length > 0 && (
        <Section title="未匹配督办的整改反馈（已保存，待核实）" testId="notices-unmatched">
          <table className="console-table">
            <thead>
              <tr>
                <th>学校</th>
                <th>督办编号</th>
                <th>事件</th>
              </tr>
            </thead>
            <tbody>
              {unmatched.data.items.map((u) => (
                <tr key={u.notice_id} data-testid="notices-unmatched-item">
                  <td className="name">{u.school_name || '（未登记的学校）'}</td>
                  <td>{u.notice_id}</td>
                  <td>
                    {u.steps.map((s) => (
                      <div key={s.event_id}>
                        {time(s.at)} {STEP_LABEL[s.kind]} {s.content}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}
    </>
  );
}

function NoticeTimeline({ id, decider, onDecided }: { id: string; decider: boolean; onDecided: () => void }) {
  const d = useLoad<DetailAnswer>(`/api/v1/notices/${encodeURIComponent(id)}`);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const decide = async (path: 'close' | 'return') => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', `/api/v1/notices/${encodeURIComponent(id)}/${path}`, { content: reason.trim() });
      setReason('');
      d.reload();
      onDecided();
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  };
  const n = d.data?.notice;
  const allowed = decider ? (d.data?.allowed ?? []) : [];
  const who = (s: LoopStep) =>
    s.kind === 'received' || s.kind === 'submitted'
      ? n?.school_name || n?.target_name || '学校'
      : s.by_name || '督办人';
  return (
    <Section title={n ? `督办进程 · ${n.target_name || n.school_name}` : '督办进程'} testId="notice-timeline">
      <Status loaded={d} />
      {n && (
        <div className="notice-head" data-testid="notice-state" data-state={n.state}>
          当前状态：<b>{NOTICE_STATE_LABEL[n.state]}</b>
          {n.overdue && <span className="bad">（已超期）</span>}
          {n.deadline && <span className="muted"> · 期限 {time(n.deadline)}</span>}
        </div>
      )}
      <ol className="timeline">
        {d.data?.steps.map((s) => (
          <li key={s.event_id} className={`step step-${s.kind}`} data-testid="notice-step" data-kind={s.kind}>
            <span className="step-time">{time(s.at)}</span>
            <span className="step-kind">{STEP_LABEL[s.kind]}</span>
            <span className="step-who">{who(s)}</span>
            <span className="step-content">{s.content}</span>
            {s.attachments && s.attachments.length > 0 && (
              <span className="step-files">
                {s.attachments.map((a) => (
                  <a
                    key={a.url}
                    href={/^https?:\/\//.test(a.url) ? a.url : undefined}
                    target="_blank"
                    rel="noopener noreferrer"
                  >
                    {a.name}
                  </a>
                ))}
              </span>
            )}
            {s.notes.map((x) => (
              <span key={x} className="step-note">
                {NOTE_LABEL[x]}
              </span>
            ))}
          </li>
        ))}
      </ol>
      {allowed.length > 0 && (
        <div className="notice-decide">
          <textarea
            data-testid="notice-reason"
            placeholder="意见（退回重改须写明原因）"
            value={reason}
            maxLength={2000}
            onChange={(e) => setReason(e.target.value)}
          />
          {allowed.includes('closed') && (
            <button data-testid="notice-close" disabled={busy} onClick={() => void decide('close')}>
              销号
            </button>
          )}
          {allowed.includes('returned') && (
            <button
              data-testid="notice-return"
              disabled={busy || reason.trim() === ''}
              title={reason.trim() === '' ? '请先填写退回原因' : undefined}
              onClick={() => void decide('return')}
            >
              退回重改
            </button>
          )}
        </div>
      )}
      {error && (
        <div className="note error" data-testid="console-error">
          操作失败：{error}
        </div>
      )}
    </Section>
  );
}
