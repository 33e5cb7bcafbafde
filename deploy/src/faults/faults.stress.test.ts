import { describe, expect, it } from 'vitest';
import { runFaultSuite } from './suite.ts';

// The reduced form of the fault suite (full length: deploy/bench/faults.ts): shorter outages at
// a lower rate, the same verdicts. Every fault must lose nothing, the screens of a killed
// streamer instance must resync on the other, and at the end every event produced must be
// stored once and counted once by the read API (the city's attendance curve: distinct check-in
// ids per minute; the traffic's students are enrolled nowhere, so not students_present).

describe('faults under steady load', () => {
  it('loses nothing and counts nothing twice through every fault', async () => {
    const result = await runFaultSuite({
      rate: 500,
      clickhouseDownSeconds: 5,
      faultSeconds: 3,
      steadySeconds: 2,
      screens: 10,
      recoveryTimeoutSeconds: 90,
      log: (m) => console.log(m),
    });
    console.log(
      result.faults
        .map(
          (f) =>
            `${f.fault}: ${f.produced} produced, ${f.lost} lost, caught up after ${f.recoverySeconds.toFixed(1)} s`,
        )
        .join('\n'),
    );
    for (const f of result.faults) expect(f.lost, f.fault).toBe(0);
    expect(result.faults.map((f) => f.produced).every((n) => n > 0)).toBe(true);
    expect(result.produced).toBeGreaterThan(0);
    expect(result.lost).toBe(0);
    expect(result.storedDistinct).toBe(result.produced);
    expect(result.countedByApi).toBe(result.produced);
    expect(result.doubleCounted).toBe(0);
    // The killed instance's screens all came back on the other one with a fresh snapshot.
    expect(result.screensResynced).toBe(result.screens);
  });
});
