import type { InboundEvent, InboundType } from '@edu/analytics';
import type { Clock } from './clock.ts';
import type { EventCursor } from './cursor.ts';
import type { Sink } from './sinks.ts';

// Plays events against a clock: every tick (200 ms by default) it sends, in ts order, every
// event whose ts the clock has reached, in batches, and waits for the sink before the next
// tick, so a slow sink slows the play instead of piling up events in memory. Without a clock
// it sends as fast as the sink accepts (tests, benchmarks, catching up).

export interface PlayOptions {
  cursor: EventCursor;
  sink: Sink;
  /** Paces the events; absent = as fast as possible. */
  clock?: Clock;
  /** Real ms between ticks when paced. */
  tickMs?: number;
  /** Most events per sink.send. */
  maxBatch?: number;
  /** Called after each tick (paced) or batch (as fast as possible). */
  onProgress?: (progress: Progress) => void;
  /** How to wait between ticks (tests pass one that moves a fake clock). */
  sleep?: (ms: number) => Promise<void>;
}

export interface Progress {
  sent: number;
  byType: Partial<Record<InboundType, number>>;
  /** Simulated time: the clock's at the last tick, or the ts of the last event sent when unpaced. */
  simTime: number | undefined;
  remaining: number;
  /** Every event was sent. */
  done: boolean;
  /** Stopped before the end. */
  stopped: boolean;
}

export interface Player {
  /** Resolves when every event was sent or the player was stopped; rejects if the sink fails. */
  readonly done: Promise<Progress>;
  progress(): Progress;
  /** Stops after the batch in flight; resolves like `done`. */
  stop(): Promise<Progress>;
}

/** Lets timers, I/O and signal handlers run between batches even when the sink never waits. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function play(options: PlayOptions): Player {
  const { cursor, sink, clock } = options;
  const tickMs = options.tickMs ?? 200;
  const maxBatch = options.maxBatch ?? 5000;
  const state: Progress = {
    sent: 0,
    byType: {},
    simTime: clock?.now(),
    remaining: cursor.remaining(),
    done: false,
    stopped: false,
  };
  let stopping = false;
  let wake: (() => void) | undefined;
  const sleep =
    options.sleep ??
    ((ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      }));
  const snapshot = (): Progress => ({ ...state, byType: { ...state.byType } });

  const record = (batch: readonly InboundEvent[]) => {
    state.sent += batch.length;
    for (const e of batch) state.byType[e.type] = (state.byType[e.type] ?? 0) + 1;
    state.remaining = cursor.remaining();
  };

  async function run(): Promise<Progress> {
    while (!stopping) {
      const now = clock ? clock.now() : Infinity;
      while (!stopping) {
        const batch = cursor.take(now, maxBatch);
        if (batch.length === 0) break;
        await sink.send(batch);
        record(batch);
        if (!clock) {
          state.simTime = Date.parse((batch[batch.length - 1] as InboundEvent).ts);
          options.onProgress?.(snapshot());
        }
        await yieldToLoop();
      }
      if (clock) {
        state.simTime = now;
        options.onProgress?.(snapshot());
      }
      if (cursor.peekTs() === undefined) break;
      if (clock && !stopping) await sleep(tickMs);
    }
    state.remaining = cursor.remaining();
    state.done = state.remaining === 0;
    state.stopped = !state.done;
    options.onProgress?.(snapshot());
    return snapshot();
  }

  const done = run();
  // A failure is reported through `done`; this keeps it from also surfacing as unhandled.
  done.catch(() => undefined);
  return {
    done,
    progress: snapshot,
    stop() {
      stopping = true;
      wake?.();
      return done;
    },
  };
}
