import { describe, expect, it } from 'vitest';
import { formatProgress, ProgressDisplay } from './progress-line.ts';
import { sendAll } from './send-all.ts';
import { memorySink } from './sinks.ts';
import { createCity } from './city.ts';
import { setupEvents } from './setup.ts';

describe('progress display', () => {
  const state = {
    phase: 'play',
    sent: 12_345,
    byType: { checkout: 20, checkin: 12_000, class_started: 325 },
    simTime: Date.parse('2026-11-27T16:42:10+08:00'),
  };

  it('formats one line: phase, simulated clock, totals, types by count', () => {
    expect(formatProgress(state, 1234.4)).toBe(
      '[play 2026-11-27 16:42:10] 12,345 sent, 1,234 ev/s | checkin 12,000 · start 325 · checkout 20',
    );
  });

  it('rewrites one line on a terminal, cut to its width', () => {
    const out: string[] = [];
    const d = new ProgressDisplay({ isTTY: true, columns: 40, write: (t) => out.push(t) }, { intervalMs: 60_000 });
    d.update(state);
    d.finish();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^\r\x1b\[2K\[play .{20,}…\n$/);
    expect(out[0]?.length).toBe(5 + 39 + 1); // escape, 39 columns, newline
  });

  it('writes plain lines no more often than asked when not a terminal', async () => {
    const out: string[] = [];
    let now = 0;
    const d = new ProgressDisplay({ write: (t) => out.push(t) }, { intervalMs: 5, plainEveryMs: 1000, now: () => now });
    d.update(state);
    await new Promise((r) => setTimeout(r, 40)); // several ticks at the same fake time: one line
    now = 1500;
    await new Promise((r) => setTimeout(r, 20));
    d.finish();
    expect(out.length).toBe(3); // the first tick, the one after a second, the final
    expect(out.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
  });
});

describe('sendAll', () => {
  it('streams a lazy iterable in batches and stops when asked', async () => {
    const city = createCity({ seed: 1, schools: 3, students: 900 });
    const all = [...setupEvents(city, '2026-11-27')];
    const sink = memorySink();
    expect(await sendAll(setupEvents(city, '2026-11-27'), sink, { batch: 400 })).toBe(all.length);
    expect(sink.events).toEqual(all);
    expect(Math.max(...sink.batches)).toBe(400);
    const partial = memorySink();
    let batches = 0;
    const sent = await sendAll(setupEvents(city, '2026-11-27'), partial, {
      batch: 100,
      onBatch: () => batches++,
      shouldStop: () => batches >= 2,
    });
    expect(sent).toBe(200);
    expect(partial.events).toEqual(all.slice(0, 200));
  });
});
