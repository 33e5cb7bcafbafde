import { formatScope, type Scope, type Snapshot } from '@edu/analytics';
import type { SharedState } from '../shared/state.ts';
import { buildSnapshotAt, type SnapshotInputs } from './snapshot.ts';

// Replay snapshots (回放), one per (scope, day, minute). A wall playing a day at ×60 asks for a
// new minute every second, and every wall replaying the same day asks for the same minutes: each
// is computed once, then served from the shared cache (every streamer instance) for
// REPLAY_CACHE_MS, and concurrent asks for one minute on an instance share one computation.
// A past moment changes only when a late event arrives, so a short TTL is enough to pick that up.

export const REPLAY_CACHE_MS = 60_000;

export class ReplaySnapshots {
  private readonly inFlight = new Map<string, Promise<Snapshot>>();

  constructor(
    private readonly shared: SharedState,
    private readonly inputs: () => SnapshotInputs,
  ) {}

  /** The unfiltered snapshot of `scope` on `day` at `at` (HH:MM); filter per user before sending. */
  get(scope: Scope, day: string, at: string): Promise<Snapshot> {
    const key = `replay:${formatScope(scope)}|${day}|${at}`;
    let p = this.inFlight.get(key);
    if (!p) {
      p = this.load(key, scope, day, at).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, p);
    }
    return p;
  }

  private async load(key: string, scope: Scope, day: string, at: string): Promise<Snapshot> {
    const cached = await this.shared.get(key);
    if (cached) return JSON.parse(cached) as Snapshot;
    const snap = await buildSnapshotAt(this.inputs(), scope, day, at);
    await this.shared.set(key, JSON.stringify(snap), REPLAY_CACHE_MS);
    return snap;
  }
}
