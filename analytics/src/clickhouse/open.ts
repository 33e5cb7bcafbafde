import type { z } from 'zod';
import type { clickhouseSchema } from '../settings/groups.ts';
import { openChdbStore } from './chdb-store.ts';
import { openServerStore } from './server-store.ts';
import type { Store } from './store.ts';

export type ClickhouseSettings = z.output<typeof clickhouseSchema>;

/** The store the settings name: a ClickHouse server, or chDB in this process. */
export function openConfiguredStore(c: ClickhouseSettings): Promise<Store> {
  return c.engine === 'chdb'
    ? openChdbStore({ path: c.chdbPath, database: c.database })
    : openServerStore({ url: c.url, database: c.database, username: c.username, password: c.password });
}
