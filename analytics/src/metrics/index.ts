export * from './definitions.ts';
export * from './scope.ts';
export * from './by-school.ts';
export * from './overview.ts';
export * from './rankings.ts';
export { asOfMs } from './queries/as-of.ts';
export { scheduledSessions } from './queries/day-sessions.ts';
export { schoolsOf, type SchoolInfo } from './queries/term-by-school.ts';
