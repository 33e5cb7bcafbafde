import { openChdbStore, openServerStore, type Store } from '@edu/analytics';
import type { IngestConfig } from './config.ts';

/** The store the configuration names: a ClickHouse server, or chDB in this process. */
export function openConfiguredStore(config: Pick<IngestConfig, 'store' | 'clickhouse'>): Promise<Store> {
  return config.store.engine === 'chdb'
    ? openChdbStore({ path: config.store.chdbPath, database: config.clickhouse.database })
    : openServerStore({ ...config.clickhouse });
}
