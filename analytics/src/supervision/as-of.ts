import { toShanghaiRfc3339 } from '../contract/time.ts';
import type { Notice } from '../live/protocol.ts';
import { deriveLoop } from './loop.ts';
import type { LoopRows } from './loop-rows.ts';

// Replay (contract v1.1 `at`): the 督办 notices as they stood at a past moment, derived by the
// loop's own rules (deriveLoop) from the school events and bureau decisions known by then, so a
// notice closed at 17:00 shows as submitted at 16:30, and its overdue flag is judged at that moment.

/** The notices issued by `t` (epoch ms), each with its state, flag and submissions at `t`. */
export function noticesAsOf(notices: readonly Notice[], rows: LoopRows, t: number): Notice[] {
  const out: Notice[] = [];
  for (const n of notices) {
    const issued = Date.parse(n.ts);
    if (!(issued <= t)) continue;
    const r = deriveLoop(
      {
        notice_id: n.notice_id,
        ts_ms: issued,
        issuer_id: n.issuer_id,
        content: n.content,
        deadline_ms: n.deadline ? Date.parse(n.deadline) : 0,
      },
      (rows.events.get(n.notice_id) ?? []).filter((e) => e.ts_ms <= t),
      (rows.decisions.get(n.notice_id) ?? []).filter((d) => d.ts_ms <= t),
      t,
    );
    out.push({
      ...n,
      state: r.state,
      state_at: toShanghaiRfc3339(r.state_ms),
      overdue: r.overdue,
      submissions: r.submissions,
    });
  }
  return out;
}
