import type { Table } from '../clickhouse/rows.ts';
import { formatScope, type Scope } from '../metrics/scope.ts';
import type { ChangeSignal } from './changes.ts';

// Which stored rows move which figures: the one place that knows it. The metrics reader drops
// its cached term facts by it, and the live hub decides by it which rooms to recompute and
// from which minute to redraw their attendance curve.

/** Rows of these tables change the cached term facts (term-facts.ts): enrollments, offerings. */
export const TERM_FACT_TABLES: ReadonlySet<Table> = new Set(['enrollments', 'offerings']);

/**
 * Figures of these tables are per term or month (enrollment, settlement) or about places (the
 * registry), not per event day: a row touches every day's figures. A lesson preparation (v1.1)
 * moves its session's day, which the signal cannot name: it is sent days ahead, or late.
 */
const EVERY_DAY_TABLES: ReadonlySet<Table> = new Set([
  'enrollments',
  'settlements',
  'offerings',
  'registry',
  'lesson_preparations',
]);

/** Rows of these tables move no figure: the 督办 loop's receipts and rectifications. */
const NO_FIGURE_TABLES: ReadonlySet<Table> = new Set(['rectifications']);

export function touchesTermFacts(tables: readonly Table[]): boolean {
  return tables.some((t) => TERM_FACT_TABLES.has(t));
}

export interface SignalEffect {
  /** The scope's figures for the day may have changed: recompute them. */
  figures: boolean;
  /** Redraw the scope's attendance curve from this minute of the day on; null: the curve stands. */
  curveFrom: number | null;
}

/**
 * What a change signal does to the figures of `scope` on `day`. `signalScopes` are the scopes
 * (formatted, e.g. `district:d1`) that the signal's schools lie in, as the caller's geography
 * places them; school-less rows ('' in `schools`, districts, zones, providers) and registry
 * rows touch every scope.
 */
export function affects(
  signal: ChangeSignal,
  scope: Scope,
  day: string,
  signalScopes: ReadonlySet<string>,
): SignalEffect {
  if (signal.tables.every((t) => NO_FIGURE_TABLES.has(t))) return { figures: false, curveFrom: null };
  const registry = signal.tables.includes('registry');
  const scopeHit = registry || signal.schools.includes('') || signalScopes.has(formatScope(scope));
  const dayHit = signal.days.includes(day) || signal.tables.some((t) => EVERY_DAY_TABLES.has(t));
  if (!scopeHit || !dayHit) return { figures: false, curveFrom: null };
  // A school moved to another zone changes which check-ins a scope's curve holds: redraw all.
  if (registry) return { figures: true, curveFrom: 0 };
  if (!signal.tables.includes('checkins')) return { figures: true, curveFrom: null };
  // An older ingest names no minute: the whole curve; a batch with no check-in of this day: none.
  const from = signal.checkin_from ? signal.checkin_from[day] : 0;
  return { figures: true, curveFrom: from ?? null };
}
