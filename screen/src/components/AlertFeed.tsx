import { memo, useCallback, useState } from 'react';
import type { AlertGroup } from '@edu/analytics/live';
import type { Alert } from '../api/types.ts';
import './alerts.css';

// The wall's alert panel: one line per alert group (rule × district, or one school's, from the
// server, worst first), with its count; a line expands into its members, and a member (or a
// group of one) opens 一键监管. Every text wraps, and the whole text is the line's tooltip too:
// nothing is cut without a way to read it.

export const SEVERITY: Record<Alert['severity'], string> = { critical: '紧急', warning: '警告', info: '提示' };
const STATE: Record<Alert['state'], string> = {
  open: '待处理',
  acknowledged: '已确认',
  notice_issued: '已下发督办',
  resolved: '已解除',
};
/** Members listed under an expanded line; the console (督办台) has the full list. */
const MAX_MEMBERS = 100;

const hhmm = (iso: string) => iso.slice(11, 16);

/** Alerts on the wall by severity (the groups' members), for the tile's title. */
export function wallCounts(groups: readonly AlertGroup[]): Record<Alert['severity'], number> {
  const c = { critical: 0, warning: 0, info: 0 };
  for (const g of groups) c[g.severity] += g.count;
  return c;
}

const Single = memo(
  function Single({ a, onPick }: { a: Alert; onPick: (a: Alert) => void }) {
    const head = `${a.school_name || '未登记学校'}：${a.title}`;
    return (
      <li
        className={`alert alert-line sev-${a.severity}`}
        data-testid="alert-item"
        data-alert={a.id}
        data-state={a.state}
        title={`${head}\n${a.detail}`}
        onClick={() => onPick(a)}
      >
        <span className="sev">{SEVERITY[a.severity]}</span>
        <span className="alert-text">
          {head}
          <span className="alert-detail">{a.detail}</span>
        </span>
        <span className="alert-state">{STATE[a.state]}</span>
        <span className="alert-time">{hhmm(a.opened_at)}</span>
      </li>
    );
  },
  (x, y) => x.onPick === y.onPick && line(x.a) === line(y.a),
);

/** What a line of one alert (or a member) draws. */
const line = (m: Alert) => `${m.id}|${m.state}|${m.severity}|${m.school_name}|${m.title}|${m.detail}|${m.opened_at}`;

type GroupProps = { g: AlertGroup; open: boolean; onToggle: (key: string) => void; onPick: (a: Alert) => void };

/** What a line draws: its head, and its members' ids and states only while it is open. */
function drawn({ g, open }: GroupProps): string {
  const head = `${g.severity}|${g.text}|${g.count}|${g.latest_at}|${g.opened_at}`;
  if (!open) return head;
  return `${head}|${g.members.slice(0, MAX_MEMBERS).map(line).join('|')}`;
}

// Every update brings new group objects (parsed JSON): a line re-renders only when what it draws
// changed, so an update that adds one alert does not rebuild the whole panel (issue 13's long
// tasks after an update).
const Group = memo(
  function Group({ g, open, onToggle, onPick }: GroupProps) {
    const shown = open ? g.members.slice(0, MAX_MEMBERS) : [];
    return (
      <li className={`alert-group sev-${g.severity}`} data-testid="alert-group" data-group={g.key}>
        <div
          className="alert alert-line alert-head"
          role="button"
          tabIndex={0}
          aria-expanded={open}
          title={g.text}
          onClick={() => onToggle(g.key)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              onToggle(g.key);
            }
          }}
        >
          <span className="sev">{SEVERITY[g.severity]}</span>
          <span className="alert-text">
            <span className="caret" aria-hidden>
              {open ? '▾' : '▸'}
            </span>
            {g.text}
          </span>
          <span className="alert-count" aria-label={`${g.count}项`}>
            {g.count}
          </span>
          <span className="alert-time" title={`最早 ${hhmm(g.opened_at)}，最新 ${hhmm(g.latest_at)}`}>
            {hhmm(g.latest_at)}
          </span>
        </div>
        {/* Members are drawn only while the line is open: at 1,200 schools the folded members
          were 900 hidden DOM nodes, re-rendered on every update. */}
        {open && (
          <ul className="alert-members">
            {shown.map((m) => (
              <li
                key={m.id}
                className={`alert alert-member sev-${m.severity}`}
                data-testid="alert-item"
                data-alert={m.id}
                data-state={m.state}
                title={`${m.school_name || '未登记学校'}：${m.detail}`}
                onClick={() => onPick(m)}
              >
                <span className="alert-text">
                  {m.school_name || '未登记学校'}：{m.detail}
                </span>
                <span className="alert-state">{STATE[m.state]}</span>
                <span className="alert-time">{hhmm(m.opened_at)}</span>
              </li>
            ))}
            {g.count > shown.length && (
              <li className="alert-more">另有{g.count - shown.length}项，请在督办台预警列表中查看</li>
            )}
          </ul>
        )}
      </li>
    );
  },
  (a, b) => a.onPick === b.onPick && a.onToggle === b.onToggle && drawn(a) === drawn(b),
);

/** The wall's alert lines; a click on a member (or on a line of one) opens 一键监管 for it. */
export function AlertFeed({ groups, onPick }: { groups: readonly AlertGroup[]; onPick: (a: Alert) => void }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback(
    (key: string) =>
      setOpen((cur) => {
        const next = new Set(cur);
        if (!next.delete(key)) next.add(key);
        return next;
      }),
    [],
  );
  if (groups.length === 0) return <div className="no-data">当前无预警</div>;
  return (
    <ul className="alerts alert-feed" data-testid="alert-feed">
      {groups.map((g) =>
        g.count === 1 && g.members[0] ? (
          <Single key={g.key} a={g.members[0]} onPick={onPick} />
        ) : (
          <Group key={g.key} g={g} open={open.has(g.key)} onToggle={toggle} onPick={onPick} />
        ),
      )}
    </ul>
  );
}
