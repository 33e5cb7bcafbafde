import { useState } from 'react';
import { pushesStopped, useNow } from '../lib/now.ts';

/**
 * Stale data (issue 12): a live wall that has had no push for WALL_STALE_AFTER_MS says so, in
 * amber (pushesStopped) — unmistakable, not an alarm. `since` is when the last push arrived (0: none yet,
 * counted from when the wall started waiting).
 */
export function StaleBanner({ since, active }: { since: number; active: boolean }) {
  const now = useNow(5000);
  const [start] = useState(() => Date.now());
  const last = since || start;
  if (!active || !pushesStopped(last, now)) return null;
  const minutes = Math.max(1, Math.floor((now - last) / 60_000));
  return (
    <div className="banner banner-stale" role="status" data-testid="stale-banner">
      数据已 {minutes} 分钟未更新，画面显示的可能不是最新情况，正在自动恢复…
    </div>
  );
}
