import type { ChangeSignal, RowFor, Store } from '@edu/analytics';
import { describe, expect, it } from 'vitest';
import { BatchWriter } from './batch-writer.ts';

// The writer is what every Kafka commit waits for: a write that never starts is a consumer
// that never commits again, silently. These tests hold the store's inserts open to force
// writes to queue behind each other.

/** A store whose inserts wait until released; it records how many run at once. */
/** What the writer sends: UTF-8 JSON lines. */
const textOf = (chunks: readonly Uint8Array[]) => Buffer.concat(chunks).toString('utf8');

function gatedStore() {
  const open: (() => void)[] = [];
  const stats = { inserts: 0, running: 0, maxRunning: 0, rows: 0 };
  const store = {
    engine: 'chdb',
    database: 'test',
    async insertJsonLines(_table: string, lines: readonly Uint8Array[]) {
      const rows = textOf(lines).split('\n').slice(0, -1);
      stats.running++;
      stats.maxRunning = Math.max(stats.maxRunning, stats.running);
      await new Promise<void>((r) => open.push(r));
      stats.running--;
      stats.inserts++;
      stats.rows += rows.length;
    },
  } as unknown as Store;
  /** Opens every gate, again and again (each opened write lets a queued one start), until `done` settles. */
  const drive = async <T>(done: Promise<T>): Promise<T> => {
    let settled = false;
    const watched = done.finally(() => (settled = true));
    while (!settled) {
      await new Promise((r) => setTimeout(r, 1));
      for (const g of open.splice(0)) g();
    }
    return watched;
  };
  return { store, stats, drive };
}

const rows = (n: number, from = 0): RowFor[] =>
  Array.from(
    { length: n },
    (_, i) =>
      ({
        table: 'checkins',
        row: { id: `c${from + i}`, school_id: 's1', ts_ms: 1_764_000_000_000 },
      }) as unknown as RowFor,
  );

const options = { maxRows: 10, maxWaitMs: 5, retryMinMs: 1, retryMaxMs: 2, concurrency: 2 };

describe('BatchWriter', () => {
  it('stores every batch of a burst larger than its concurrency, at most `concurrency` at once', async () => {
    const { store, stats, drive } = gatedStore();
    const writer = new BatchWriter(options, { store });
    // Six full batches at once: four of them must queue behind the two being written (the
    // shape of a restarted consumer's backlog, which once deadlocked the queue).
    const added = Array.from({ length: 6 }, (_, b) => writer.add(rows(10, b * 10)));
    await drive(Promise.all(added));
    expect(stats.rows).toBe(60);
    expect(stats.inserts).toBe(6);
    expect(stats.maxRunning).toBe(2);
  });

  it('writes a partial batch once its oldest row has waited maxWaitMs', async () => {
    const { store, stats, drive } = gatedStore();
    const writer = new BatchWriter(options, { store });
    const added = writer.add(rows(3));
    await drive(added);
    expect(stats.rows).toBe(3);
  });

  it('drains everything queued on stop', async () => {
    const { store, stats, drive } = gatedStore();
    const writer = new BatchWriter(options, { store });
    const added = [writer.add(rows(10)), writer.add(rows(10, 10)), writer.add(rows(10, 20)), writer.add(rows(4, 30))];
    await drive(Promise.all([writer.stop(), ...added]));
    expect(stats.rows).toBe(34);
  });

  it('retries a refused insert until it is stored, and resolves its callers only then', async () => {
    let failures = 2;
    const stored: string[] = [];
    const store = {
      async insertJsonLines(_t: string, lines: readonly Uint8Array[]) {
        const r = textOf(lines).split('\n').slice(0, -1);
        if (failures-- > 0) throw new Error('ClickHouse is down');
        stored.push(...r);
      },
    } as unknown as Store;
    const log: string[] = [];
    const writer = new BatchWriter(options, { store, log: (m) => log.push(m) });
    await writer.add(rows(10));
    expect(stored).toHaveLength(10);
    expect(log.filter((m) => m.includes('retrying'))).toHaveLength(2);
  });

  it('signals what a stored batch touched, after it is stored: schools, tables, days, the earliest check-in minute', async () => {
    let stored = 0;
    const store = {
      async insertJsonLines(_t: string, lines: readonly Uint8Array[]) {
        stored += textOf(lines).split('\n').length - 1;
      },
    } as unknown as Store;
    const signals: ChangeSignal[] = [];
    const changes = { publish: async (s: ChangeSignal) => void signals.push({ ...s, rows: stored }) };
    const writer = new BatchWriter(options, { store, changes });
    const checkin = (id: string, school: string, minute: number) =>
      ({
        table: 'checkins',
        row: { id, type: 'checkin', school_id: school, ts_ms: 1_764_000_000_000 + minute, day: '2025-11-25', minute },
      }) as unknown as RowFor;
    await writer.add([checkin('a', 's1', 961), checkin('b', 's2', 957), checkin('c', 's1', 970)]);
    await new Promise((r) => setTimeout(r, 10));
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({
      schools: ['s1', 's2'],
      tables: ['checkins'],
      days: ['2025-11-25'],
      checkin_from: { '2025-11-25': 957 },
      max_ts_ms: 1_764_000_000_970,
      rows: 3, // the signal went out once the rows were stored
    });
  });
});
