import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client.ts';
import type { Snapshot } from '../api/types.ts';
import { resumeLive } from '../live/socket.ts';
import { useLive } from '../state/live.ts';
import { hhmm, REPLAY_FROM, REPLAY_TO, SPEEDS, useReplay } from '../state/replay.ts';
import './replay.css';

// The wall's replay (回放): a small 回放 button while live; while replaying, an amber frame, the
// banner (回放 date time · 非实时数据, with 返回实时) and the player (date, time slider,
// play/pause, speed). Each minute shown is the server's replay snapshot of the scope (GET
// /api/v1/snapshot with `at`, cached there per minute), put in the live store in place of the
// socket's pushes, which are ignored meanwhile (live/socket.ts).

/** Today in Asia/Shanghai by the browser's clock (the default day to replay when none is shown). */
const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

export function ReplayBar({ scope }: { scope: string }) {
  const { active, date, minute, playing, speed, enter, exit, seek, setDate, setPlaying, setSpeed, step } = useReplay();
  const shownDate = useLive((s) => s.snapshot?.overview.date);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  // The shown minute: fetched on every change of scope, day or minute; a slow answer for a
  // minute already left behind is dropped (seq), so playing at ×60 never steps back.
  useEffect(() => {
    if (!active) return;
    const mine = ++seq.current;
    const q = new URLSearchParams({ scope, date, at: hhmm(minute) });
    api<Snapshot>('GET', `/api/v1/snapshot?${q.toString()}`).then(
      (snap) => {
        if (mine !== seq.current || !useReplay.getState().active) return;
        setError(null);
        // No critical pop-ups for the past: the queue is cleared, and stays so while replaying.
        useLive.setState({ snapshot: snap, receivedAt: Date.now(), critical: [], criticalSeen: null });
      },
      () => mine === seq.current && setError('回放数据加载失败'),
    );
  }, [active, scope, date, minute]);

  // Playing: one minute of the day per 60 s / speed of real time (×60: a minute a second).
  useEffect(() => {
    if (!active || !playing) return;
    const timer = setInterval(step, 60_000 / speed);
    return () => clearInterval(timer);
  }, [active, playing, speed, step]);

  if (!active)
    return (
      <button
        className="replay-enter"
        data-testid="replay-enter"
        onClick={() => enter(shownDate ?? shanghaiToday(), 16 * 60)}
      >
        回放
      </button>
    );

  const back = () => {
    exit();
    resumeLive();
  };
  return (
    <>
      <div className="replay-frame" />
      <div className="replay-banner" data-testid="replay-banner">
        <span>
          回放 {date} {hhmm(minute)} · 非实时数据
        </span>
        {error && <span className="replay-error">{error}</span>}
        <button data-testid="replay-exit" onClick={back}>
          返回实时
        </button>
      </div>
      <div className="replay-controls" data-testid="replay-controls">
        <input
          type="date"
          data-testid="replay-date"
          value={date}
          max={shanghaiToday()}
          onChange={(e) => e.target.value && setDate(e.target.value)}
        />
        <span>{hhmm(REPLAY_FROM)}</span>
        <input
          type="range"
          data-testid="replay-slider"
          min={REPLAY_FROM}
          max={REPLAY_TO}
          step={1}
          value={Math.min(REPLAY_TO, Math.max(REPLAY_FROM, minute))}
          onChange={(e) => seek(Number(e.target.value))}
        />
        <span>{hhmm(REPLAY_TO)}</span>
        <button data-testid="replay-play" onClick={() => setPlaying(!playing)}>
          {playing ? '暂停' : '播放'}
        </button>
        {SPEEDS.map((s) => (
          <button
            key={s}
            className={`speed${s === speed ? ' on' : ''}`}
            data-testid={`replay-speed-${s}`}
            onClick={() => setSpeed(s)}
          >
            ×{s}
          </button>
        ))}
      </div>
    </>
  );
}
