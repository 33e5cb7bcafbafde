import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseOptions } from '../lib/options.ts';
import {
  hhmm,
  REPLAY_FROM,
  REPLAY_TO,
  replayEnd,
  replayLabel,
  replayOfUrl,
  useReplay,
  wallSearchOf,
} from './replay.ts';

/** 2026-12-01 16:20 in Asia/Shanghai. */
const NOW = Date.parse('2026-12-01T16:20:30+08:00');

// The replay's URL (a reload keeps it) and its player's steps.

describe('replay state', () => {
  it('reads a replay from the URL only when it is whole and well-formed', () => {
    expect(replayOfUrl('?replay=1&date=2026-11-27&at=16:05')).toEqual({ date: '2026-11-27', minute: 16 * 60 + 5 });
    expect(replayOfUrl('?date=2026-11-27&at=16:05')).toBeNull();
    expect(replayOfUrl('?replay=1&date=2026-11-27&at=16:5')).toBeNull();
    expect(replayOfUrl('?replay=1&at=16:05')).toBeNull();
    // A console link may name only the moment; the wall's own URL needs replay=1.
    expect(replayOfUrl('?date=2026-11-27&at=16:05', true)).toEqual({ date: '2026-11-27', minute: 16 * 60 + 5 });
    expect(replayOfUrl('?date=2026-11-27', true)).toBeNull();
    // The replayed day is not the live socket's day: 返回实时 must be live at once.
    expect(parseOptions('?replay=1&date=2026-11-27&at=16:05').date).toBeUndefined();
    expect(parseOptions('?date=2026-11-27').date).toBe('2026-11-27');
  });

  it('writes the moment into the URL, keeps the other options, and clears it on exit', () => {
    window.history.replaceState(null, '', '/?scope=district:d1&rotate=0');
    const r = useReplay.getState();
    r.enter('2026-11-27', 16 * 60);
    r.seek(17 * 60 + 9);
    expect(hhmm(useReplay.getState().minute)).toBe('17:09');
    let q = new URLSearchParams(window.location.search);
    expect([q.get('replay'), q.get('date'), q.get('at'), q.get('scope'), q.get('rotate')]).toEqual([
      '1',
      '2026-11-27',
      '17:09',
      'district:d1',
      '0',
    ]);
    useReplay.getState().exit();
    q = new URLSearchParams(window.location.search);
    expect([q.get('replay'), q.get('at'), q.get('date'), q.get('scope')]).toEqual([null, null, null, 'district:d1']);
    expect(useReplay.getState().active).toBe(false);
  });

  it('plays up to the end of the range and stops there', () => {
    const r = useReplay.getState();
    r.enter('2026-11-27', REPLAY_TO - 1);
    r.setPlaying(true);
    useReplay.getState().step();
    expect([useReplay.getState().minute, useReplay.getState().playing]).toEqual([REPLAY_TO, true]);
    useReplay.getState().step();
    expect([useReplay.getState().minute, useReplay.getState().playing]).toEqual([REPLAY_TO, false]);
    useReplay.getState().exit();
  });
});

describe('replaying today', () => {
  afterEach(() => {
    useReplay.getState().exit();
    vi.useRealTimers();
  });

  it('ends the range at now for today, at 19:00 for a past day', () => {
    expect(replayEnd('2026-12-01', NOW)).toBe(16 * 60 + 20);
    expect(replayEnd('2026-11-30', NOW)).toBe(REPLAY_TO);
    expect(replayEnd('2026-12-02', NOW)).toBe(REPLAY_FROM);
    // After 19:00 today the whole range has happened.
    expect(replayEnd('2026-12-01', Date.parse('2026-12-01T20:00:00+08:00'))).toBe(REPLAY_TO);
  });

  it('never stands later than now, and playing stops at now saying so', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    const r = useReplay.getState();
    r.enter('2026-12-01', 18 * 60);
    expect(useReplay.getState().minute).toBe(16 * 60 + 20);
    r.seek(17 * 60);
    expect(useReplay.getState().minute).toBe(16 * 60 + 20);
    r.seek(16 * 60 + 18);
    r.setPlaying(true);
    useReplay.getState().step();
    useReplay.getState().step();
    expect([hhmm(useReplay.getState().minute), useReplay.getState().playing]).toEqual(['16:20', true]);
    useReplay.getState().step();
    expect([hhmm(useReplay.getState().minute), useReplay.getState().playing, useReplay.getState().atNow]).toEqual([
      '16:20',
      false,
      true,
    ]);
    // Play again at now: nothing further yet, it stays paused.
    useReplay.getState().setPlaying(true);
    expect([useReplay.getState().playing, useReplay.getState().atNow]).toEqual([false, true]);
    // Moving the slider back clears the label; a past day's minute moves back to now on today.
    useReplay.getState().seek(16 * 60);
    expect(useReplay.getState().atNow).toBe(false);
    useReplay.getState().setDate('2026-11-30');
    useReplay.getState().seek(18 * 60 + 30);
    useReplay.getState().setDate('2026-12-01');
    expect(hhmm(useReplay.getState().minute)).toBe('16:20');
  });

  it('one banner text, and 返回大屏 keeps the wall options with the moment shown now', () => {
    expect(replayLabel('2026-11-20', 16 * 60 + 40)).toBe('回放 2026-11-20 16:40 · 非实时数据');
    const wall = '?scope=district:d1&rotate=0&replay=1&date=2026-11-27&at=16:05';
    const at = (minute: number) => ({ active: true, date: '2026-11-27', minute });
    expect(new URLSearchParams(wallSearchOf(wall, at(17 * 60 + 1))).toString()).toBe(
      'scope=district%3Ad1&rotate=0&replay=1&date=2026-11-27&at=17%3A01',
    );
    // Gone live in the console: the wall opens live.
    expect(wallSearchOf(wall, { ...at(0), active: false })).toBe('?scope=district%3Ad1&rotate=0');
    // A live wall's own day stays.
    expect(wallSearchOf('?date=2026-11-27', { ...at(0), active: false })).toBe('?date=2026-11-27');
  });
});
