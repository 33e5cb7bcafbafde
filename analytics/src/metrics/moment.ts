import { shanghaiMidnight, toShanghaiRfc3339 } from '../contract/time.ts';

// The moment a day's figures are computed for (contract v1.1). Without `at`, the day's figures
// take every event stored and the due figures are "due by now" (today), by the end of the day
// (a past day) or by a moment before the day began (a future day: nothing is due yet). With
// `at` (HH:MM of that day), every figure is as it stood then: only events with `ts` ≤ that
// moment, and due by it.

export const AT_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

export interface Moment {
  /** T, epoch ms: sessions due by it, and the due figures count events with ts ≤ T. */
  t: number;
  /** With `at`: only events with ts ≤ this count anywhere. Null: every event stored. */
  eventsUpTo: number | null;
}

const DAY_MS = 86_400_000;

/** 24:00 of `day` in Asia/Shanghai (the next day's midnight), the T of a day that is over. */
export function endOfDay(day: string): number {
  return shanghaiMidnight(day) + DAY_MS;
}

/** The epoch ms of `HH:MM` on `day` in Asia/Shanghai. `at` must match AT_RE. */
export function momentOfAt(day: string, at: string): number {
  if (!AT_RE.test(at)) throw new RangeError(`at must be HH:MM (00:00–23:59), not ${JSON.stringify(at)}`);
  return Date.parse(`${day}T${at}:00+08:00`);
}

export function momentOf(day: string, now: number, at?: string): Moment {
  if (at !== undefined) {
    const t = momentOfAt(day, at);
    return { t, eventsUpTo: t };
  }
  return { t: Math.min(now, endOfDay(day)), eventsUpTo: null };
}

export const momentIso = (m: Moment): string => toShanghaiRfc3339(m.t);
