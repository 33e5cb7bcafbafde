// How numbers read on the wall. "No data" (null) is never shown as 0: it has its own text
// and its own style (`isNoData`), so a leader cannot mistake a silent school for an empty one.

export const NO_DATA = '暂无数据';

export const isNoData = (v: number | null | undefined): v is null | undefined =>
  v === null || v === undefined || Number.isNaN(v);

/** A rate 0…1 as a percentage with one decimal: 0.6667 → "66.7%". */
export function pct(v: number | null | undefined): string {
  return isNoData(v) ? NO_DATA : `${(v * 100).toFixed(1)}%`;
}

/** An amount in fen (the contract's unit) as yuan; 万元 from ten thousand yuan. */
export function money(fen: number | null | undefined): string {
  if (isNoData(fen)) return NO_DATA;
  const yuan = fen / 100;
  if (Math.abs(yuan) >= 10_000) return `${(yuan / 10_000).toFixed(2)}万元`;
  return `${yuan.toFixed(yuan % 1 === 0 ? 0 : 2)}元`;
}

export function count(v: number | null | undefined): string {
  return isNoData(v) ? NO_DATA : v.toLocaleString('zh-CN');
}

/** How old a piece of data is, for the freshness marks: "12秒前", "3分钟前". */
export function age(fromIso: string | null | undefined, now: number): string {
  if (!fromIso) return NO_DATA;
  const s = Math.max(0, Math.round((now - Date.parse(fromIso)) / 1000));
  if (s < 60) return `${s}秒前`;
  if (s < 3600) return `${Math.floor(s / 60)}分钟前`;
  if (s < 86_400) return `${Math.floor(s / 3600)}小时前`;
  return `${Math.floor(s / 86_400)}天前`;
}

/** Time left until a deadline: "剩余 5小时12分" or "已超期 2小时". */
export function countdown(deadlineIso: string | null, now: number): { text: string; overdue: boolean } {
  if (!deadlineIso) return { text: '无期限', overdue: false };
  const ms = Date.parse(deadlineIso) - now;
  const m = Math.floor(Math.abs(ms) / 60_000);
  const hm = m >= 60 ? `${Math.floor(m / 60)}小时${m % 60}分` : `${m}分钟`;
  return ms >= 0 ? { text: `剩余 ${hm}`, overdue: false } : { text: `已超期 ${hm}`, overdue: true };
}

/** HH:MM of a minute of the day (the attendance curve's axis). */
export const minuteLabel = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
