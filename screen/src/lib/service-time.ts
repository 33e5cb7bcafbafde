/**
 * The service's clock as the snapshots give it (`at`, a snapshot's computed_at, received at
 * `receivedAt` on this browser's clock): the wall's clock and ages run on it, which on the
 * embedded default is the simulated city's, not the wall PC's.
 */
export interface ServiceTime {
  at: number;
  receivedAt: number;
}

/** The service's time at the browser's `now` (ms), or the browser's own without a service time. */
export function serviceNow(st: ServiceTime | null | undefined, now: number): number {
  return st ? st.at + (now - st.receivedAt) : now;
}

/**
 * The service time after a snapshot computed at `computedAt` arrives at `receivedAt`: that
 * snapshot's time, unless the clock already runs past it. A snapshot shown on a (re)join may
 * come from the room's cache, computed up to minutes before (live.snapshotCacheSeconds): it
 * must not turn the wall's clock back, nor make the newest event look younger, only to jump
 * forward with the next update. Where the service's clock runs faster than the browser's (the
 * embedded simulator's day), every fresh snapshot is ahead and is taken.
 */
export function laterServiceTime(prev: ServiceTime | null, computedAt: number, receivedAt: number): ServiceTime {
  return prev && serviceNow(prev, receivedAt) > computedAt ? prev : { at: computedAt, receivedAt };
}
