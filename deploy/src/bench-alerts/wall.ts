import { onWall, type Alert, type AlertRule } from '@edu/analytics';

// The lines on the city wall, as a leader's screen receives them: one line per alert group
// (rule × district, issue 10) when the snapshot carries groups, else one line per alert not
// resolved (the wall before grouping).

export interface WallState {
  /** Lines on the wall. */
  lines: number;
  /** Lines per rule. */
  byRule: Partial<Record<AlertRule, number>>;
  /** Alerts those lines stand for. */
  alerts: number;
  /** Whether the lines are groups (true) or single alerts (false). */
  grouped: boolean;
}

interface GroupLike {
  rule?: AlertRule;
  count?: number;
  members?: readonly { id: string }[];
}

type WallSnapshot = { alerts?: readonly Alert[]; alert_groups?: readonly GroupLike[] };

/** What a snapshot (or update) puts on the wall. */
export function wallOf(snapshot: WallSnapshot): WallState {
  const byRule: Partial<Record<AlertRule, number>> = {};
  const groups = snapshot.alert_groups;
  if (groups) {
    let alerts = 0;
    for (const g of groups) {
      if (g.rule) byRule[g.rule] = (byRule[g.rule] ?? 0) + 1;
      alerts += g.count ?? g.members?.length ?? 1;
    }
    return { lines: groups.length, byRule, alerts, grouped: true };
  }
  const open = (snapshot.alerts ?? []).filter((a) => a.state !== 'resolved');
  for (const a of open) byRule[a.rule] = (byRule[a.rule] ?? 0) + 1;
  return { lines: open.length, byRule, alerts: open.length, grouped: false };
}

/**
 * The alerts a snapshot puts on the city wall: every active one, except those of a rule that
 * goes to its school first (学生未签退) before their escalation — analytics' own onWall. (A
 * group line carries only its first members; the snapshot's `alerts` has them all.)
 */
export function alertIdsOnWall(snapshot: WallSnapshot): string[] {
  return (snapshot.alerts ?? []).filter((a) => onWall(a, 'city')).map((a) => a.id);
}

export interface WallSample extends WallState {
  /** Simulated epoch ms. */
  at: number;
}

/** Every wall state seen; peaks overall and per rule, and a coarse series for printing. */
export class WallTracker {
  readonly samples: WallSample[] = [];
  /** Alert id → when the wall first showed it. */
  readonly firstShown = new Map<string, number>();

  /** A snapshot received at `at` (simulated ms). */
  add(at: number, snapshot: WallSnapshot): void {
    this.samples.push({ at, ...wallOf(snapshot) });
    for (const id of alertIdsOnWall(snapshot)) if (!this.firstShown.has(id)) this.firstShown.set(id, at);
  }

  get last(): WallSample | undefined {
    return this.samples[this.samples.length - 1];
  }

  peak(): WallSample | undefined {
    let best: WallSample | undefined;
    for (const s of this.samples) if (!best || s.lines > best.lines) best = s;
    return best;
  }

  /** Peak of each rule's own lines (each at its own moment). */
  peakByRule(): Partial<Record<AlertRule, number>> {
    const out: Partial<Record<AlertRule, number>> = {};
    for (const s of this.samples)
      for (const [rule, n] of Object.entries(s.byRule) as [AlertRule, number][])
        out[rule] = Math.max(out[rule] ?? 0, n);
    return out;
  }

  /** The wall's most lines within each step (simulated ms) from `from` to `to`; a state lasts until the next one. */
  series(from: number, to: number, stepMs: number): { at: number; lines: number; alerts: number }[] {
    const out: { at: number; lines: number; alerts: number }[] = [];
    let i = 0;
    let current: WallSample | undefined;
    for (let t = from; t < to; t += stepMs) {
      while (i < this.samples.length && (this.samples[i] as WallSample).at < t) current = this.samples[i++];
      let lines = current?.lines ?? 0;
      let alerts = current?.alerts ?? 0;
      while (i < this.samples.length && (this.samples[i] as WallSample).at < t + stepMs) {
        current = this.samples[i++] as WallSample;
        lines = Math.max(lines, current.lines);
        alerts = Math.max(alerts, current.alerts);
      }
      out.push({ at: t, lines, alerts });
    }
    return out;
  }
}
