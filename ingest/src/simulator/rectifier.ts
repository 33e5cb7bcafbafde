import type { InboundEvent, SupervisionEvent } from '@edu/analytics';
import { toShanghaiRfc3339 } from '@edu/analytics';
import type { Clock } from './clock.ts';
import { unit } from './rng.ts';
import type { Sink } from './sinks.ts';

// The schools' side of 督办 (contract v1.1, edu.rectification.v1): the simulator reads the
// bureau's notices (from Kafka, or the in-process publisher on the embedded default), signs for
// each within minutes (notice_received) and submits a rectification within hours
// (rectification_submitted), some after the deadline; a notice returned (退回重改) is submitted
// again, once more within hours. Times are the simulated city's: events are sent when the clock
// reaches them, stamped with that moment, through the same sink (validation, ingest) as the rest.
// Deterministic: the seed and the notice id decide every delay, and event ids derive from the
// notice, so a notice delivered twice is answered once and a redelivery stores nothing new.

export const RECTIFICATION_TIMING = {
  /** 签收: this many simulated minutes after the notice, uniformly. */
  receiveMinutes: [2, 15] as const,
  /** 整改反馈: this many simulated hours after the notice (or the return), uniformly. */
  submitHours: [1, 6] as const,
  /** Of the notices with a deadline: the share whose rectification comes after it. */
  lateShare: 0.2,
  /** A late rectification: this many simulated hours after the deadline, uniformly. */
  lateHours: [0.5, 4] as const,
  /** Of the submissions: the share the school's system delivers twice (same event id). */
  redeliveredShare: 0.05,
};

interface Pending {
  due: number;
  event: InboundEvent;
}

export interface Rectifier {
  /** Feed every event of edu.supervision.v1; those not about a school's notice are ignored. */
  observe(e: SupervisionEvent): void;
  /** Events scheduled and not yet sent. */
  pending(): number;
  /** Events sent so far. */
  sent(): number;
  stop(): Promise<void>;
}

export interface RectifierOptions {
  clock: Clock;
  sink: Sink;
  seed: number;
  /** How often (real ms) the schedule is looked at; default 1000. */
  tickMs?: number;
  /** Called with a send that failed (the events stay scheduled and are retried). */
  onError?: (err: unknown) => void;
}

export function startRectifier(o: RectifierOptions): Rectifier {
  const queue: Pending[] = [];
  const notices = new Map<string, SupervisionEvent>();
  const rounds = new Map<string, number>();
  const decisions = new Set<string>();
  let sent = 0;
  let busy = false;
  const between = (range: readonly [number, number], ...key: (string | number)[]) =>
    range[0] + (range[1] - range[0]) * unit(o.seed, ...key);
  const schedule = (due: number, event: InboundEvent) => {
    queue.push({ due, event });
    queue.sort((a, b) => a.due - b.due);
  };
  const base = (n: SupervisionEvent) => ({
    notice_id: n.notice_id,
    // The notice's school: its target when a school; otherwise none (contract: absent).
    ...(n.target_type === 'school' ? { school_id: n.target_id } : {}),
  });
  const submit = (n: SupervisionEvent, from: number, round: number) => {
    const deadline = n.deadline ? Date.parse(n.deadline) : 0;
    const late = deadline > 0 && round === 0 && unit(o.seed, n.notice_id, 'late') < RECTIFICATION_TIMING.lateShare;
    const due = late
      ? deadline + between(RECTIFICATION_TIMING.lateHours, n.notice_id, 'late-h') * 3600_000
      : from + between(RECTIFICATION_TIMING.submitHours, n.notice_id, 'submit', round) * 3600_000;
    const event = {
      id: `rect.${n.notice_id}.s${round}`,
      type: 'rectification_submitted',
      ts: '',
      ...base(n),
      submission_id: `${n.notice_id}.s${round}`,
      content:
        round === 0
          ? '已按督办要求完成整改：问题已逐项核实并落实责任人，相关制度已补充完善。'
          : '已按退回意见重新整改，补充了整改前后的对比材料。',
      attachments: [
        {
          name: round === 0 ? '整改报告.pdf' : '补充整改材料.pdf',
          url: `https://files.example/${n.notice_id}/s${round}.pdf`,
        },
      ],
    } as InboundEvent;
    schedule(Math.round(due), event);
    if (unit(o.seed, n.notice_id, 'dup', round) < RECTIFICATION_TIMING.redeliveredShare)
      schedule(Math.round(due) + 60_000, event);
  };

  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const now = o.clock.now();
      const due: Pending[] = [];
      while (queue.length > 0 && (queue[0] as Pending).due <= now) due.push(queue.shift() as Pending);
      if (due.length === 0) return;
      const events = due.map((p) => ({ ...p.event, ts: toShanghaiRfc3339(p.due) }) as InboundEvent);
      try {
        await o.sink.send(events);
        sent += events.length;
      } catch (err) {
        for (const p of due) schedule(p.due, p.event);
        o.onError?.(err);
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), o.tickMs ?? 1000);
  timer.unref();

  return {
    observe(e) {
      if (e.type === 'notice_issued') {
        if (notices.has(e.notice_id)) return;
        notices.set(e.notice_id, e);
        const issued = Date.parse(e.ts);
        schedule(Math.round(issued + between(RECTIFICATION_TIMING.receiveMinutes, e.notice_id, 'receive') * 60_000), {
          id: `rect.${e.notice_id}.r`,
          type: 'notice_received',
          ts: '',
          ...base(e),
          receiver_id: `${e.target_id}-office`,
        } as InboundEvent);
        submit(e, issued, 0);
      } else if (e.decision === 'returned') {
        const n = notices.get(e.subject_id);
        // One answer per return, however often the return is delivered.
        if (!n || decisions.has(e.notice_id)) return;
        decisions.add(e.notice_id);
        const round = (rounds.get(n.notice_id) ?? 0) + 1;
        rounds.set(n.notice_id, round);
        submit(n, Date.parse(e.ts), round);
      }
    },
    pending: () => queue.length,
    sent: () => sent,
    async stop() {
      clearInterval(timer);
      await tick();
    },
  };
}
