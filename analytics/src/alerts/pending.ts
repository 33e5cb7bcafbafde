import type { AlertRule } from '../live/protocol.ts';

// The pending period (Prometheus `for:`, Grafana's "pending"): a rule's condition becomes an
// alert only once it has held, evaluation after evaluation, for the rule's pending minutes of
// the service's clock (which may be a simulated fast clock). A condition that clears sooner
// leaves no trace; one that comes back starts over. The state is a plain map, so the streamer
// can keep it where every instance sees it (SharedState) and survive restarts.

/** Alert id → since when (epoch ms of the service clock) its condition has held. */
export type PendingState = Record<string, number>;

export interface PendingOutcome<C> {
  /** The state to keep: every condition that holds now, with its start. */
  state: PendingState;
  /** Conditions that are alerts: held long enough, or already alerts (still active). */
  firing: C[];
  /** Conditions still pending. */
  waiting: C[];
}

/**
 * Advances the pending state by one evaluation at `now`. `active`: alert ids open in the
 * book — an alert that fires stays an alert while its condition holds, even if the pending
 * state was lost. A clock that went back (a replay) restarts nothing: `since` is capped at now.
 */
export function advancePending<C extends { id: string; rule: AlertRule }>(
  previous: Readonly<PendingState>,
  conditions: readonly C[],
  now: number,
  pendingMinutes: Readonly<Partial<Record<AlertRule, number>>>,
  active: ReadonlySet<string> = new Set(),
): PendingOutcome<C> {
  const state: PendingState = {};
  const firing: C[] = [];
  const waiting: C[] = [];
  for (const c of conditions) {
    const since = Math.min(previous[c.id] ?? now, now);
    state[c.id] = since;
    // A rule without a pending period of its own (orphans_growing) fires at once.
    if (active.has(c.id) || now - since >= (pendingMinutes[c.rule] ?? 0) * 60_000) firing.push(c);
    else waiting.push(c);
  }
  return { state, firing, waiting };
}
