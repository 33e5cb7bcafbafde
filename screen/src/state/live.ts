import { replaceEqualDeep } from '@tanstack/query-core';
import { create } from 'zustand';
import { withHeldGroups, type AlertGroup, type PushedUpdate } from '@edu/analytics/live';
import type { CurveUpdate, Notice, PushedSnapshot } from '../api/types.ts';
import { laterServiceTime, type ServiceTime } from '../lib/service-time.ts';

// The live state of the joined scope. Snapshots carry a version; an older one arriving late
// (a reconnect race) is ignored, so the wall never steps back in time. Notice changes between
// snapshots are merged in place. The snapshot is what the server pushes (PushedSnapshot: no
// full alert list; alert changes reach the wall as its next update's groups). The wall's alert
// panel is the snapshot's alert groups; the critical pop-up comes up once per NEW critical group
// (a key not among the critical groups of the previous snapshot of the same scope), never per
// member, and not for the groups already there when the wall joined.
//
// An update of the same scope and day shares what it left unchanged with the snapshot shown
// (structural sharing, TanStack Query's replaceEqualDeep): a ranking, the curve, the map's
// children or an alert line that did not change keeps its reference, so the tiles memoized on
// them skip their redraw — and a ranking board does not restart its scrolling on every update.

export type Connection = 'connecting' | 'live' | 'disconnected' | 'refused';

export interface Wanted {
  scope: string;
  date?: string;
}

interface LiveState {
  /** The scope (and day) the wall asked for: anything else arriving is late and dropped. */
  wanted: Wanted;
  snapshot: PushedSnapshot | null;
  /** When the current snapshot arrived (browser clock), for the freshness marks. */
  receivedAt: number;
  /**
   * The service's clock (laterServiceTime): never turned back by a cached snapshot, and kept
   * across a change of scope, since it is the service's, not the scope's.
   */
  serviceTime: ServiceTime | null;
  connection: Connection;
  refusal: string | null;
  /** New critical alert groups not yet acknowledged in the pop-up, oldest first. */
  critical: AlertGroup[];
  /** Keys of the critical groups of the last snapshot applied; null until the scope's first. */
  criticalSeen: string[] | null;
  /**
   * A `snapshot` (fresh) or an `update`. `rejoin`: the update left out alert groups this screen
   * does not hold (withHeldGroups), so it needs a fresh snapshot; the figures were not applied.
   */
  apply(s: PushedSnapshot | PushedUpdate, fresh: boolean): 'applied' | 'ignored' | 'rejoin';
  /** A landed curve redraw: the minutes from `from` on replace the shown ones. */
  curve(c: CurveUpdate): void;
  notice(n: Notice): void;
  setConnection(c: Connection, refusal?: string | null): void;
  /** The officer saw the pop-up of this group (by key). */
  dismissCritical(key: string): void;
  /** Switches to another scope or day: what is shown now is dropped. */
  want(w: Wanted): void;
  reset(): void;
}

export const useLive = create<LiveState>((set, get) => ({
  wanted: { scope: 'city' },
  snapshot: null,
  receivedAt: 0,
  serviceTime: null,
  connection: 'connecting',
  refusal: null,
  critical: [],
  criticalSeen: null,
  apply(u, fresh) {
    const { snapshot: cur, wanted } = get();
    // After a drill-down, an update for the previous scope can still be on the wire (sent
    // before the server saw the new join): it must not paint the old scope under new crumbs.
    if (u.overview.scope !== wanted.scope || (wanted.date && u.overview.date !== wanted.date)) return 'ignored';
    // A fresh snapshot (after join or reconnect) replaces whatever was there; an update must
    // be newer than what is shown.
    if (
      !fresh &&
      cur &&
      cur.overview.scope === u.overview.scope &&
      cur.overview.date === u.overview.date &&
      u.version <= cur.version
    )
      return 'ignored';
    // An update without the alert groups takes those shown, when they are the ones it refers to.
    const s = fresh ? (u as PushedSnapshot) : withHeldGroups(cur, u);
    if (!s) return 'rejoin';
    // A curve pushed since (see curve()) is newer than the one this update was computed with.
    const keepCurve = !fresh && cur && cur.overview.scope === s.overview.scope && cur.curve_at > s.curve_at;
    const newest = keepCurve ? { ...s, minutes: cur.minutes, curve_at: cur.curve_at } : s;
    const same = cur && cur.overview.scope === s.overview.scope && cur.overview.date === s.overview.date;
    const next = same ? replaceEqualDeep(cur, newest) : newest;
    const now = Date.now();
    set({
      snapshot: next,
      receivedAt: now,
      serviceTime: laterServiceTime(get().serviceTime, Date.parse(s.overview.computed_at), now),
      ...criticalAfter(get(), next),
    });
    return 'applied';
  },
  curve(c) {
    const cur = get().snapshot;
    if (!cur || cur.overview.scope !== c.scope || cur.overview.date !== c.date || c.at < cur.curve_at) return;
    const minutes = [...cur.minutes.filter((p) => p.minute < c.from), ...c.minutes];
    set({ snapshot: { ...cur, minutes, curve_at: c.at } });
  },
  notice(n) {
    const cur = get().snapshot;
    if (!cur) return;
    const known = cur.notices.some((x) => x.notice_id === n.notice_id);
    // Leaders receive every notice of the city (the escalation channel), whatever they watch.
    // A notice already listed is updated in place; a new one is added only on the city wall,
    // where every school belongs. Elsewhere the server's next update (it marks the scope's
    // room dirty) brings the scope's own notices within a debounce.
    if (!known && cur.overview.scope !== 'city') return;
    const others = cur.notices.filter((x) => x.notice_id !== n.notice_id);
    // A closed notice stays: the wall's panel counts the day's 销号 (the server's next update
    // drops those of other days).
    set({ snapshot: { ...cur, notices: [n, ...others] } });
  },
  setConnection(connection, refusal = null) {
    set({ connection, refusal });
  },
  dismissCritical(key) {
    set({ critical: get().critical.filter((g) => g.key !== key) });
  },
  want(wanted) {
    set({ wanted, snapshot: null, receivedAt: 0, critical: [], criticalSeen: null });
  },
  reset() {
    set({ snapshot: null, receivedAt: 0, critical: [], criticalSeen: null });
  },
}));

const MAX_CRITICAL = 5;

/**
 * The pop-up queue after a snapshot: critical groups whose key is new since the previous
 * snapshot join it (none on the scope's first snapshot: those were there before the wall
 * was); queued ones follow their group's latest state, and leave when it is gone.
 */
function criticalAfter(
  st: Pick<LiveState, 'critical' | 'criticalSeen'>,
  s: PushedSnapshot,
): Pick<LiveState, 'critical' | 'criticalSeen'> {
  // A snapshot cached by an older server may lack the groups.
  const groups = (s.alert_groups ?? []).filter((g) => g.severity === 'critical');
  const byKey = new Map(groups.map((g) => [g.key, g]));
  const seen = new Set(st.criticalSeen ?? groups.map((g) => g.key));
  const queued = st.critical.flatMap((g) => byKey.get(g.key) ?? []);
  const fresh = groups.filter((g) => !seen.has(g.key) && !queued.some((q) => q.key === g.key));
  return { critical: [...queued, ...fresh].slice(-MAX_CRITICAL), criticalSeen: [...byKey.keys()] };
}
