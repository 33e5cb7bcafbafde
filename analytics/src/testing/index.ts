export * from './fixture-city.ts';
export * from './stores.ts';
export * from './inspect.ts';
export * from './replicas.ts';
