import type { SupervisionEvent } from '../contract/supervision.ts';
import { shanghaiDay } from '../contract/time.ts';
import { formatScope, type Scope } from '../metrics/scope.ts';
import type { ChangeSignal, SignalTable } from './changes.ts';

// Which stored rows move which figures: the one place that knows it. The metrics reader drops
// its cached term facts by it, and the live hub decides by it which rooms to recompute and
// from which minute to redraw their attendance curve.

/**
 * Rows of these tables change the cached term facts (term-facts.ts): enrollments, offerings,
 * and the bureau's decisions (a voided offering's enrollments count nowhere, contract v1.1).
 */
export const TERM_FACT_TABLES: ReadonlySet<SignalTable> = new Set(['enrollments', 'offerings', 'supervision_log']);

/**
 * Figures of these tables are per term or month (enrollment, settlement) or about places (the
 * registry), not per event day: a row touches every day's figures. A lesson preparation (v1.1)
 * moves its session's day, which the signal cannot name: it is sent days ahead, or late.
 */
const EVERY_DAY_TABLES: ReadonlySet<SignalTable> = new Set([
  'enrollments',
  'settlements',
  'offerings',
  'registry',
  'lesson_preparations',
  // A 否定 or 喊停 takes an offering's sessions off every later day (decision-effects.ts).
  'supervision_log',
]);

/** Rows of these tables move no figure: the 督办 loop's receipts and rectifications. */
const NO_FIGURE_TABLES: ReadonlySet<SignalTable> = new Set(['rectifications']);

/**
 * Rows of these tables move only the session figures (session-figures.ts) of the sessions they
 * name, which a read narrowed to the rows' schools finds (day-sessions.ts, onlySessions): the
 * figures cache re-reads just the schools a signal names. Rows of any other table that moves
 * a session figure (the schedule, enrollments, offerings, the registry, decisions) make it
 * read everything again.
 */
const SCHOOL_SESSION_TABLES: ReadonlySet<SignalTable> = new Set(['checkins', 'class_events', 'lesson_preparations']);

/** Rows of these tables move no session figure (the overview reads them fresh every time). */
const NO_SESSION_FIGURE_TABLES: ReadonlySet<SignalTable> = new Set([
  'settlements',
  'feedback',
  'materials',
  'budgets',
  'rectifications',
]);

/** What a change signal does to cached session figures: nothing, some schools', or all. */
export type SessionFiguresEffect = { kind: 'none' } | { kind: 'schools'; schools: readonly string[] } | { kind: 'all' };

export function sessionFiguresEffect(signal: Pick<ChangeSignal, 'tables' | 'schools'>): SessionFiguresEffect {
  const moving = signal.tables.filter((t) => !NO_SESSION_FIGURE_TABLES.has(t));
  if (moving.length === 0) return { kind: 'none' };
  if (moving.some((t) => !SCHOOL_SESSION_TABLES.has(t)) || signal.schools.includes('')) return { kind: 'all' };
  return { kind: 'schools', schools: signal.schools };
}

export function touchesTermFacts(tables: readonly SignalTable[]): boolean {
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

/** The decisions that move figures (decision-effects.ts); notices and the 督办 loop's 销号 / 退回 do not. */
const FIGURE_DECISIONS: ReadonlySet<string> = new Set(['approved', 'rejected', 'halted', 'voided']);

/**
 * The change signal of one recorded decision, for the streamer to feed its own live path as
 * ingest's batches do; null for a record that moves no figure. Its school is the target when
 * a school is the target, otherwise '' (every scope).
 */
export function decisionSignal(e: SupervisionEvent, storedMs: number): ChangeSignal | null {
  if (e.type !== 'decision' || !FIGURE_DECISIONS.has(e.decision)) return null;
  const ts = Date.parse(e.ts);
  return {
    schools: [e.target_type === 'school' ? e.target_id : ''],
    tables: ['supervision_log'],
    days: [shanghaiDay(ts)],
    max_ts_ms: ts,
    stored_ms: storedMs,
    rows: 1,
  };
}
