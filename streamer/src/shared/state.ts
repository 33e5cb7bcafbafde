// State shared between streamer instances: sessions, login throttling, idempotency keys, the
// snapshot cache, the hot copy of alerts, and the pub/sub that keeps instances consistent.
// Redis in production (redis-state.ts); in memory for the embedded default (memory-state.ts).
// Keys and channels are plain names: each implementation adds its own prefix.

export interface SharedState {
  get(key: string): Promise<string | null>;
  /** Sets a value; with `ttlMs` it expires. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets only when absent (SET NX): true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Increments a counter; the first increment starts its `ttlMs` window. */
  incr(key: string, ttlMs: number): Promise<number>;
  /** Milliseconds until the key expires; null when absent or without expiry. */
  ttl(key: string): Promise<number | null>;
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once subscribed; the returned function unsubscribes. */
  subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Typed JSON on top of the string store. */
export async function getJson<T>(state: SharedState, key: string): Promise<T | null> {
  const raw = await state.get(key);
  return raw === null ? null : (JSON.parse(raw) as T);
}
