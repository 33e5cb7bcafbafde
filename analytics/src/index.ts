export * from './contract/index.ts';
export * from './clickhouse/index.ts';
export * from './metrics/index.ts';
export type * from './live/protocol.ts';
export * from './live/changes.ts';
export * from './env.ts';
export * from './dimensions/index.ts';
export * from './supervision/index.ts';
