import type { AlertRule } from '@edu/analytics';
import { ANOMALY_KINDS, type Anomaly } from '@edu/ingest/simulator';
import type { RuleTiming } from './engine.ts';
import { isTransient, type RuleScore, type ScoreOptions, type SeenAlert } from './score.ts';

// The benchmark's printed figures: the per-rule table (markdown, for the README), the ledger
// by kind, and what explains the misses and the false alerts.

const MIN = 60_000;
const hhmm = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(11, 16);
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(x === 1 || x === 0 ? 0 : 1)}%`);

export function duration(ms: number | null): string {
  if (ms === null) return '—';
  const s = Math.round(ms / 1000);
  const sign = s < 0 ? '−' : '';
  const a = Math.abs(s);
  return a < 60 ? `${sign}${a} s` : `${sign}${Math.floor(a / 60)} min ${String(a % 60).padStart(2, '0')} s`;
}

/** The delay target of a rule: its pending period + 60 s. */
export function delayTargetMs(t: RuleTiming): number {
  return (t.pendingMinutes * 60 + 60) * 1000;
}

export function ruleTable(
  scores: readonly RuleScore[],
  timings: Record<AlertRule, RuleTiming>,
  peakByRule: Partial<Record<AlertRule, number>>,
  peakLines: number,
): string {
  const rows = [
    '| rule | injected | alerted | true | precision | recall | median delay (max) | median delay to the wall | threshold + pending | target: pending + 60 s | peak wall lines |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of scores) {
    const t = timings[s.rule];
    const transient = s.transient > 0 ? ` (+${s.transient} transient, ${s.transientAlerted} alerted)` : '';
    const wall =
      s.onWall === s.caught ? duration(s.medianWallDelayMs) : `${duration(s.medianWallDelayMs)} (${s.onWall} shown)`;
    const pending = `${t.pendingMinutes} min`;
    rows.push(
      `| ${s.rule} | ${s.injected}${transient} | ${s.alerted} | ${s.truePositives} | ${pct(s.precision)} | ${pct(s.recall)} | ${duration(s.medianDelayMs)} (${duration(s.maxDelayMs)}) | ${wall} | ${t.thresholdMinutes} min + ${pending} | ${duration(delayTargetMs(t))} | ${peakByRule[s.rule] ?? 0} |`,
    );
  }
  const all = scores.reduce(
    (n, s) => ({
      injected: n.injected + s.injected,
      caught: n.caught + s.caught,
      alerted: n.alerted + s.alerted,
      tp: n.tp + s.truePositives,
    }),
    { injected: 0, caught: 0, alerted: 0, tp: 0 },
  );
  rows.push(
    `| **all rules** | ${all.injected} | ${all.alerted} | ${all.tp} | ${pct(all.alerted ? all.tp / all.alerted : null)} | ${pct(all.injected ? all.caught / all.injected : null)} | | | | | **${peakLines}** |`,
  );
  return rows.join('\n');
}

/**
 * Did each rule meet the issue's targets: recall 100%, precision ≥ 95%, median delay ≤ pending
 * + 60 s (and, since the anomaly's time is its own, whether it is within threshold + pending + 60 s).
 */
export function verdicts(scores: readonly RuleScore[], timings: Record<AlertRule, RuleTiming>): string[] {
  return scores.map((s) => {
    const misses: string[] = [];
    if (s.recall !== null && s.recall < 1) misses.push(`recall ${pct(s.recall)} (${s.injected - s.caught} missed)`);
    if (s.precision !== null && s.precision < 0.95)
      misses.push(`precision ${pct(s.precision)} (${s.alerted - s.truePositives} false)`);
    const t = timings[s.rule];
    const target = delayTargetMs(t);
    if (s.medianDelayMs !== null && s.medianDelayMs > target) {
      const withThreshold = target + t.thresholdMinutes * 60_000;
      const note =
        t.thresholdMinutes > 0
          ? ` (threshold ${t.thresholdMinutes} min + pending + 60 s = ${duration(withThreshold)}: ${s.medianDelayMs <= withThreshold ? 'within' : 'beyond'})`
          : '';
      misses.push(`median delay ${duration(s.medianDelayMs)} > ${duration(target)}${note}`);
    }
    return `${s.rule}: ${misses.length ? `missed — ${misses.join('; ')}` : 'targets met'}`;
  });
}

export function kindTable(
  anomalies: readonly Anomaly[],
  caughtIds: ReadonlySet<string>,
  options: ScoreOptions,
): string {
  const rows = ['| anomaly kind | rule | injected | transient | caught |', '|---|---|---:|---:|---:|'];
  for (const kind of ANOMALY_KINDS) {
    const mine = anomalies.filter((a) => a.kind === kind);
    const transient = mine.filter((a) => isTransient(a, options)).length;
    const caught = mine.filter((a) => caughtIds.has(a.id)).length;
    rows.push(
      `| ${kind} | ${mine[0]?.rule ?? (mine.length ? 'none' : '')} | ${mine.length} | ${transient || ''} | ${mine[0]?.rule ? caught : '—'} |`,
    );
  }
  return rows.join('\n');
}

/** When the false alerts opened (per hour of the simulated day) and a few of them to read. */
export function falseAlertLines(
  s: RuleScore,
  details: ReadonlyMap<string, { title: string; detail: string }>,
  samples = 3,
): string[] {
  if (s.falsePositives.length === 0) return [];
  const byHour = new Map<string, number>();
  for (const a of s.falsePositives) {
    const h = `${hhmm(a.opened).slice(0, 2)}h`;
    byHour.set(h, (byHour.get(h) ?? 0) + 1);
  }
  const out = [
    `  ${s.rule}: ${s.falsePositives.length} false — opened ${[...byHour].map(([h, n]) => `${h} ${n}`).join(', ')}`,
  ];
  for (const a of s.falsePositives.slice(0, samples)) {
    const d = details.get(a.id);
    out.push(`    ${hhmm(a.opened)} ${a.subject_id}: ${d ? `${d.title} — ${d.detail}` : ''}`);
  }
  return out;
}

export function missLines(s: RuleScore, samples = 3): string[] {
  if (s.missed.length === 0) return [];
  const byKind = new Map<string, number>();
  for (const a of s.missed) byKind.set(a.kind, (byKind.get(a.kind) ?? 0) + 1);
  const out = [`  ${s.rule}: ${s.missed.length} missed — ${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}`];
  for (const a of s.missed.slice(0, samples)) {
    const lasted = a.until !== undefined ? `, ended by itself after ${Math.round((a.until - a.at) / MIN)} min` : '';
    out.push(`    ${hhmm(a.at)} ${a.kind} ${a.subject_id}${lasted}${a.note ? ` (${a.note})` : ''}`);
  }
  return out;
}

export function caughtIdsOf(anomalies: readonly Anomaly[], alerts: readonly SeenAlert[]): Set<string> {
  const keys = new Set(alerts.map((a) => `${a.rule}\u0000${a.subject_id}`));
  const out = new Set<string>();
  for (const a of anomalies) {
    if (!a.rule) continue;
    if ([a.subject_id, ...a.refs].some((k) => keys.has(`${a.rule}\u0000${k}`))) out.add(a.id);
  }
  return out;
}

export { hhmm, pct };
