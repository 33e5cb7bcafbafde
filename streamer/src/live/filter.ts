import {
  groupsFor,
  parseScope,
  scopeContainsSchool,
  type Alert,
  type PushedSnapshot,
  type Scope,
  type Snapshot,
} from '@edu/analytics';
import { countAlerts } from '../alerts/book.ts';
import { canSeeItem, type User } from '../auth/user.ts';

/**
 * A snapshot as one user may see it: alerts (and the wall's alert groups, regrouped) and notices
 * of their dimensions and districts only.
 */
export function snapshotFor(user: User, s: Snapshot): Snapshot {
  if (user.role !== 'staff') return s;
  const visible = (a: Alert) => canSeeItem(user, a.dimension, a.district_id);
  const alerts = s.alerts.filter(visible);
  const notices = s.notices.filter((n) => user.dimensions.includes(n.dimension));
  return {
    ...s,
    alerts,
    alert_counts: countAlerts(alerts),
    alert_groups: groupsFor(s, (parseScope(s.overview.scope) as Scope).kind, visible),
    notices,
    children: s.children.map((c) => {
      const scope = parseScope(c.scope) as Scope;
      return { ...c, alerts: countAlerts(alerts.filter((a) => scopeContainsSchool(scope, a))) };
    }),
  };
}

/** What a screen of this user is pushed: their view of the snapshot, without the full alert list. */
export function pushedFor(user: User, s: Snapshot): PushedSnapshot {
  const { alerts: _alerts, ...pushed } = snapshotFor(user, s);
  return pushed;
}
