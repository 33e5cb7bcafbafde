import { count, isNoData, money, NO_DATA, pct } from '../lib/format.ts';

// Cell formats of the console's tables: the wall's (lib/format.ts) plus scores and times.
// Null is 暂无数据 everywhere, never 0.

export { count, money, NO_DATA, pct };

/** An average score on the 1–5 scale: 3.67分. */
export const score = (v: number | null | undefined) => (isNoData(v) ? NO_DATA : `${v.toFixed(2)}分`);

/** An RFC 3339 time (+08:00) as `2026-11-27 15:30`: the server already gives Shanghai time. */
export const time = (iso: string | null | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') : NO_DATA);

/** Only the clock: `15:30`. */
export const clock = (iso: string | null | undefined) => (iso ? iso.slice(11, 16) : NO_DATA);

export type Format = (v: number | null) => string;
