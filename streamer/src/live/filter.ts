import { parseScope, scopeContainsSchool, type Scope, type Snapshot } from '@edu/analytics';
import { countAlerts } from '../alerts/book.ts';
import { canSeeItem, type User } from '../auth/user.ts';

/** A snapshot as one user may see it: alerts and notices of their dimensions and districts only. */
export function snapshotFor(user: User, s: Snapshot): Snapshot {
  if (user.role !== 'staff') return s;
  const alerts = s.alerts.filter((a) => canSeeItem(user, a.dimension, a.district_id));
  const notices = s.notices.filter((n) => user.dimensions.includes(n.dimension));
  return {
    ...s,
    alerts,
    alert_counts: countAlerts(alerts),
    notices,
    children: s.children.map((c) => {
      const scope = parseScope(c.scope) as Scope;
      return { ...c, alerts: countAlerts(alerts.filter((a) => scopeContainsSchool(scope, a))) };
    }),
  };
}
