import type { Sql, Store } from '../src/index.ts';

// Where one read spends its time (issue 13): every query a read sends, when it left and when
// its rows were back, relative to the read's start, and the JavaScript after the last answer.

export interface Timeline {
  /** The store to read through: it records what it is asked while recording. */
  store: Store;
  /** Runs `read` with the recorder on; prints its queries in order, and what came after. */
  trace(read: () => Promise<unknown>): Promise<string>;
}

export function timeline(inner: Store): Timeline {
  let spans: { from: number; to: number; sql: string }[] | null = null;
  let t0 = 0;
  const store: Store = {
    get engine() {
      return inner.engine;
    },
    get database() {
      return inner.database;
    },
    exec: (s) => inner.exec(s),
    insert: (t, rows) => inner.insert(t, rows),
    insertJsonLines: (t, lines) => inner.insertJsonLines(t, lines),
    ping: () => inner.ping(),
    close: () => inner.close(),
    async query<Row>(select: Sql): Promise<Row[]> {
      const from = performance.now() - t0;
      const rows = await inner.query<Row>(select);
      spans?.push({ from, to: performance.now() - t0, sql: select.text.replace(/\s+/g, ' ').trim().slice(0, 90) });
      return rows;
    },
  };
  return {
    store,
    async trace(read) {
      spans = [];
      t0 = performance.now();
      await read();
      const total = performance.now() - t0;
      const done = spans.sort((a, b) => a.from - b.from);
      spans = null;
      const ms = (v: number) => v.toFixed(0).padStart(5);
      const lastAnswer = Math.max(0, ...done.map((s) => s.to));
      return [
        ...done.map((s) => `  ${ms(s.from)} → ${ms(s.to)} ms  ${s.sql}`),
        `  ${ms(lastAnswer)} → ${ms(total)} ms  (JavaScript after the last answer)`,
      ].join('\n');
    },
  };
}
