import { WALL_STALE_AFTER_MS } from '@edu/analytics/live';
import { useEffect, useState } from 'react';

/**
 * Stale data (issue 12): a live wall that has had no push for WALL_STALE_AFTER_MS says so, in
 * amber — unmistakable, not an alarm. `since` is when the last push arrived (0: none yet,
 * counted from when the wall started waiting).
 */
export function StaleBanner({ since, active }: { since: number; active: boolean }) {
  const [now, setNow] = useState(() => Date.now());
  const [start] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(t);
  }, []);
  const last = since || start;
  if (!active || now - last <= WALL_STALE_AFTER_MS) return null;
  const minutes = Math.max(1, Math.floor((now - last) / 60_000));
  return (
    <div className="banner banner-stale" role="status" data-testid="stale-banner">
      数据已 {minutes} 分钟未更新，画面显示的可能不是最新情况，正在自动恢复…
    </div>
  );
}
