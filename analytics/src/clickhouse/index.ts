export * from './sql.ts';
export * from './store.ts';
export * from './rows.ts';
export * from './migrate.ts';
export { openServerStore, type ServerStoreOptions } from './server-store.ts';
export { openChdbStore, type ChdbStoreOptions } from './chdb-store.ts';
export { openConfiguredStore, type ClickhouseSettings } from './open.ts';
