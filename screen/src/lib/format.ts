// How numbers read on the wall. "No data" (null) is never shown as 0: it has its own text
// and its own style (`isNoData`), so a leader cannot mistake a silent school for an empty one.

export const NO_DATA = '暂无数据';

export const isNoData = (v: number | null | undefined): v is null | undefined =>
  v === null || v === undefined || Number.isNaN(v);

/** A rate 0…1 as a percentage with one decimal: 0.6667 → "66.7%". */
export function pct(v: number | null | undefined): string {
  return isNoData(v) ? NO_DATA : `${(v * 100).toFixed(1)}%`;
}

/** An amount in fen (the contract's unit) as yuan; 万元 from ten thousand yuan, 亿元 from a hundred million. */
export function money(fen: number | null | undefined): string {
  if (isNoData(fen)) return NO_DATA;
  const yuan = fen / 100;
  if (Math.abs(yuan) >= 100_000_000) return `${(yuan / 100_000_000).toFixed(2)}亿元`;
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

/** A term as the bureau writes it (one formatter, in analytics: the server's files use it too). */
export { termLabel } from '@edu/analytics/labels';

/** Width of `text` in ems of a bold Latin face (digits 0.56em) with CJK at 1em: a safe overestimate. */
export function textEms(text: string): number {
  let ems = 0;
  for (const ch of text) {
    if (/[0-9]/.test(ch)) ems += 0.6;
    else if (ch === '.' || ch === ',' || ch === ':') ems += 0.3;
    else if (ch === '%') ems += 0.9;
    else if (ch === '-' || ch === ' ') ems += 0.35;
    else if (ch.charCodeAt(0) > 0x2e7f) ems += 1;
    else ems += 0.65;
  }
  return ems;
}

/** The largest font size (px, at most `max`) at which `text` fits in `width` px. */
export function fitFontSize(text: string, width: number, max: number, min = 12): number {
  const ems = textEms(text);
  if (ems === 0) return max;
  return Math.max(min, Math.min(max, Math.floor(width / ems)));
}

/** HH:MM of a minute of the day (the attendance curve's axis). */
export const minuteLabel = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
