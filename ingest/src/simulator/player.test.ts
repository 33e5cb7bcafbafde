import type { InboundEvent } from '@edu/analytics';
import { describe, expect, it } from 'vitest';
import { createCity } from './city.ts';
import { VirtualClock } from './clock.ts';
import { cursorOf } from './cursor.ts';
import { planDay } from './day-plan.ts';
import { play } from './player.ts';
import { memorySink, type Sink } from './sinks.ts';

const DAY = '2026-11-27';
const ms = (e: InboundEvent) => Date.parse(e.ts);
const tiny = () => planDay(createCity({ seed: 4, schools: 6, students: 2000 }), DAY);

describe('VirtualClock', () => {
  it('runs `speed` times faster than the real clock, from its start', () => {
    let real = 1_000;
    const clock = new VirtualClock({ start: 50_000, speed: 7.5, realNow: () => real });
    expect(clock.now()).toBe(50_000);
    real += 2_000;
    expect(clock.now()).toBe(50_000 + 15_000);
    expect(clock.realMsUntil(50_000 + 30_000)).toBe(2_000);
    expect(() => new VirtualClock({ start: 0, speed: 0 })).toThrow(RangeError);
    // Restarting moves simulated time, keeping the speed, from that real moment on.
    clock.restart(900_000);
    expect(clock.now()).toBe(900_000);
    real += 100;
    expect(clock.now()).toBe(900_750);
    expect(clock.start).toBe(900_000);
  });

  it('tells whole milliseconds, as Date.now() does (times go into Int64 columns)', () => {
    let real = 0;
    const clock = new VirtualClock({ start: 1_000, speed: 9.75, realNow: () => real });
    for (real = 1; real < 50; real += 7) expect(Number.isInteger(clock.now())).toBe(true);
    expect(clock.now()).toBe(1_000 + Math.floor(50 * 9.75)); // real = 50 after the loop
  });
});

describe('play', () => {
  it('as fast as possible: everything, in ts order, in batches of at most maxBatch', async () => {
    const plan = tiny();
    const sink = memorySink();
    const result = await play({ cursor: plan.cursor(), sink, maxBatch: 500 }).done;
    expect(result).toMatchObject({ sent: plan.size, remaining: 0, done: true, stopped: false });
    expect(sink.events).toHaveLength(plan.size);
    const ts = sink.events.map(ms);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(Math.max(...sink.batches)).toBeLessThanOrEqual(500);
    expect(result.byType).toEqual(plan.countsByType());
    expect(sink.events).toEqual([...plan.events()]);
  });

  it('paced by a VirtualClock: sends each event once the clock reaches its ts, never before', async () => {
    const plan = tiny();
    let real = 0;
    const clock = new VirtualClock({ start: plan.windowStart, speed: 60, realNow: () => real });
    const sends: { now: number; events: InboundEvent[] }[] = [];
    const sink: Sink = {
      async send(events) {
        sends.push({ now: clock.now(), events: [...events] });
      },
      async close() {},
    };
    const ticks: number[] = [];
    const result = await play({
      cursor: plan.cursor(),
      sink,
      clock,
      tickMs: 200,
      onProgress: (p) => ticks.push(p.simTime as number),
      // Moves the fake real clock instead of waiting: 200 ms real = 12 s simulated.
      sleep: async (t) => {
        real += t;
      },
    }).done;
    expect(result.done).toBe(true);
    const all = sends.flatMap((s) => s.events);
    expect(all).toHaveLength(plan.size);
    expect(all.map(ms)).toEqual(all.map(ms).sort((a, b) => a - b));
    // The morning's schedule is due at the start: the first send holds it, at the window start.
    expect(sends[0]?.now).toBe(plan.windowStart);
    expect(sends[0]?.events.some((e) => e.type === 'session_scheduled')).toBe(true);
    for (const [i, s] of sends.entries()) {
      for (const e of s.events) expect(ms(e)).toBeLessThanOrEqual(s.now);
      // Nothing was held back: an event sent now was not yet due at the previous send.
      const previous = sends[i - 1];
      if (previous && s.now > previous.now) for (const e of s.events) expect(ms(e)).toBeGreaterThan(previous.now);
    }
    // Ticks advance 12 simulated seconds each and cover the window.
    expect(ticks[1]! - ticks[0]!).toBe(12_000);
    expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(plan.lastTs as number);
  });

  it('stops on request after the batch in flight, and reports where it stopped', async () => {
    const plan = tiny();
    const sink = memorySink();
    const player = play({
      cursor: plan.cursor(),
      sink,
      clock: new VirtualClock({ start: plan.windowStart, speed: 600 }),
      tickMs: 5,
    });
    await new Promise((r) => setTimeout(r, 60));
    const result = await player.stop();
    expect(result.stopped).toBe(true);
    expect(result.done).toBe(false);
    expect(result.sent).toBe(sink.events.length);
    expect(result.remaining).toBe(plan.size - result.sent);
    await new Promise((r) => setTimeout(r, 30));
    expect(sink.events.length).toBe(result.sent);
    expect(player.progress().sent).toBe(result.sent);
  });

  it('fails when the sink fails', async () => {
    const events = [...tiny().events()].slice(0, 10);
    const sink: Sink = {
      send: async () => {
        throw new Error('broker down');
      },
      close: async () => undefined,
    };
    await expect(play({ cursor: cursorOf(events), sink }).done).rejects.toThrow('broker down');
  });

  it('cursorOf orders any list by ts, keeping the order of equal ts', () => {
    const [a, b, c] = [...tiny().events()].slice(0, 3) as [InboundEvent, InboundEvent, InboundEvent];
    const later = { ...a, id: 'late', ts: '2026-11-27T23:00:00.000+08:00' };
    const cursor = cursorOf([later, a, b, c]);
    expect(cursor.take(Date.parse('2026-11-27T22:00:00+08:00'), 10).map((e) => e.id)).toEqual([a.id, b.id, c.id]);
    expect(cursor.remaining()).toBe(1);
    expect(cursor.take(Infinity, 10).map((e) => e.id)).toEqual(['late']);
    expect(cursor.peekTs()).toBeUndefined();
  });
});
