import { create } from 'zustand';

// Replay (回放): the wall showing a past moment instead of live. The URL says it
// (`?replay=1&date=YYYY-MM-DD&at=HH:MM`) so a reload keeps it; while it is on, the live socket's
// pushes are ignored (live/socket.ts) and the shown snapshot is the server's replay snapshot of
// that minute (ReplayBar). Playing advances the moment one minute per 60 s / speed of real time.

/** The slider's range: the after-school window and a margin (minutes of the day). */
export const REPLAY_FROM = 15 * 60;
export const REPLAY_TO = 19 * 60;
export const SPEEDS = [1, 10, 60] as const;
export type Speed = (typeof SPEEDS)[number];

export interface ReplayState {
  active: boolean;
  date: string;
  /** Minute of the day (Asia/Shanghai). */
  minute: number;
  playing: boolean;
  speed: Speed;
  enter(date: string, minute: number): void;
  /** Back to live: the URL loses the replay, the socket's pushes count again. */
  exit(): void;
  seek(minute: number): void;
  setDate(date: string): void;
  setPlaying(playing: boolean): void;
  setSpeed(speed: Speed): void;
  /** One minute on; stops at the end of the range, or of today at now (`atNow`). */
  step(): void;
  /** Playing stopped because it reached now on today: the player says so. */
  atNow: boolean;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const AT_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

export const hhmm = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** The banner's words, one text for the wall and the console: 回放 2026-11-20 16:40 · 非实时数据. */
export const replayLabel = (date: string, minute: number): string => `回放 ${date} ${hhmm(minute)} · 非实时数据`;

const SHANGHAI_MS = 8 * 3_600_000;

/** Today in Asia/Shanghai by the browser's clock. */
export const shanghaiToday = (now: number = Date.now()): string =>
  new Date(now + SHANGHAI_MS).toISOString().slice(0, 10);

/**
 * The last minute of `date` that can be replayed: the end of the range, but for today no later
 * than now (the future has no figures yet), and for a later day the start of the range.
 */
export function replayEnd(date: string, now: number = Date.now()): number {
  const today = shanghaiToday(now);
  if (date < today) return REPLAY_TO;
  if (date > today) return REPLAY_FROM;
  const minuteNow = Math.floor(((now + SHANGHAI_MS) % 86_400_000) / 60_000);
  return Math.max(REPLAY_FROM, Math.min(REPLAY_TO, minuteNow));
}

const clampMinute = (date: string, minute: number): number => Math.min(replayEnd(date), Math.max(REPLAY_FROM, minute));

/**
 * The replay a URL asks for, or null (live). The wall's URL says `replay=1`; a console link may
 * name only the moment (`?date=…&at=HH:MM`), which `bare` accepts too.
 */
export function replayOfUrl(search: string, bare = false): { date: string; minute: number } | null {
  const q = new URLSearchParams(search);
  const date = q.get('date') ?? '';
  const at = q.get('at') ?? '';
  if ((q.get('replay') !== '1' && !(bare && q.has('at'))) || !DATE_RE.test(date) || !AT_RE.test(at)) return null;
  return { date, minute: Number(at.slice(0, 2)) * 60 + Number(at.slice(3)) };
}

/**
 * The wall's address to return to from the console (返回大屏): the wall's own options as it was
 * opened (`wallSearch`), with the moment being replayed now, or none when the console went live.
 */
export function wallSearchOf(wallSearch: string, replay: { active: boolean; date: string; minute: number }): string {
  const q = new URLSearchParams(wallSearch);
  if (replay.active) {
    q.set('replay', '1');
    q.set('date', replay.date);
    q.set('at', hhmm(replay.minute));
  } else if (q.get('replay') === '1' || q.has('at')) {
    q.delete('replay');
    q.delete('date');
    q.delete('at');
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Writes the replay (or its absence) into the URL, keeping the wall's other options. */
function writeUrl(s: { active: boolean; date: string; minute: number }): void {
  const q = new URLSearchParams(window.location.search);
  if (s.active) {
    q.set('replay', '1');
    q.set('date', s.date);
    q.set('at', hhmm(s.minute));
  } else {
    q.delete('replay');
    q.delete('date');
    q.delete('at');
  }
  window.history.replaceState(null, '', `?${q.toString()}${window.location.hash}`);
}

const initial = typeof window === 'undefined' ? null : replayOfUrl(window.location.search);

export const useReplay = create<ReplayState>((set, get) => {
  const update = (patch: Partial<ReplayState>) => {
    set(patch);
    writeUrl(get());
  };
  return {
    active: initial !== null,
    date: initial?.date ?? '',
    minute: initial ? clampMinute(initial.date, initial.minute) : 16 * 60,
    playing: false,
    speed: 10,
    atNow: false,
    enter: (date, minute) =>
      update({ active: true, date, minute: clampMinute(date, minute), playing: false, atNow: false }),
    exit: () => update({ active: false, playing: false, atNow: false }),
    seek: (minute) => update({ minute: clampMinute(get().date, minute), atNow: false }),
    // Today's replay cannot stand later than now: a later minute moves back to now.
    setDate: (date) => update({ date, minute: clampMinute(date, get().minute), atNow: false }),
    setPlaying: (playing) => {
      const { date, minute } = get();
      // Play from the last minute of today: nothing further to show yet.
      if (playing && minute >= replayEnd(date) && replayEnd(date) < REPLAY_TO) set({ playing: false, atNow: true });
      else set({ playing, atNow: false });
    },
    setSpeed: (speed) => set({ speed }),
    step: () => {
      const { date, minute } = get();
      const end = replayEnd(date);
      if (minute >= end) set({ playing: false, atNow: end < REPLAY_TO });
      else update({ minute: minute + 1 });
    },
  };
});
