import { Decoration8 } from '@jiaminghi/data-view-react';
import { useNow } from '../lib/now.ts';
import { serviceNow, type ServiceTime } from '../lib/service-time.ts';
import type { Connection } from '../state/live.ts';

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: '连接中',
  live: '实时',
  disconnected: '已断开',
  refused: '无权限',
};

export function Header({
  connection,
  userName,
  onLogout,
  serviceTime,
  consoleHref,
  replay = false,
}: {
  connection: Connection;
  userName: string;
  /** Absent on a paired wall display: it has no session to end (an administrator revokes it). */
  onLogout?: () => void;
  serviceTime?: ServiceTime;
  /** The desk console's address, for users who have one (the manual's 右上角 图表). */
  consoleHref?: string;
  /** Replaying a past moment (回放): the figures are not live, whatever the socket is. */
  replay?: boolean;
}) {
  const tick = useNow(1000);
  const now = serviceNow(serviceTime, tick);
  const clock = new Date(now).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  return (
    <header className="header">
      <Decoration8 style={{ width: 560, height: 60 }} />
      <div className="header-center">
        <h1>课后服务智慧监管指挥中心</h1>
        {/* A still rule, not DataV's animated Decoration5: an endless SVG animation repaints all day. */}
        <div className="header-rule" />
      </div>
      <Decoration8 reverse style={{ width: 560, height: 60 }} />
      <div className="header-left">
        <span className={`conn conn-${replay ? 'replay' : connection}`} data-testid="connection">
          ● {replay ? '回放' : CONNECTION_TEXT[connection]}
        </span>
      </div>
      <div className="header-right">
        <span className="clock">{clock}</span>
        {consoleHref && (
          <a className="link console-entry" href={consoleHref} data-testid="wall-console">
            图表
          </a>
        )}
        <span className="user">{userName}</span>
        {onLogout && (
          <button className="link" onClick={onLogout}>
            退出
          </button>
        )}
      </div>
    </header>
  );
}
