import { hashSourceKey, loadSourceKeys, recordSourceKeyUses, type SourceKeyRow, type Store } from '@edu/analytics';

// The intake's copy of the source keys (analytics/src/supervision/source-keys.ts). Checking a
// key must cost nothing per request, so the whole table (a few hundred rows at most: one per
// school system) is held in memory by hash and reloaded every `refreshMs` (2 s): a key revoked
// in the console is refused by every ingest within that time. A key not in the table makes
// one early reload (at most one a second, shared by all requests waiting for it), so a key
// just issued works within a second. Until the first load succeeds the intake answers 503; a failed
// reload keeps the table it has (the store being down must not lock every source out).

export type KeyLookup =
  | { kind: 'ok'; key: SourceKeyRow }
  | { kind: 'revoked'; key: SourceKeyRow }
  | { kind: 'unknown' }
  | { kind: 'not_loaded' };

export interface SourceKeyCacheOptions {
  /** How often the table is reloaded (and uses written): the longest a revoked key still works. */
  refreshMs?: number;
  /** How often a key's last use is recorded at most. */
  useEveryMs?: number;
  /** The service's clock (last-use times are in it, as the streamer's records are). */
  clock?: () => number;
  log?: (msg: string) => void;
}

const MIN_RELOAD_GAP_MS = 1000;

export class SourceKeyCache {
  private byHash = new Map<string, SourceKeyRow>();
  private loaded = false;
  private lastLoadMs = 0;
  private inFlight: Promise<void> | null = null;
  private soon: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly recorded = new Map<string, number>();
  private readonly pendingUses = new Map<string, number>();
  private readonly refreshMs: number;
  private readonly useEveryMs: number;
  private readonly clock: () => number;
  private readonly log: (msg: string) => void;

  constructor(
    private readonly store: Store,
    o: SourceKeyCacheOptions = {},
  ) {
    this.refreshMs = o.refreshMs ?? 2000;
    this.useEveryMs = o.useEveryMs ?? 60_000;
    this.clock = o.clock ?? Date.now;
    this.log = o.log ?? (() => undefined);
  }

  /** Loads the table (a failure is logged, not thrown) and keeps it fresh. */
  async start(): Promise<void> {
    await this.reload();
    this.timer ??= setInterval(() => void this.tick(), this.refreshMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
    await this.flushUses();
  }

  /** The key a request presented, as the table knows it. */
  async lookup(presented: string): Promise<KeyLookup> {
    const hash = hashSourceKey(presented);
    let key = this.byHash.get(hash);
    if (!key) {
      await this.reloadSoon();
      key = this.byHash.get(hash);
    }
    if (!this.loaded) return { kind: 'not_loaded' };
    if (!key) return { kind: 'unknown' };
    if (key.revoked) return { kind: 'revoked', key };
    this.noteUse(key.key_id);
    return { kind: 'ok', key };
  }

  private noteUse(keyId: string): void {
    const now = this.clock();
    if (now - (this.recorded.get(keyId) ?? -Infinity) < this.useEveryMs) return;
    this.recorded.set(keyId, now);
    this.pendingUses.set(keyId, now);
  }

  private async tick(): Promise<void> {
    await this.reload();
    await this.flushUses();
  }

  private async flushUses(): Promise<void> {
    if (this.pendingUses.size === 0) return;
    const uses = new Map(this.pendingUses);
    this.pendingUses.clear();
    try {
      await recordSourceKeyUses(this.store, uses);
    } catch (err) {
      // Last use is informative only; a lost row is corrected by the next use.
      this.log(`recording source key uses failed: ${(err as Error).message}`);
    }
  }

  /** A reload as soon as the gap since the last one allows, shared by everyone who asks meanwhile. */
  private reloadSoon(): Promise<void> {
    const wait = this.lastLoadMs + MIN_RELOAD_GAP_MS - Date.now();
    if (wait <= 0) return this.reload();
    this.soon ??= new Promise((r) => setTimeout(r, wait)).then(() => {
      this.soon = null;
      return this.reload();
    });
    return this.soon;
  }

  private reload(): Promise<void> {
    this.inFlight ??= (async () => {
      try {
        const rows = await loadSourceKeys(this.store);
        this.byHash = new Map(rows.map((r) => [r.key_hash, r]));
        this.loaded = true;
      } catch (err) {
        this.log(`loading source keys failed (keeping the last table): ${(err as Error).message}`);
      } finally {
        this.lastLoadMs = Date.now();
        this.inFlight = null;
      }
    })();
    return this.inFlight;
  }
}
