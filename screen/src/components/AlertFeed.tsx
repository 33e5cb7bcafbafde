import type { Alert } from '../api/types.ts';

const SEVERITY: Record<Alert['severity'], string> = { critical: '紧急', warning: '警告', info: '提示' };
const STATE: Record<Alert['state'], string> = {
  open: '待处理',
  acknowledged: '已确认',
  notice_issued: '已下发督办',
  resolved: '已解除',
};
const ORDER: Record<Alert['severity'], number> = { critical: 0, warning: 1, info: 2 };

/** Active alerts by severity, newest first; a click opens 一键监管 for it. */
export function AlertFeed({ alerts, onPick }: { alerts: Alert[]; onPick: (a: Alert) => void }) {
  const active = alerts
    .filter((a) => a.state !== 'resolved')
    .sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || (a.opened_at < b.opened_at ? 1 : -1))
    .slice(0, 50);
  if (active.length === 0) return <div className="no-data">当前无预警</div>;
  return (
    <ul className="alerts">
      {active.map((a) => (
        <li
          key={a.id}
          className={`alert sev-${a.severity}`}
          data-testid="alert-item"
          data-alert={a.id}
          data-state={a.state}
          onClick={() => onPick(a)}
        >
          <span className="sev">{SEVERITY[a.severity]}</span>
          <span className="alert-title">
            {a.school_name || a.school_id}：{a.title}
          </span>
          <span className="alert-state">{STATE[a.state]}</span>
          <span className="alert-time">{a.opened_at.slice(11, 16)}</span>
        </li>
      ))}
    </ul>
  );
}
