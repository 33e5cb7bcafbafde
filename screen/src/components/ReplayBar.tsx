import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client.ts';
import type { Snapshot } from '../api/types.ts';
import { resumeLive } from '../live/socket.ts';
import { useLive } from '../state/live.ts';
import { hhmm, REPLAY_FROM, replayEnd, replayLabel, shanghaiToday, SPEEDS, useReplay } from '../state/replay.ts';
import './replay.css';

// The wall's replay (回放): a small 回放 button while live; while replaying, an amber frame, the
// banner (回放 date time · 非实时数据, with 返回实时) and the player (date, time slider,
// play/pause, speed). Each minute shown is the server's replay snapshot of the scope (GET
// /api/v1/snapshot with `at`, cached there per minute), put in the live store in place of the
// socket's pushes, which are ignored meanwhile (live/socket.ts).

export function ReplayBar({ scope }: { scope: string }) {
  const { active, date, minute, playing, speed, atNow, enter, exit, seek, setDate, setPlaying, setSpeed, step } =
    useReplay();
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

  // Today's slider ends at now, which moves on: redrawn every half minute while replaying today.
  const [, setTick] = useState(0);
  const today = active && date === shanghaiToday();
  useEffect(() => {
    if (!today) return;
    const timer = setInterval(() => setTick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, [today]);

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

  // The slider's end: 19:00, or now when replaying today (the future has no figures yet).
  const end = replayEnd(date);
  const back = () => {
    exit();
    resumeLive();
  };
  return (
    <>
      <div className="replay-frame" />
      <div className="replay-banner" data-testid="replay-banner">
        <span>{replayLabel(date, minute)}</span>
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
          max={end}
          step={1}
          value={Math.min(end, Math.max(REPLAY_FROM, minute))}
          onChange={(e) => seek(Number(e.target.value))}
        />
        <span data-testid="replay-end">{today ? `${hhmm(end)}（现在）` : hhmm(end)}</span>
        <button data-testid="replay-play" onClick={() => setPlaying(!playing)}>
          {playing ? '暂停' : '播放'}
        </button>
        {atNow && (
          <span className="replay-at-now" data-testid="replay-at-now">
            已到当前时刻，回放暂停
          </span>
        )}
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
