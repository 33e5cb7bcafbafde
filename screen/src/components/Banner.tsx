import type { Connection } from '../state/live.ts';

/** Shown over the wall while the live connection is down or refused: stale numbers must say so. */
export function Banner({ connection, refusal }: { connection: Connection; refusal: string | null }) {
  if (connection === 'disconnected')
    return (
      <div className="banner" data-testid="disconnected-banner">
        连接中断，正在重连… 画面数据可能已过时
      </div>
    );
  if (connection === 'refused')
    return (
      <div className="banner banner-refused" data-testid="refused-banner">
        {refusal ?? '无权查看该范围'}
      </div>
    );
  return null;
}
