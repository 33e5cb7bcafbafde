export * from './load.ts';
export * from './groups.ts';
export * from './renamed.ts';
export * from './table.ts';
