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
  /** One minute on; stops at the end of the range. */
  step(): void;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const AT_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

export const hhmm = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** The replay a URL asks for, or null (live). */
export function replayOfUrl(search: string): { date: string; minute: number } | null {
  const q = new URLSearchParams(search);
  const date = q.get('date') ?? '';
  const at = q.get('at') ?? '';
  if (q.get('replay') !== '1' || !DATE_RE.test(date) || !AT_RE.test(at)) return null;
  return { date, minute: Number(at.slice(0, 2)) * 60 + Number(at.slice(3)) };
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
    minute: initial?.minute ?? 16 * 60,
    playing: false,
    speed: 10,
    enter: (date, minute) => update({ active: true, date, minute, playing: false }),
    exit: () => update({ active: false, playing: false }),
    seek: (minute) => update({ minute: Math.min(REPLAY_TO, Math.max(REPLAY_FROM, minute)) }),
    setDate: (date) => update({ date }),
    setPlaying: (playing) => set({ playing }),
    setSpeed: (speed) => set({ speed }),
    step: () => {
      const { minute } = get();
      if (minute >= REPLAY_TO) set({ playing: false });
      else update({ minute: minute + 1 });
    },
  };
});
