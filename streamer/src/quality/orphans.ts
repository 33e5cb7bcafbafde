import { orphanReport, type OrphanReport, type Store } from '@edu/analytics';
import type { Clock } from '../clock.ts';
import type { StreamerMetrics } from '../observability.ts';

// Keeps the latest orphan report (analytics/src/quality: stored events about schools, sessions,
// offerings or students the registry does not know). Reading it costs a scan of the window's
// events, so it is read on a timer of its own — never per scrape, per page view or per alert
// evaluation — and every reader takes the latest: the /metrics gauges, the 数据质量 page and
// the orphans_growing rule.

export const DEFAULT_ORPHAN_REFRESH_MS = 60_000;

export class OrphanMonitor {
  private report: OrphanReport | null = null;
  private running: Promise<OrphanReport> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Label pairs set before: a pair with no orphans any more goes to 0 rather than vanishing. */
  private readonly seen = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly metrics: StreamerMetrics,
    private readonly everyMs: number = DEFAULT_ORPHAN_REFRESH_MS,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  /** The latest report, or null before the first read. */
  latest(): OrphanReport | null {
    return this.report;
  }

  /**
   * The latest report; before the first one, the read under way (or a new one). Null when that
   * read fails: the caller goes on without orphans this time.
   */
  async current(): Promise<OrphanReport | null> {
    if (this.report) return this.report;
    return this.refresh().catch((e: unknown) => {
      this.log(`orphans: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    });
  }

  /** Reads the report now (one read at a time: a call during a read shares it). */
  refresh(): Promise<OrphanReport> {
    if (this.running) return this.running;
    this.running = orphanReport(this.store, this.clock.now())
      .then((r) => {
        this.report = r;
        this.publish(r);
        return r;
      })
      .finally(() => (this.running = null));
    return this.running;
  }

  /** Reads now, then every `everyMs`. */
  start(): void {
    if (this.timer) return;
    const read = () =>
      void this.refresh().catch((e: unknown) => this.log(`orphans: ${e instanceof Error ? e.message : String(e)}`));
    this.timer = setInterval(read, this.everyMs);
    this.timer.unref();
    read();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private publish(r: OrphanReport): void {
    const now = new Set<string>();
    for (const row of r.rows) {
      const labels = { source: row.source, type: row.type };
      this.metrics.orphanEvents.set(labels, row.orphans);
      this.metrics.orphanEventsRecent.set(labels, row.recent);
      now.add(`${row.source}\u0000${row.type}`);
    }
    for (const key of this.seen) {
      if (now.has(key)) continue;
      const [source = '', type = ''] = key.split('\u0000');
      this.metrics.orphanEvents.set({ source, type }, 0);
      this.metrics.orphanEventsRecent.set({ source, type }, 0);
    }
    for (const key of now) this.seen.add(key);
  }
}
