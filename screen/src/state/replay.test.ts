import { describe, expect, it } from 'vitest';
import { parseOptions } from '../lib/options.ts';
import { hhmm, REPLAY_TO, replayOfUrl, useReplay } from './replay.ts';

// The replay's URL (a reload keeps it) and its player's steps.

describe('replay state', () => {
  it('reads a replay from the URL only when it is whole and well-formed', () => {
    expect(replayOfUrl('?replay=1&date=2026-11-27&at=16:05')).toEqual({ date: '2026-11-27', minute: 16 * 60 + 5 });
    expect(replayOfUrl('?date=2026-11-27&at=16:05')).toBeNull();
    expect(replayOfUrl('?replay=1&date=2026-11-27&at=16:5')).toBeNull();
    expect(replayOfUrl('?replay=1&at=16:05')).toBeNull();
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
