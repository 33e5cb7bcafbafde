import type { InboundEvent } from '@edu/analytics';
import type { Sink } from './sinks.ts';

/**
 * Sends a (lazy) stream of events in batches, e.g. `sendAll(setupEvents(city, day), sink)`:
 * only one batch is in memory at a time. Returns the number sent; stops early when
 * `shouldStop` says so (after the batch in flight).
 */
export async function sendAll(
  events: Iterable<InboundEvent>,
  sink: Sink,
  options: {
    batch?: number;
    onBatch?: (sent: number, batch: readonly InboundEvent[]) => void;
    shouldStop?: () => boolean;
  } = {},
): Promise<number> {
  const size = options.batch ?? 5000;
  let sent = 0;
  let batch: InboundEvent[] = [];
  const flush = async () => {
    await sink.send(batch);
    sent += batch.length;
    options.onBatch?.(sent, batch);
    batch = [];
    // Let timers and signal handlers run between batches.
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  for (const e of events) {
    batch.push(e);
    if (batch.length >= size) {
      await flush();
      if (options.shouldStop?.()) return sent;
    }
  }
  if (batch.length > 0) await flush();
  return sent;
}
