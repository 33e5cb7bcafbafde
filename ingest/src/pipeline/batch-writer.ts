import type { ChangePublisher, RowFor, Store, Table } from '@edu/analytics';
import pLimit, { type LimitFunction } from 'p-limit';
import type { IngestMetrics } from '../metrics.ts';
import { encodeRows, mergeEncoded, type EncodedRows, type EncodedTable } from './encoded.ts';

// Rows from every intake meet here and are written to ClickHouse in batches: one insert per
// table when a batch reaches maxRows or its oldest row has waited maxWaitMs. `add` resolves
// only once its rows are stored, which is what lets the Kafka consumer commit offsets after,
// never before. While ClickHouse refuses, the batch is retried with back-off, forever: the
// callers wait (Kafka keeps the messages), nothing is dropped.

export interface BatchWriterOptions {
  maxRows: number;
  maxWaitMs: number;
  retryMinMs: number;
  retryMaxMs: number;
  /** Batches written at once (default 2). */
  concurrency?: number;
}

export interface BatchWriterDeps {
  store: Store;
  changes?: ChangePublisher;
  metrics?: IngestMetrics;
  log?: (msg: string) => void;
  /** Called while a write is being retried, e.g. to heartbeat the Kafka group. */
  onRetry?: () => Promise<void> | void;
}

interface Pending {
  parts: EncodedRows[];
  rows: number;
  waiters: { resolve: () => void; reject: (e: Error) => void }[];
  timer?: NodeJS.Timeout;
}

export class StoppedError extends Error {
  override readonly name = 'StoppedError';
}

export class BatchWriter {
  private pending: Pending = { parts: [], rows: 0, waiters: [] };
  /** Every flush not yet finished, whether writing or waiting for a slot (what `idle` awaits). */
  private readonly writing = new Set<Promise<void>>();
  /**
   * The write slots: at most `concurrency` writes at once, so encoding one overlaps storing
   * another; the others wait in line, first come first served. p-limit counts only the writes
   * running: a hand-written queue that counted the waiting flushes too once let two of them
   * wait on each other forever, and the Kafka consumer, whose commits wait on those writes,
   * stopped committing without a word.
   */
  private readonly slots: LimitFunction;
  private stopping = false;
  private aborted = false;

  constructor(
    private readonly opts: BatchWriterOptions,
    private readonly deps: BatchWriterDeps,
  ) {
    this.slots = pLimit(opts.concurrency ?? 2);
  }

  /** Queues rows; resolves when they are stored in ClickHouse. */
  add(rows: readonly RowFor[]): Promise<void> {
    return this.addEncoded(encodeRows(rows));
  }

  /** Queues rows already encoded (by a validation worker); resolves when they are stored. */
  addEncoded(part: EncodedRows): Promise<void> {
    if (this.aborted) return Promise.reject(new StoppedError('batch writer aborted'));
    if (part.count === 0) return Promise.resolve();
    const p = new Promise<void>((resolve, reject) => this.pending.waiters.push({ resolve, reject }));
    this.pending.parts.push(part);
    this.pending.rows += part.count;
    if (this.pending.rows >= this.opts.maxRows) this.flush();
    else this.pending.timer ??= setTimeout(() => this.flush(), this.opts.maxWaitMs);
    return p;
  }

  /**
   * Writes what is pending now. Up to `concurrency` batches are written at once; callers that
   * need an order (the Kafka consumer's commits) wait for their own batch's promise.
   */
  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = { parts: [], rows: 0, waiters: [] };
    if (batch.timer) clearTimeout(batch.timer);
    if (batch.rows === 0) return this.idle();
    const run = this.slots(() => this.write(batch));
    this.writing.add(run);
    void run.finally(() => this.writing.delete(run));
    return run;
  }

  /** Resolves when every write started so far has finished. */
  private async idle(): Promise<void> {
    while (this.writing.size > 0) await Promise.all([...this.writing]);
  }

  /** Drains: writes everything queued, then refuses new rows. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.flush();
    await this.idle();
  }

  /** Gives up on whatever is queued (their callers see an error and do not commit). */
  abort(): void {
    this.aborted = true;
  }

  private async write(batch: Pending): Promise<void> {
    const started = Date.now();
    const encoded = mergeEncoded(batch.parts);
    const tables = Object.entries(encoded.tables) as [Table, EncodedTable][];
    let delay = this.opts.retryMinMs;
    for (let attempt = 1; ; attempt++) {
      try {
        // Tables are written one after another; on a retry, tables already written are
        // written again. That is safe: every metric counts a duplicate event id once.
        for (const [table, { lines }] of tables) await this.deps.store.insertJsonLines(table, lines);
        break;
      } catch (err) {
        if (this.aborted) {
          const e = new StoppedError(`batch not stored: ${(err as Error).message}`);
          for (const w of batch.waiters) w.reject(e);
          return;
        }
        this.deps.metrics?.storeErrors.inc();
        this.deps.log?.(
          `ClickHouse write failed (attempt ${attempt}, retrying in ${delay} ms): ${(err as Error).message}`,
        );
        await this.deps.onRetry?.();
        await sleep(delay);
        delay = Math.min(delay * 2, this.opts.retryMaxMs);
      }
    }
    const stored = Date.now();
    this.deps.metrics?.observeBatch(
      tables.map(([table, t]) => [table, t.count]),
      (stored - started) / 1000,
    );
    for (const w of batch.waiters) w.resolve();
    // Not awaited: the rows are stored, and a slow or absent Redis must not hold a write slot
    // (it did: storing slowed down while Redis was stopped).
    void this.signal(encoded, stored);
  }

  private async signal(encoded: EncodedRows, stored: number): Promise<void> {
    if (!this.deps.changes) return;
    try {
      await this.deps.changes.publish({
        schools: encoded.schools,
        tables: Object.keys(encoded.tables) as Table[],
        days: encoded.days,
        max_ts_ms: encoded.maxTsMs,
        checkin_from: encoded.checkinFrom,
        stored_ms: stored,
        rows: encoded.count,
      });
    } catch (err) {
      // The rows are stored; a lost signal only delays the screens until the next one.
      this.deps.log?.(`change signal not published: ${(err as Error).message}`);
    }
  }

  get isStopping(): boolean {
    return this.stopping;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
