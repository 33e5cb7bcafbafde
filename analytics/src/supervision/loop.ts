import { NOTICE_STATES, type LoopStep, type Notice, type NoticeCounts, type NoticeState } from '../live/protocol.ts';

export { NOTICE_STATES };
import { toShanghaiRfc3339 } from '../contract/time.ts';

// The 督办 loop (contract v1.1), defined once: a notice's state is derived from what is stored —
// the notice (supervision_log), the schools' receipts and rectifications (rectifications, 014)
// and the bureau's `closed` / `returned` decisions (supervision_log, subject_id = the notice) —
// never kept as a mutable field. So the same events give the same state on every instance and
// after every restart, an event delivered twice or out of order changes nothing it should not,
// and nothing is dropped: odd events become steps with notes.
//
//   issued → received → submitted → closed
//                       submitted → returned → submitted …
//
// Order: the notice first (a step can only follow a notice that exists), then every other
// event by its source time (ties: event id), except that a decision waits for the submission
// it judged (see `held`). A step's time before the notice's is noted `before_notice` but still
// applied (a school's clock may be off; its submission still counts).

/** A school-side event as stored (one row per event id). */
export interface LoopEventRow {
  id: string;
  ts_ms: number;
  type: 'notice_received' | 'rectification_submitted';
  school_id: string;
  notice_id: string;
  receiver_id: string;
  submission_id: string;
  content: string;
  attachments: { name: string; url: string }[];
}

/** A bureau decision on a notice as published (`notice_id` here is the decision's own id). */
export interface LoopDecisionRow {
  id: string;
  ts_ms: number;
  decision: 'closed' | 'returned';
  issuer_id: string;
  content: string;
}

export interface LoopNotice {
  notice_id: string;
  ts_ms: number;
  issuer_id: string;
  content: string;
  /** 0: no deadline. */
  deadline_ms: number;
}

export interface LoopResult {
  state: NoticeState;
  /** When the state last moved. */
  state_ms: number;
  overdue: boolean;
  submissions: number;
  steps: Omit<LoopStep, 'by_name'>[];
}

/** Whether a notice in `state` is overdue at `nowMs`: not closed by its deadline. */
export function isOverdue(state: NoticeState, deadlineMs: number, nowMs: number): boolean {
  return state !== 'closed' && deadlineMs > 0 && nowMs > deadlineMs;
}

/** Which state each kind of step moves a notice to, from which states. */
const MOVES: Record<Exclude<NoticeState, 'issued'>, ReadonlySet<NoticeState>> = {
  received: new Set(['issued']),
  // A submission without a receipt implies one; after a return it is the resubmission.
  submitted: new Set(['issued', 'received', 'returned', 'submitted']),
  returned: new Set(['submitted']),
  closed: new Set(['submitted']),
};

type Pending =
  | { kind: 'received' | 'submitted'; ts_ms: number; id: string; ev: LoopEventRow }
  | { kind: 'closed' | 'returned'; ts_ms: number; id: string; dec: LoopDecisionRow };

/** Derives a notice's state, flag and timeline at `nowMs`. */
export function deriveLoop(
  notice: LoopNotice,
  events: readonly LoopEventRow[],
  decisions: readonly LoopDecisionRow[],
  nowMs: number,
): LoopResult {
  const pending: Pending[] = [
    ...events.map((ev) => ({
      kind: ev.type === 'notice_received' ? ('received' as const) : ('submitted' as const),
      ts_ms: ev.ts_ms,
      id: ev.id,
      ev,
    })),
    ...decisions.map((dec) => ({ kind: dec.decision, ts_ms: dec.ts_ms, id: dec.id, dec })),
  ].sort((a, b) => a.ts_ms - b.ts_ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  let state: NoticeState = 'issued';
  let stateMs = notice.ts_ms;
  const seenSubmissions = new Set<string>();
  const steps: LoopResult['steps'] = [
    {
      kind: 'issued',
      at: toShanghaiRfc3339(notice.ts_ms),
      event_id: notice.notice_id,
      by_id: notice.issuer_id,
      content: notice.content,
      notes: [],
    },
  ];
  const apply = (p: Pending) => {
    const notes: LoopStep['notes'] = [];
    if (p.ts_ms < notice.ts_ms) notes.push('before_notice');
    if (notice.deadline_ms > 0 && p.ts_ms > notice.deadline_ms && p.kind !== 'returned') notes.push('late');
    const duplicate = p.kind === 'submitted' && seenSubmissions.has(p.ev.submission_id);
    if (duplicate) notes.push('duplicate');
    const moves = !duplicate && MOVES[p.kind].has(state);
    if (moves) {
      state = p.kind;
      stateMs = Math.max(stateMs, p.ts_ms);
    } else if (!duplicate) notes.push('no_effect');
    if (p.kind === 'submitted') seenSubmissions.add(p.ev.submission_id);
    steps.push(
      'ev' in p
        ? {
            kind: p.kind,
            at: toShanghaiRfc3339(p.ts_ms),
            event_id: p.id,
            by_id: p.ev.receiver_id,
            content: p.ev.content,
            ...(p.kind === 'submitted' ? { submission_id: p.ev.submission_id, attachments: p.ev.attachments } : {}),
            notes,
          }
        : {
            kind: p.kind,
            at: toShanghaiRfc3339(p.ts_ms),
            event_id: p.id,
            by_id: p.dec.issuer_id,
            content: p.dec.content,
            notes,
          },
    );
  };
  // The bureau decides only on a submitted notice (the API refuses otherwise), so a decision
  // met while none is pending was made on a submission whose school clock runs ahead of the
  // bureau's: it is held, in order, and applied right after the next submission.
  const held: Pending[] = [];
  const releaseHeld = () => {
    while (held.length > 0 && state === 'submitted') apply(held.shift() as Pending);
  };
  for (const p of pending) {
    if ('dec' in p && (held.length > 0 || !MOVES[p.kind].has(state))) held.push(p);
    else apply(p);
    releaseHeld();
  }
  // Decisions that never found their submission are still shown.
  for (const p of held) apply(p);
  return {
    state,
    state_ms: stateMs,
    overdue: isOverdue(state, notice.deadline_ms, nowMs),
    submissions: seenSubmissions.size,
    steps,
  };
}

/** Which decisions the bureau may take on a notice in `state` (the API refuses the others). */
export function allowedNoticeDecisions(state: NoticeState): ('closed' | 'returned')[] {
  return state === 'submitted' ? ['closed', 'returned'] : [];
}

/** Notices per state, and how many are overdue: the wall's 督办事项 panel, the page's header. */
export function countNotices(notices: readonly Pick<Notice, 'state' | 'overdue'>[]): NoticeCounts {
  const counts = {
    ...(Object.fromEntries(NOTICE_STATES.map((s) => [s, 0])) as Record<NoticeState, number>),
    overdue: 0,
  };
  for (const n of notices) {
    counts[n.state]++;
    if (n.overdue) counts.overdue++;
  }
  return counts;
}

/**
 * The wall's order of unclosed notices: overdue first (the longest overdue on top), then by
 * the nearest deadline, then those without one, newest first.
 */
export function wallNoticeOrder(
  a: Pick<Notice, 'overdue' | 'deadline' | 'ts'>,
  b: Pick<Notice, 'overdue' | 'deadline' | 'ts'>,
): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  const da = a.deadline ? Date.parse(a.deadline) : Infinity;
  const db = b.deadline ? Date.parse(b.deadline) : Infinity;
  if (da !== db) return da - db;
  return a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : 0;
}
