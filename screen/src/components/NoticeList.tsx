import { useEffect, useState } from 'react';
import type { Notice } from '../api/types.ts';
import { countdown } from '../lib/format.ts';

/** Open supervision notices with their deadlines counting down; overdue ones in red. */
export function NoticeList({ notices, names }: { notices: Notice[]; names: (schoolId: string) => string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  const open = notices.filter((n) => n.state !== 'closed').slice(0, 30);
  if (open.length === 0) return <div className="no-data">暂无督办事项</div>;
  return (
    <ul className="notices">
      {open.map((n) => {
        const c = countdown(n.deadline, now);
        return (
          <li
            key={n.notice_id}
            className={c.overdue || n.state === 'overdue' ? 'notice overdue' : 'notice'}
            data-testid="notice-item"
          >
            <span className="notice-target">{n.target_name || names(n.target_id)}</span>
            <span className="notice-content">{n.content}</span>
            <span className="notice-deadline">{c.text}</span>
          </li>
        );
      })}
    </ul>
  );
}
