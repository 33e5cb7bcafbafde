import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase, migrate } from '../clickhouse/migrate.ts';
import { openChdbStore } from '../clickhouse/chdb-store.ts';
import { openServerStore } from '../clickhouse/server-store.ts';
import type { EngineName, Store } from '../clickhouse/store.ts';

// Test stores: a fresh, migrated database per call, on either engine. The server is the
// Debian clickhouse-server that `deploy/services/clickhouse.sh` starts (see deploy/test-all.sh).

export const TEST_ENGINES: readonly EngineName[] = ['server', 'chdb'];

export const testClickhouseUrl = (): string => process.env.EDU_TEST_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';

export function testDatabaseName(label: string): string {
  return `edu_test_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
}

export async function openTestStore(engine: EngineName, label: string): Promise<Store> {
  const database = testDatabaseName(label);
  const store =
    engine === 'server'
      ? await openServerStore({ url: testClickhouseUrl(), database })
      : await openChdbStore({ path: join(tmpdir(), 'edu-chdb-test', String(process.pid)), database });
  await migrate(store);
  return store;
}

/** Drops the test database and closes the store. */
export async function disposeTestStore(store: Store): Promise<void> {
  await dropDatabase(store);
  await store.close();
}
