import { create } from 'zustand';
import type { Alert, Notice, Snapshot } from '../api/types.ts';

// The live state of the joined scope. Snapshots carry a version; an older one arriving late
// (a reconnect race) is ignored, so the wall never steps back in time. Alert and notice
// changes between snapshots are merged in place, and the lists stay bounded.

export type Connection = 'connecting' | 'live' | 'disconnected' | 'refused';
const MAX_ALERTS = 200;

interface LiveState {
  snapshot: Snapshot | null;
  /** When the current snapshot arrived (browser clock), for the freshness marks. */
  receivedAt: number;
  connection: Connection;
  refusal: string | null;
  /** New critical alerts not yet shown in the pop-up. */
  critical: Alert[];
  apply(s: Snapshot, fresh: boolean): void;
  alert(a: Alert): void;
  notice(n: Notice): void;
  setConnection(c: Connection, refusal?: string | null): void;
  dismissCritical(id: string): void;
  reset(): void;
}

export const useLive = create<LiveState>((set, get) => ({
  snapshot: null,
  receivedAt: 0,
  connection: 'connecting',
  refusal: null,
  critical: [],
  apply(s, fresh) {
    const cur = get().snapshot;
    // A fresh snapshot (after join or reconnect) replaces whatever was there; an update must
    // be newer than what is shown.
    if (
      !fresh &&
      cur &&
      cur.overview.scope === s.overview.scope &&
      cur.overview.date === s.overview.date &&
      s.version <= cur.version
    )
      return;
    set({ snapshot: s, receivedAt: Date.now() });
  },
  alert(a) {
    const cur = get().snapshot;
    const known = cur?.alerts.find((x) => x.id === a.id);
    const isNewCritical = a.severity === 'critical' && a.state === 'open' && !known;
    if (cur) {
      const alerts = [a, ...cur.alerts.filter((x) => x.id !== a.id)].slice(0, MAX_ALERTS);
      set({ snapshot: { ...cur, alerts } });
    }
    if (isNewCritical) set({ critical: [...get().critical.filter((x) => x.id !== a.id), a].slice(-5) });
  },
  notice(n) {
    const cur = get().snapshot;
    if (!cur) return;
    const others = cur.notices.filter((x) => x.notice_id !== n.notice_id);
    set({ snapshot: { ...cur, notices: n.state === 'closed' ? others : [n, ...others] } });
  },
  setConnection(connection, refusal = null) {
    set({ connection, refusal });
  },
  dismissCritical(id) {
    set({ critical: get().critical.filter((a) => a.id !== id) });
  },
  reset() {
    set({ snapshot: null, receivedAt: 0, critical: [] });
  },
}));
