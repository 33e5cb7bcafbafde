import { ScrollRankingBoard } from '@jiaminghi/data-view-react';
import { useEffect, useMemo, useState } from 'react';
import type { PushedSnapshot } from '../api/types.ts';
import { dueEmptyText, dueMoment } from '../lib/due.ts';
import { escapeHtml } from '../lib/escape.ts';
import { money, pct } from '../lib/format.ts';

// Top-10 and bottom-10 schools of the scope by three metrics, one tab at a time (rotating
// when idle). A school with an open supervision notice carries a 督办 badge. Attendance is
// ranked by the rate due so far (the server's RANK_BY), so during the day its tab says as of when.

type Metric = keyof PushedSnapshot['rankings'];
const TABS: { metric: Metric; label: string }[] = [
  { metric: 'attendance_rate', label: '出勤率' },
  { metric: 'enrollment_rate', label: '报名率' },
  { metric: 'settled_amount', label: '结算经费' },
];

export function Rankings({
  snapshot,
  rotate,
  onPick,
}: {
  snapshot: PushedSnapshot;
  rotate: boolean;
  onPick: (scope: string) => void;
}) {
  const [tab, setTab] = useState(0);
  useEffect(() => {
    if (!rotate) return;
    const t = setInterval(() => setTab((i) => (i + 1) % TABS.length), 15_000);
    return () => clearInterval(t);
  }, [rotate]);
  const { metric } = TABS[tab] as (typeof TABS)[number];
  const moment = dueMoment(snapshot.overview.date, snapshot.overview.due?.at);
  const tabLabel = (t: (typeof TABS)[number]) =>
    t.metric === 'attendance_rate' && moment.kind === 'live' ? `${t.label}（截至 ${moment.hhmm}）` : t.label;
  // Before the first class is due no school has an attendance rate: say so, not 暂无数据.
  const empty =
    metric === 'attendance_rate' && moment.kind !== 'over' && snapshot.overview.due
      ? dueEmptyText('attendance_rate', snapshot.overview.due, snapshot.overview.metrics)
      : '暂无数据';
  const noticed = useMemo(
    () =>
      new Set(
        snapshot.notices.filter((n) => n.target_type === 'school' && n.state !== 'closed').map((n) => n.target_id),
      ),
    [snapshot.notices],
  );
  const fmt = (v: number) => (metric === 'settled_amount' ? money(v) : pct(v));
  const top = snapshot.rankings[metric].top;
  const bottom = snapshot.rankings[metric].bottom;
  // Board configs change only with their rows: a new config restarts the board's scrolling.
  const configs = useMemo(() => ({ top: board('top'), bottom: board('bottom') }), [metric, top, bottom, noticed]);
  function board(order: 'top' | 'bottom') {
    const rows = snapshot.rankings[metric][order];
    return {
      rowNum: 5,
      waitTime: 3000,
      sort: false,
      data: rows.map((r) => ({
        // DataV writes its own rank as "No.1"; ours, a plain number, goes in front of the name.
        name: `<span class="rank-no">${r.rank}</span>${escapeHtml(r.name || '未登记学校')}${noticed.has(r.school_id) ? ' <span class="badge">督办</span>' : ''}`,
        value: r.value,
      })),
      valueFormatter: (item: { value: number }) => fmt(item.value),
    };
  }
  return (
    <div className="rankings">
      <div className="tabs">
        {TABS.map((t, i) => (
          <button
            key={t.metric}
            className={i === tab ? 'tab active' : 'tab'}
            data-testid={`rank-tab-${t.metric}`}
            onClick={() => setTab(i)}
          >
            {tabLabel(t)}
          </button>
        ))}
      </div>
      <div className="boards">
        {(['top', 'bottom'] as const).map((order) => (
          <div className="board" key={order}>
            <div className="board-title">{order === 'top' ? '前十' : '后十'}</div>
            {(order === 'top' ? top : bottom).length === 0 ? (
              <div className="no-data">{empty}</div>
            ) : (
              <ScrollRankingBoard
                key={`${metric}-${order}`}
                config={configs[order]}
                style={{ width: '100%', height: 230 }}
              />
            )}
            {/* The same rows as plain, clickable, test-visible elements (the board is canvas-like HTML). */}
            <ul className="rank-index">
              {(order === 'top' ? top : bottom).map((r) => (
                <li
                  key={r.school_id}
                  data-testid="ranking-row"
                  data-school={r.school_id}
                  data-noticed={noticed.has(r.school_id) ? '1' : '0'}
                  onClick={() => onPick(`school:${r.school_id}`)}
                >
                  {r.rank}. {r.name} {fmt(r.value)}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </div>
  );
}
