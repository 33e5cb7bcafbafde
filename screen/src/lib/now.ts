import { WALL_STALE_AFTER_MS } from '@edu/analytics/live';
import { useEffect, useState } from 'react';

/**
 * The browser's clock, re-read every `everyMs`: a component that shows an age or a clock holds
 * its own tick, so the re-render stays inside it (never the charts around it, which would
 * restart their animations on new options).
 */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

/**
 * Pushes have stopped: the last one (or, with none yet, the start of the wait) is more than
 * WALL_STALE_AFTER_MS before `now`. One rule for both banners: StaleBanner speaks while it
 * holds, LateDataBanner only while it does not.
 */
export const pushesStopped = (lastPushAt: number, now: number): boolean => now - lastPushAt > WALL_STALE_AFTER_MS;
