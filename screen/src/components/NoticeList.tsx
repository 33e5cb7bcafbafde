import { countNotices, wallNoticeOrder } from '@edu/analytics/loop';
import type { Notice } from '../api/types.ts';
import { countdown } from '../lib/format.ts';
import { useNow } from '../lib/now.ts';
import { serviceNow, type ServiceTime } from '../lib/service-time.ts';

/** The 督办 loop's states as the wall and the console name them. */
export const NOTICE_STATE_LABEL: Record<Notice['state'], string> = {
  issued: '待签收',
  received: '已签收',
  submitted: '待审核',
  returned: '退回重改',
  closed: '已销号',
};

/**
 * The wall's 督办事项 panel: the loop at a glance — notices per state (销号 of the day), overdue
 * ones first with their countdown, and each notice's state as it moves (pushed live). Time is the
 * service's (on the embedded default, the simulated city's), like the header clock.
 */
export function NoticeList({
  notices,
  names,
  serviceTime,
}: {
  notices: Notice[];
  names: (schoolId: string) => string;
  serviceTime?: ServiceTime;
}) {
  const tick = useNow(30_000);
  const now = serviceNow(serviceTime, tick);
  const counts = countNotices(notices);
  const open = notices
    .filter((n) => n.state !== 'closed')
    .sort(wallNoticeOrder)
    .slice(0, 30);
  return (
    <div className="notice-panel">
      <div className="notice-counts" data-testid="notice-counts">
        {(['issued', 'received', 'submitted', 'returned', 'closed'] as const).map((s) => (
          <span key={s} className={`notice-count state-${s}`} data-state={s}>
            {s === 'closed' ? '今日销号' : NOTICE_STATE_LABEL[s]} <b>{counts[s]}</b>
          </span>
        ))}
        {/* Red only when something is overdue: a red 0 across the room reads as an alarm. */}
        <span className={`notice-count state-overdue${counts.overdue > 0 ? ' some' : ''}`} data-state="overdue">
          超期 <b>{counts.overdue}</b>
        </span>
      </div>
      {open.length === 0 ? (
        <div className="no-data">暂无督办事项</div>
      ) : (
        <ul className="notices">
          {open.map((n) => {
            const c = countdown(n.deadline, now);
            return (
              <li
                key={n.notice_id}
                className={n.overdue ? 'notice overdue' : 'notice'}
                data-testid="notice-item"
                data-notice={n.notice_id}
                data-state={n.state}
              >
                <span className="notice-target">{n.target_name || n.school_name || names(n.target_id)}</span>
                <span className="notice-content">{n.content}</span>
                <span className={`notice-state state-${n.state}`}>{NOTICE_STATE_LABEL[n.state]}</span>
                {/* The server's flag decides overdue; the countdown only words it. */}
                <span className="notice-deadline">
                  {n.overdue && !c.overdue ? '已超期' : !n.overdue && c.overdue ? '即将超期' : c.text}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
