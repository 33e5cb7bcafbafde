import type { Term } from './events.ts';

// The contract's "day" is the calendar day in Asia/Shanghai. China has had no daylight saving
// since 1991, so a fixed +08:00 offset is exact and avoids a tz database dependency here.
const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

// Ingest computes a day for every event; formatting a Date each time was a tenth of its CPU.
const dayNames = new Map<number, string>();

/** `YYYY-MM-DD` in Asia/Shanghai for an epoch-millisecond instant. */
export function shanghaiDay(ms: number): string {
  const n = Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
  let name = dayNames.get(n);
  if (name === undefined) {
    name = new Date(n * DAY_MS).toISOString().slice(0, 10);
    if (dayNames.size > 10_000) dayNames.clear();
    dayNames.set(n, name);
  }
  return name;
}

/** Minute of the Shanghai day (0–1439). */
export function shanghaiMinuteOfDay(ms: number): number {
  return Math.floor(((((ms + SHANGHAI_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
}

/** Epoch ms of 00:00 Asia/Shanghai on `day`. */
export function shanghaiMidnight(day: string): number {
  return Date.parse(`${day}T00:00:00+08:00`);
}

/** RFC 3339 with +08:00 for an instant, as school systems in the city send it. */
export function toShanghaiRfc3339(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

export const DAY_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * The school term a day belongs to: autumn runs from August to January, spring from February
 * to July (the Chinese school year). Enrollment metrics are per term.
 */
export function termOfDay(day: string): Term {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  if (month >= 8) return `${year}-autumn`;
  if (month === 1) return `${year - 1}-autumn`;
  return `${year}-spring`;
}

/** The settlement period (`YYYY-MM`) a day belongs to. */
export function periodOfDay(day: string): string {
  return day.slice(0, 7);
}
