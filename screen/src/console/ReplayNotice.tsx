import type { JSX } from 'react';
import { replayLabel, useReplay } from '../state/replay.ts';
import { PAGE_MOMENT } from './moment.ts';
import type { PageId } from './types.ts';

// The console's replay banner (回放, issue 12): while the console shows a past moment, every
// supervision page says so as unmistakably as the wall (the same words, amber), with 返回实时;
// a page whose figures do not (all) follow the moment says which are as they stand now.

const PARTLY: Record<'some' | 'none', (page: PageId) => string> = {
  some: (page) =>
    page === 'charts'
      ? '仅「上课」图表为该时刻数据，其余图表为当前数据'
      : page === 'process'
        ? '统计为该时刻数据，课表与名单为当前状态'
        : '课堂环节为该时刻数据，其余环节为当前状态',
  none: () => '本页为学期登记数据的当前状态，不随回放时刻变化',
};

export function ReplayNotice({ page, onLive }: { page: PageId; onLive(): void }): JSX.Element | null {
  const active = useReplay((s) => s.active);
  const date = useReplay((s) => s.date);
  const minute = useReplay((s) => s.minute);
  if (!active) return null;
  const follows = PAGE_MOMENT[page];
  return (
    <div className="console-replay" data-testid="console-replay-banner" data-follows={follows}>
      <span className="label">{replayLabel(date, minute)}</span>
      {follows !== 'all' && (
        <span className="partly" data-testid="console-replay-partly">
          {PARTLY[follows](page)}
        </span>
      )}
      <button data-testid="console-replay-exit" onClick={onLive}>
        返回实时
      </button>
    </div>
  );
}
