import {
  alertOfDay,
  alertsAsOf,
  loadLoopRows,
  momentOfAt,
  noticesAsOf,
  shanghaiMidnight,
  groupAlerts,
  onWall,
  rank,
  scopeContainsSchool,
  shanghaiDay,
  total,
  totalDue,
  type Alert,
  type AlertGroup,
  type ChildSummary,
  type Notice,
  type RankedMetric,
  type Rankings,
  type Scope,
  type SchoolMetrics,
  type Snapshot,
  type MetricsReader,
  type Store,
} from '@edu/analytics';
import { RANK_BY, RANKED_METRICS } from '@edu/analytics/live';
import { countAlerts } from '../alerts/book.ts';
import type { Geography } from '../geo.ts';
import { checkinMinutes, type MinuteCurve } from './minutes.ts';

// One screen's full state for a scope and day. Alerts and notices here are all of the scope;
// each socket gets them filtered to its user's dimensions (hub.ts).

export interface SnapshotInputs {
  store: Store;
  reader: MetricsReader;
  geo: Geography;
  alerts: readonly Alert[];
  notices: readonly Notice[];
  now: number;
  /** A live room's curve (of this scope and day), as last drawn; without it, the whole day is read. */
  curve?: MinuteCurve;
}

export function alertsInScope(alerts: readonly Alert[], scope: Scope, day: string): Alert[] {
  return alerts.filter(
    (a) => scopeContainsSchool(scope, a) && (a.state !== 'resolved' || (a.resolved_at ?? '').slice(0, 10) >= day),
  );
}

/**
 * The wall's alert panel for a scope and day: its active alerts on the wall (学生未签退 only
 * once escalated, except on the school's own wall), grouped by analytics' groupAlerts. A
 * timetable rule's alert of another day stays in the console's list, not on this day's wall:
 * yesterday's leftovers must not open today's afternoon in red.
 */
export function alertGroupsFor(alerts: readonly Alert[], scope: Scope, geo: Geography, day?: string): AlertGroup[] {
  return groupAlerts(
    alerts.filter((a) => onWall(a, scope.kind) && (day === undefined || alertOfDay(a.rule, a.id, day))),
    { districtName: (id) => geo.districts.get(id)?.name ?? '' },
  );
}

/**
 * The scope's notices for the wall's 督办事项 panel: every unclosed one, and those closed on `day`
 * (so the panel counts the day's 销号; without `day`, none closed).
 */
export function noticesInScope(notices: readonly Notice[], scope: Scope, geo: Geography, day?: string): Notice[] {
  return notices.filter((n) => {
    if (n.state === 'closed' && (day === undefined || shanghaiDay(Date.parse(n.state_at)) !== day)) return false;
    if (n.target_type !== 'school') return scope.kind === 'city';
    return scopeContainsSchool(scope, geo.placeOfSchool(n.target_id));
  });
}

function children(
  scope: Scope,
  schools: readonly SchoolMetrics[],
  geo: Geography,
  alerts: readonly Alert[],
  dueAt: string,
): ChildSummary[] {
  type Child = {
    scope: string;
    name: string;
    match: (s: { school_id: string; zone_id: string; district_id: string }) => boolean;
  };
  let list: Child[] = [];
  if (scope.kind === 'city') {
    list = [...geo.districts.values()].map((d) => ({
      scope: `district:${d.id}`,
      name: d.name,
      match: (s) => s.district_id === d.id,
    }));
  } else if (scope.kind === 'district') {
    list = [...geo.zones.values()]
      .filter((z) => z.district_id === scope.id)
      .map((z) => ({ scope: `zone:${z.id}`, name: z.name, match: (s) => s.zone_id === z.id }));
  } else if (scope.kind === 'zone') {
    list = schools.map((s) => ({
      scope: `school:${s.school.school_id}`,
      name: s.school.name,
      match: (x) => x.school_id === s.school.school_id,
    }));
  }
  return list
    .sort((a, b) => (a.scope < b.scope ? -1 : 1))
    .map((c) => {
      const mine = schools.filter((s) => c.match(s.school));
      return {
        scope: c.scope,
        name: c.name,
        metrics: total(mine),
        due: totalDue(mine, dueAt),
        alerts: countAlerts(alerts.filter((a) => c.match(a))),
      };
    });
}

export async function buildSnapshot(
  inp: SnapshotInputs,
  scope: Scope,
  day: string,
  version: number,
): Promise<Snapshot> {
  const [{ overview, schools }, minutes] = await Promise.all([
    inp.reader.live(scope, day, inp.now),
    inp.curve ? inp.curve.read(inp.now) : checkinMinutes(inp.store, scope, day),
  ]);
  const curveAt = inp.curve ? inp.curve.drawnAtMs : Date.now();
  return assemble(inp, scope, day, version, {
    overview,
    schools,
    minutes,
    curveAt,
    alerts: inp.alerts,
    notices: inp.notices,
  });
}

/**
 * The wall's state at a past moment (replay, contract v1.1 `at` = HH:MM of `day`): the figures
 * and rankings as the read API gives them with that `at`, the curve up to it, and the alerts and
 * notices as they stood then (analytics' alertsAsOf, noticesAsOf). `inp.alerts` is unused: the
 * alerts come from their versioned log.
 */
export async function buildSnapshotAt(inp: SnapshotInputs, scope: Scope, day: string, at: string): Promise<Snapshot> {
  const t = momentOfAt(day, at);
  const [hh, mm] = at.split(':').map(Number) as [number, number];
  const [{ overview, schools }, minutes, alerts, loop] = await Promise.all([
    inp.reader.overview(scope, day, inp.now, at),
    checkinMinutes(inp.store, scope, day, 0, hh * 60 + mm),
    alertsAsOf(inp.store, t, shanghaiMidnight(day)),
    loadLoopRows(inp.store, t - LOOP_LOOKBACK_MS),
  ]);
  return assemble(inp, scope, day, 0, {
    overview,
    schools,
    minutes,
    curveAt: t,
    alerts,
    notices: noticesAsOf(inp.notices, loop, t),
  });
}

/** How far back a replayed notice's loop events are read (the notice book keeps 30 days too). */
const LOOP_LOOKBACK_MS = 30 * 86_400_000;

interface Parts {
  overview: Snapshot['overview'];
  schools: SchoolMetrics[];
  minutes: Snapshot['minutes'];
  curveAt: number;
  alerts: readonly Alert[];
  notices: readonly Notice[];
}

function assemble(inp: SnapshotInputs, scope: Scope, day: string, version: number, p: Parts): Snapshot {
  const rankings = {} as Record<RankedMetric, Rankings>;
  for (const m of RANKED_METRICS)
    rankings[m] = { top: rank(p.schools, RANK_BY[m], 'top', 10), bottom: rank(p.schools, RANK_BY[m], 'bottom', 10) };
  const alerts = alertsInScope(p.alerts, scope, day);
  return {
    version,
    curve_at: p.curveAt,
    overview: p.overview,
    rankings,
    children: children(scope, p.schools, inp.geo, alerts, p.overview.due.at),
    minutes: p.minutes,
    alerts,
    alert_counts: countAlerts(alerts),
    alert_groups: alertGroupsFor(alerts, scope, inp.geo, day),
    notices: noticesInScope(p.notices, scope, inp.geo, day),
  };
}
