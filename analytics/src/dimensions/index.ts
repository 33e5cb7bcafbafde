// The six supervision dimensions (manual chapter 4) and the chart module (§7): one small query
// module per question, each scoped by a Scope and returning typed rows.
export * from './children.ts';
export * from './term.ts';
export * from './mask.ts';
export { latestDecisions, type LatestDecision } from './decisions.ts';
export { registryEntities, offeringsOf, type RegistryEntity, type RegistryType, type Offering } from './latest.ts';
export { sessionsBetween, type SessionRow, type SessionState } from './sessions.ts';
export { rankBy, topBottom, type TopBottom } from './rank-by.ts';
export * from './materials.ts';
export * from './budgets.ts';
export * from './process.ts';
export * from './process-days.ts';
export * from './timetables.ts';
export * from './people.ts';
export * from './courses.ts';
export * from './admission.ts';
export * from './safety.ts';
export * from './class-report.ts';
export * from './feedback.ts';
export * from './charts.ts';
export * from './registrations.ts';
export * from './chart-rankings.ts';
export * from './geography.ts';
export * from './chart-access.ts';
export * from './pipeline.ts';
