import { toShanghaiRfc3339, type InboundType } from '@edu/analytics';

// The CLI's progress on stderr: one line rewritten in place on a terminal, a plain line every
// few seconds otherwise (logs, CI), so that a piped run does not fill a file with updates.

export interface ProgressState {
  phase: string;
  sent: number;
  byType: Partial<Record<InboundType, number>>;
  simTime?: number;
}

export interface ProgressOutput {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const LABELS: Partial<Record<InboundType, string>> = {
  session_scheduled: 'sched',
  session_cancelled: 'cancel',
  class_started: 'start',
  class_ended: 'end',
  class_report: 'report',
  offering_submitted: 'offering',
  material_published: 'material',
  budget_submitted: 'budget',
};

export function formatProgress(s: ProgressState, perSecond: number): string {
  const clock = s.simTime === undefined ? '' : ` ${toShanghaiRfc3339(s.simTime).slice(0, 19).replace('T', ' ')}`;
  const types = Object.entries(s.byType)
    .sort((a, b) => b[1] - a[1])
    .map(([t, n]) => `${LABELS[t as InboundType] ?? t} ${n.toLocaleString('en-US')}`)
    .join(' · ');
  return `[${s.phase}${clock}] ${s.sent.toLocaleString('en-US')} sent, ${Math.round(perSecond).toLocaleString('en-US')} ev/s | ${types}`;
}

export class ProgressDisplay {
  private state: ProgressState = { phase: 'start', sent: 0, byType: {} };
  private samples: { t: number; sent: number }[] = [];
  private readonly timer: NodeJS.Timeout;
  private lastLine = -Infinity;
  private updated = false;

  constructor(
    private readonly out: ProgressOutput,
    private readonly options: { intervalMs?: number; plainEveryMs?: number; now?: () => number } = {},
  ) {
    this.timer = setInterval(() => this.updated && this.render(false), options.intervalMs ?? 250);
    this.timer.unref();
  }

  update(state: ProgressState): void {
    this.state = state;
    this.updated = true;
  }

  /** Events per second over the last two seconds. */
  private rate(now: number): number {
    this.samples.push({ t: now, sent: this.state.sent });
    while (this.samples.length > 2 && (this.samples[0] as { t: number }).t < now - 2000) this.samples.shift();
    const first = this.samples[0] as { t: number; sent: number };
    return now > first.t ? ((this.state.sent - first.sent) * 1000) / (now - first.t) : 0;
  }

  private render(final: boolean): void {
    const now = (this.options.now ?? Date.now)();
    const line = formatProgress(this.state, this.rate(now));
    if (this.out.isTTY) {
      // A pseudo-terminal may report 0 columns: fall back to a common width.
      const columns = this.out.columns !== undefined && this.out.columns > 20 ? this.out.columns : 120;
      const width = columns - 1;
      this.out.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}${final ? '\n' : ''}`);
    } else if (final || now - this.lastLine >= (this.options.plainEveryMs ?? 10_000)) {
      this.lastLine = now;
      this.out.write(`${line}\n`);
    }
  }

  /** Writes a message on its own line without garbling the progress line. */
  log(message: string): void {
    this.out.write(this.out.isTTY ? `\r\x1b[2K${message}\n` : `${message}\n`);
  }

  /** Renders the final state (if there was any) and stops updating. */
  finish(): void {
    clearInterval(this.timer);
    if (this.updated) this.render(true);
    this.updated = false;
  }
}
