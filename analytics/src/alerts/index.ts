// The alert rules on the contract's figures (rules.ts has the table of rules and settings):
// facts read by analytics, pure conditions, the pending period, Chinese texts with names, and
// the wall's grouping. The streamer composes them (evaluator, book, pushes) and owns no SQL.
export * from './rules.ts';
export * from './conditions.ts';
export * from './pending.ts';
export * from './group.ts';
export { detailOf, hhmm, namesNeeded, pct, toCandidate, yuan } from './texts.ts';
export {
  describeConditions,
  loadAlertFacts,
  loadNames,
  NO_NAMES,
  unaccountedBySession,
  type AlertFacts,
  type AlertFactsOptions,
  type AlertNames,
  type FeedbackAlertFacts,
  type NamedKind,
  type SchoolAlertFacts,
  type SessionAlertFacts,
} from './facts.ts';
