import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeTestStore, openTestStore, TEST_ENGINES } from '../testing/stores.ts';
import { sql } from './sql.ts';
import type { Store } from './store.ts';

// The escape helper is only as good as the engines agree it is: every hostile string must come
// back from both engines exactly as it went in.

const HOSTILE = [
  "'",
  "\\'",
  '\\',
  "'); DROP TABLE registry; --",
  'a\nb\r\tc',
  'nul\0byte',
  '\b\f',
  '实验小学第一分校',
  '<script>alert("x")</script>',
  '${x} {name:String} ? $1',
  '😀 emoji',
  '`backtick` "double"',
  '\\n literally',
];

describe.each(TEST_ENGINES)('sql escaping on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(engine, 'sql');
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it.each(HOSTILE)('round-trips %j', async (s) => {
    const rows = await store.query<{ v: string }>(sql`SELECT ${s} AS v`);
    expect(rows[0]?.v).toBe(s);
  });

  it('finds a hostile value stored by insert with an escaped WHERE', async () => {
    await store.exec(sql`CREATE TABLE IF NOT EXISTS escaping (v String) ENGINE = MergeTree ORDER BY v`);
    await store.insert(
      'escaping',
      HOSTILE.map((v) => ({ v })),
    );
    for (const s of HOSTILE) {
      const rows = await store.query<{ n: number | string }>(sql`SELECT count() AS n FROM escaping WHERE v = ${s}`);
      expect(Number(rows[0]?.n)).toBe(1);
    }
  });

  it('stores pre-encoded JSONEachRow lines exactly, and refuses a malformed line', async () => {
    await store.exec(sql`CREATE TABLE IF NOT EXISTS encoded (v String, n UInt32) ENGINE = MergeTree ORDER BY v`);
    await store.insertJsonLines('encoded', HOSTILE.map((v, n) => JSON.stringify({ v, n }) + '\n').join(''));
    const rows = await store.query<{ v: string; n: number | string }>(sql`SELECT v, n FROM encoded ORDER BY n`);
    expect(rows.map((r) => r.v)).toEqual(HOSTILE);
    await expect(store.insertJsonLines('encoded', '{"v": "x", "n": \n')).rejects.toThrow();
    const after = await store.query<{ c: number | string }>(sql`SELECT count() AS c FROM encoded`);
    expect(Number(after[0]?.c)).toBe(HOSTILE.length);
  });

  it('stores lines given as UTF-8 byte chunks (views into larger buffers, as from workers) exactly', async () => {
    await store.exec(sql`CREATE TABLE IF NOT EXISTS encoded_bytes (v String, n UInt32) ENGINE = MergeTree ORDER BY v`);
    const bytes = new TextEncoder().encode(HOSTILE.map((v, n) => JSON.stringify({ v, n }) + '\n').join(''));
    // Padding on both sides: only the view's own bytes may be sent.
    const padded = new Uint8Array(bytes.length + 20).fill(0x7b);
    padded.set(bytes, 10);
    // Split inside a character (a Chinese name is 3 bytes each): chunks are bytes, not text.
    const cut = bytes.indexOf(0xe5) + 1;
    await store.insertJsonLines('encoded_bytes', [
      padded.subarray(10, 10 + cut),
      padded.subarray(10 + cut, 10 + bytes.length),
    ]);
    const rows = await store.query<{ v: string }>(sql`SELECT v FROM encoded_bytes ORDER BY n`);
    expect(rows.map((r) => r.v)).toEqual(HOSTILE);
  });
});
