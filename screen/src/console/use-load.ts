import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { hhmm, useReplay } from '../state/replay.ts';
import { momentPath } from './moment.ts';
import { failureText } from './reasons.ts';

// One GET of the read API per view. A new path clears the old answer at once, so a table never
// shows (or lets anyone click) the rows of the scope it just left; a late answer to an earlier
// path is dropped. While the console replays a moment (回放), a read whose route follows the
// moment asks for it (moment.ts); the moment is part of the path, so a new moment is a new read.

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

export function useLoad<T>(asked: string | null): Loaded<T> {
  const replayDate = useReplay((s) => (s.active ? s.date : null));
  const at = useReplay((s) => (s.active ? hhmm(s.minute) : null));
  const path = asked && replayDate && at ? momentPath(asked, replayDate, at) : asked;
  const [state, setState] = useState<{ path: string | null; data: T | null; error: string | null }>({
    path: null,
    data: null,
    error: null,
  });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!path) return;
    let current = true;
    void api<T>('GET', path).then(
      (data) => current && setState({ path, data, error: null }),
      (e: unknown) => current && setState({ path, data: null, error: failureText(e) }),
    );
    return () => {
      current = false;
    };
  }, [path, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  // An answer belongs to its path: while a new path loads, there is no data (not the old one).
  const mine = state.path === path && path !== null;
  return {
    data: mine ? state.data : null,
    error: mine ? state.error : null,
    loading: path !== null && !mine,
    reload,
  };
}
