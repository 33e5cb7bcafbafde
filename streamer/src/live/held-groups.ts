import { createHash } from 'node:crypto';
import type { AlertGroup, PushedSnapshot, PushedUpdate } from '@edu/analytics';

// Updates without the alert groups a screen holds already (issue 13: send only what changed).
// At a city's afternoon the groups are most of an update (PushedUpdate), sent to every wall on
// every push, while they change only when an alert does. Each room remembers, per permission view,
// the version of the push in which that view's groups last changed (`alert_groups_at`); each
// socket remembers the `alert_groups_at` it was last sent. A socket holding the current ones
// is sent the update without them; any other (just joined, another view before, a frame lost)
// the whole update. The screen checks the version it holds (withHeldGroups) and joins again
// when it does not match, so a wrong guess here costs a snapshot, never wrong groups.

/** A room's groups per permission view: a digest of what was pushed, and since which version. */
export class ViewGroups {
  private readonly views = new Map<string, { digest: string; at: number }>();

  /** The `alert_groups_at` of this view's groups in the push of `version`. */
  at(view: string, groups: readonly AlertGroup[], version: number): number {
    // A digest, not the JSON: a room keeps one per view, and a city's groups are ~100 KB.
    const digest = createHash('sha1').update(JSON.stringify(groups)).digest('base64');
    const last = this.views.get(view);
    if (last?.digest === digest) return last.at;
    this.views.set(view, { digest, at: version });
    return version;
  }
}

/** The update of one view as whole and as slim (without the groups), for the sockets that hold them. */
export function updateFrames(payload: PushedSnapshot, at: number): { whole: PushedSnapshot; slim: PushedUpdate } {
  const whole = { ...payload, alert_groups_at: at };
  const { alert_groups: _groups, ...slim } = whole;
  return { whole, slim };
}
