import type { DueFigures, Metrics } from '@edu/analytics';
import { NO_DATA } from './format.ts';

// The figures "due so far" (contract v1.1) as the wall reads them. During the day a rate counts
// only the sessions due by the moment `due.at` (a class that has not begun is never "absent"),
// so the wall shows it labelled 截至 HH:MM, with the whole day's figure beside it. For a day
// that is over the two are equal and one figure, labelled 全天, is shown.

/** When the due figures stand: during the day (HH:MM), after it, or before it began. */
export type DueMoment = { kind: 'live'; hhmm: string } | { kind: 'over' } | { kind: 'ahead' };

const SHANGHAI_MS = 8 * 3600_000;

/** Where `due.at` lies against the day shown (both in Asia/Shanghai). */
export function dueMoment(day: string, dueAt: string | null | undefined): DueMoment {
  const ms = dueAt ? Date.parse(dueAt) : NaN;
  if (Number.isNaN(ms)) return { kind: 'over' };
  const local = new Date(ms + SHANGHAI_MS).toISOString();
  const atDay = local.slice(0, 10);
  if (atDay > day) return { kind: 'over' };
  if (atDay < day) return { kind: 'ahead' };
  return { kind: 'live', hhmm: local.slice(11, 16) };
}

/**
 * The last minute of the day (minutes after midnight) that the figures have seen: the moment
 * for a day under way, null for a day that is over (all of it), -1 for one not begun.
 */
export function minuteReached(day: string, dueAt: string | null | undefined): number | null {
  const m = dueMoment(day, dueAt);
  if (m.kind === 'over') return null;
  if (m.kind === 'ahead') return -1;
  return Number(m.hhmm.slice(0, 2)) * 60 + Number(m.hhmm.slice(3, 5));
}

/** The label of a due figure: 截至 16:05 during the day, 全天 for a day that is over. */
export function momentLabel(m: DueMoment): string {
  return m.kind === 'live' ? `截至 ${m.hhmm}` : m.kind === 'over' ? '全天' : '当日未开始';
}

/** The heading over figures due so far in the console's tables: what they count, and when. */
export const dueHeading = (hhmm: string) => `截至 ${hhmm}（只计已到上课、下课时间的课节）`;

export type DueRate = 'attendance_rate' | 'teacher_attendance_rate' | 'completion_rate';
export const DUE_RATES: readonly DueRate[] = ['attendance_rate', 'teacher_attendance_rate', 'completion_rate'];

export const NOT_STARTED = '未到上课时间';
export const NOT_ENDED = '未到下课时间';

/**
 * What a null due rate means: sessions are scheduled but none is due yet (未到上课时间 /
 * 未到下课时间), or there is nothing to count at all (暂无数据). Never 0, never red.
 */
export function dueEmptyText(
  key: DueRate,
  due: Pick<DueFigures, 'sessions_due' | 'sessions_due_end'>,
  day: Pick<Metrics, 'sessions_scheduled'>,
): string {
  if (day.sessions_scheduled <= 0) return NO_DATA;
  if (key === 'completion_rate') return due.sessions_due_end === 0 ? NOT_ENDED : NO_DATA;
  return due.sessions_due === 0 ? NOT_STARTED : NO_DATA;
}

export interface RateView {
  /** The headline figure: due so far during the day, the day's otherwise. */
  value: number | null;
  /** What to say instead of a null headline. */
  empty: string;
  /** 截至 16:05, or 全天. */
  label: string;
  /** The whole day's figure shown beside the headline, or undefined when they are the same. */
  day: number | null | undefined;
  /** How to name `day`: 全天进度 while sessions are still to come, 全天 once all are due. */
  dayLabel: string;
}

/** The headline and its companion for one rate of a scope. */
export function rateView(key: DueRate, metrics: Metrics, due: DueFigures | undefined, date: string): RateView {
  const m = due ? dueMoment(date, due.at) : ({ kind: 'over' } as const);
  if (!due || m.kind === 'over') {
    return {
      value: metrics[key],
      empty: NO_DATA,
      label: momentLabel({ kind: 'over' }),
      day: undefined,
      dayLabel: '全天',
    };
  }
  const dueSessions = key === 'completion_rate' ? due.sessions_due_end : due.sessions_due;
  return {
    value: due[key],
    empty: dueEmptyText(key, due, metrics),
    label: momentLabel(m),
    day: metrics[key],
    dayLabel: dueSessions >= metrics.sessions_scheduled ? '全天' : '全天进度',
  };
}
