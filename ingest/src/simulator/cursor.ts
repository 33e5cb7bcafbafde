import type { InboundEvent } from '@edu/analytics';

// What the player reads from: events in ts order, taken up to a time. A day plan provides one
// that materialises events only as they are taken; `cursorOf` wraps any list (tests, replays).

export interface EventCursor {
  /** ts (epoch ms) of the next event, or undefined when every event was taken. */
  peekTs(): number | undefined;
  /** Up to `max` next events whose ts is at or before `upTo`, in ts order. */
  take(upTo: number, max: number): InboundEvent[];
  /** Events not taken yet. */
  remaining(): number;
}

/** A cursor over a list of events, sorted by ts (stable: equal ts keep their order). */
export function cursorOf(events: readonly InboundEvent[]): EventCursor {
  const timed = events.map((e, i) => ({ e, t: Date.parse(e.ts), i })).sort((a, b) => a.t - b.t || a.i - b.i);
  let pos = 0;
  return {
    peekTs: () => timed[pos]?.t,
    take(upTo, max) {
      const out: InboundEvent[] = [];
      while (out.length < max) {
        const next = timed[pos];
        if (!next || next.t > upTo) break;
        out.push(next.e);
        pos++;
      }
      return out;
    },
    remaining: () => timed.length - pos,
  };
}
