export * from './users.ts';
export * from './audit.ts';
export * from './alerts.ts';
export * from './notices.ts';
export * from './subjects.ts';
export * from './source-keys.ts';
export * from './backup.ts';
