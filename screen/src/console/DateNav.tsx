import type { JSX } from 'react';

// Week and day navigation for the timetables (一校一表 / 一师一表 / 一生一表, 教师名单) and the
// day views (安全监管). The console's day is `?date=` in the address (a reload or a shared link
// keeps it); null is the server's today. Steps start from what is shown — the Monday or the day
// the server answered — not from the address, so a step always lands on the week or day next to
// the one on screen, and no step is offered before the answer is in.

const DAY_MS = 86_400_000;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** `day` moved by `n` calendar days (YYYY-MM-DD, no time zone involved). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

const WORDS = {
  week: { prev: '上一周', next: '下一周', today: '本周', step: 7 },
  day: { prev: '前一天', next: '后一天', today: '今天', step: 1 },
} as const;

export function DateNav({
  mode,
  date,
  shown,
  onDate,
}: {
  mode: 'week' | 'day';
  /** The day asked for (`?date=`), or null for the server's today. */
  date: string | null;
  /** What is on screen: the week's Monday or the day the server answered; null while loading. */
  shown: string | null;
  onDate(date: string | null): void;
}): JSX.Element {
  const w = WORDS[mode];
  const label = shown ? (mode === 'week' ? `${shown} 至 ${addDays(shown, 6)}` : shown) : '加载中…';
  return (
    <div className="date-nav" data-testid="console-date-nav" data-mode={mode}>
      <button
        className="small"
        data-testid="console-date-prev"
        disabled={!shown}
        onClick={() => shown && onDate(addDays(shown, -w.step))}
      >
        {w.prev}
      </button>
      <span className="shown" data-testid="console-date-shown" data-shown={shown ?? ''}>
        {label}
      </span>
      <button
        className="small"
        data-testid="console-date-next"
        disabled={!shown}
        onClick={() => shown && onDate(addDays(shown, w.step))}
      >
        {w.next}
      </button>
      <button className="small" data-testid="console-date-today" disabled={date === null} onClick={() => onDate(null)}>
        {w.today}
      </button>
      <label>
        {mode === 'week' ? '跳至日期' : '日期'}
        <input
          type="date"
          data-testid="console-date-pick"
          value={date ?? shown ?? ''}
          onChange={(e) => {
            if (DAY_RE.test(e.target.value)) onDate(e.target.value);
          }}
        />
      </label>
    </div>
  );
}
