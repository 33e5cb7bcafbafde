import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeTestStore, testClickhouseUrl, testDatabaseName } from '../testing/stores.ts';
import { openServerStore } from './server-store.ts';
import { sql } from './sql.ts';
import type { Store } from './store.ts';

// A store on several replicas (EDU_CLICKHOUSE_URL=a,b in the cluster layout) passes over one
// that refuses or drops connections and sends the statement to the next. Here the "replicas"
// are a port nobody listens on, a port that accepts and hangs up at once, and the real server.

let dropper: Server;
let dropperUrl = '';
let dropped = 0;
const refusedUrl = 'http://127.0.0.1:1';

beforeAll(async () => {
  dropper = createServer((socket) => {
    dropped++;
    socket.destroy();
  });
  await new Promise<void>((r) => dropper.listen(0, '127.0.0.1', r));
  dropperUrl = `http://127.0.0.1:${(dropper.address() as { port: number }).port}`;
});
afterAll(() => dropper.close());

describe('server store on several replicas', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openServerStore({
      url: `${refusedUrl},${dropperUrl}, ${testClickhouseUrl()}`,
      database: testDatabaseName('failover'),
    });
  });
  afterAll(async () => {
    if (store) await disposeTestStore(store);
  });

  it('creates the database, runs DDL, inserts and reads through the one that answers', async () => {
    await store.exec(sql`CREATE TABLE IF NOT EXISTS t (id String) ENGINE = MergeTree ORDER BY id`);
    await store.insert('t', [{ id: 'a' }, { id: 'b' }]);
    await store.insertJsonLines('t', '{"id":"c"}\n');
    const rows = await store.query<{ n: string }>(sql`SELECT count() AS n FROM t`);
    expect(Number(rows[0]?.n)).toBe(3);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('does not pass over a replica for an error of the statement itself', async () => {
    const preferred = await openServerStore({ url: `${testClickhouseUrl()},${dropperUrl}`, database: store.database });
    const before = dropped;
    await expect(preferred.query(sql`SELECT no_such_column FROM t`)).rejects.toThrow(/no_such_column|Missing columns/i);
    // The statement was wrong, not the server: the next replica was never asked.
    expect(dropped).toBe(before);
    await preferred.close();
  });

  it('passes over a replica whose tables are read-only (restarted, no ZooKeeper session yet)', async () => {
    // What 18.16 answers an INSERT into a replicated table it cannot write yet.
    let asked = 0;
    const readOnly = createHttpServer((req, res) => {
      asked++;
      req.resume();
      req.on('end', () =>
        res
          .writeHead(500, { 'content-type': 'text/plain', 'x-clickhouse-exception-code': '242' })
          .end('Code: 242, e.displayText() = DB::Exception: Table is in readonly mode, e.what() = DB::Exception\n'),
      );
    });
    await new Promise<void>((r) => readOnly.listen(0, '127.0.0.1', r));
    const readOnlyUrl = `http://127.0.0.1:${(readOnly.address() as { port: number }).port}`;
    // Opened on the real server (the database exists), then the read-only one preferred.
    const replicas = await openServerStore({ url: `${readOnlyUrl},${testClickhouseUrl()}`, database: store.database });
    try {
      await replicas.insert('t', [{ id: 'ro-1' }]);
      const rows = await store.query<{ n: string }>(sql`SELECT count() AS n FROM t WHERE id = 'ro-1'`);
      expect(Number(rows[0]?.n)).toBe(1);
      expect(asked).toBeGreaterThan(0);
      // Passed over for a while: the next statement goes straight to the other replica.
      const before = asked;
      await replicas.insert('t', [{ id: 'ro-2' }]);
      expect(asked).toBe(before);
    } finally {
      await replicas.close();
      readOnly.close();
    }
  });

  it('fails with the reason when no replica answers', async () => {
    await expect(
      openServerStore({ url: `${refusedUrl},${dropperUrl}`, database: testDatabaseName('none') }),
    ).rejects.toThrow(/ClickHouse at .*:1,/);
  });
});
