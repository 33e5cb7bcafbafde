import { lateDataMinutes } from '@edu/analytics/late';
import type { Snapshot } from '@edu/analytics/live';
import { pushesStopped, useNow } from '../lib/now.ts';
import { serviceNow, type ServiceTime } from '../lib/service-time.ts';

/**
 * Late data: pushes arrive, but their newest event is minutes old while classes run
 * (lateDataMinutes). The due-so-far rates then read low, and the alert rules wait for the data
 * (alertsJudgedAt): said in amber under the header, so that a red city is not read as a crisis.
 */
export function LateDataBanner({
  overview,
  serviceTime,
  since,
  active,
}: {
  overview: Snapshot['overview'] | null | undefined;
  serviceTime: ServiceTime | undefined;
  /** When the last push arrived: with none for a while, StaleBanner speaks instead (same place). */
  since: number;
  active: boolean;
}) {
  const now = useNow(5000);
  const pushed = since > 0 && !pushesStopped(since, now);
  const minutes = active && pushed && overview ? lateDataMinutes(overview, serviceNow(serviceTime, now)) : null;
  if (minutes === null) return null;
  return (
    <div className="banner banner-stale" role="status" data-testid="late-banner">
      接入数据延迟 {minutes} 分钟：比率可能偏低，未签到、未签退等预警待数据到齐后判断
    </div>
  );
}
