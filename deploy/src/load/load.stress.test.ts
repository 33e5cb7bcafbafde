import { describe, expect, it } from 'vitest';
import { runLoad } from './run.ts';

// The reduced load run (full length: deploy/bench/latency.ts with LATENCY_SECONDS=600
// LATENCY_SCREENS=1000): 20 s at 3,000 events/s with 100 more screens. Ingest must keep up,
// and every screen must keep receiving updates.

describe('load', () => {
  it('keeps up with steady traffic and keeps every screen updated', async () => {
    const rate = 3_000;
    const screens = 100;
    const r = await runLoad({ rate, seconds: 20, screens, sampleSeconds: 5, log: (l) => console.log(l) });
    expect(r.offeredPerSecond).toBeGreaterThan(rate * 0.8);
    // Never more than two seconds of traffic waiting, and nothing once production stopped.
    for (const s of r.samples) expect(s.lag, `at ${s.t} s`).toBeLessThanOrEqual(rate * 2);
    expect(r.finalLag).toBe(0);
    // Updates flow all along: at least one every 2 s to the measuring screen and to each other one.
    expect(r.updates).toBeGreaterThanOrEqual(10);
    expect(r.screensUpdates).toBeGreaterThanOrEqual(screens * 10);
  });
});
