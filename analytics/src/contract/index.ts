export * from './events.ts';
export * from './topics.ts';
export * from './supervision.ts';
export * from './schemas.ts';
export * from './validate.ts';
export * from './deadletter.ts';
export * from './time.ts';
export * from './labels.ts';
