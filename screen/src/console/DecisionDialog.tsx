import { useState, type JSX } from 'react';
import { api } from '../api/client.ts';
import { DECISION_LABEL } from './labels.ts';
import type { MayDecide } from './may-decide.ts';
import { failureText } from './reasons.ts';
import type { DecisionKind, Subject, SupervisionEvent } from './types.ts';

// 通过 / 驳回 / 喊停 / 否定 of one subject (a material, a budget, an offering …): a small dialog
// that asks for the reason and posts the decision; the server publishes it on
// edu.supervision.v1. Every decision carries a text: the route refuses a rejection without
// one, and the contract's edu.supervision.v1 requires a non-empty `content` for every event
// (the Kafka publisher rejects an empty one, a 500). So 通过 comes with an opinion prefilled
// (审核通过), and 驳回 / 喊停 / 否定 wait for the officer's reason.

const NEEDS_REASON: ReadonlySet<DecisionKind> = new Set(['rejected', 'halted', 'voided']);
const PREFILLED: Partial<Record<DecisionKind, string>> = { approved: '审核通过' };

const REASON_LABEL: Record<DecisionKind, string> = {
  approved: '审批意见',
  rejected: '驳回原因',
  halted: '喊停原因',
  voided: '否定原因',
};

type Phase =
  | { kind: 'edit' }
  | { kind: 'sending' }
  | { kind: 'done'; event: SupervisionEvent }
  | { kind: 'error'; message: string };

export function DecisionDialog({
  subject,
  decision,
  onClose,
  onDone,
}: {
  subject: Subject;
  decision: DecisionKind;
  onClose(): void;
  onDone(event: SupervisionEvent): void;
}): JSX.Element {
  const [content, setContent] = useState(PREFILLED[decision] ?? '');
  const [phase, setPhase] = useState<Phase>({ kind: 'edit' });
  const verb = DECISION_LABEL[decision];
  const missing = content.trim() === '';

  const submit = async () => {
    if (phase.kind === 'sending' || phase.kind === 'done' || missing) return;
    setPhase({ kind: 'sending' });
    try {
      const event = await api<SupervisionEvent>('POST', '/api/v1/decisions', {
        target_type: subject.target_type,
        target_id: subject.target_id,
        dimension: subject.dimension,
        subject_id: subject.subject_id,
        decision,
        content: content.trim(),
      });
      setPhase({ kind: 'done', event });
      onDone(event);
    } catch (e) {
      setPhase({ kind: 'error', message: failureText(e) });
    }
  };

  return (
    // Stopped here: the dialog may sit inside a clickable row, which must not see its clicks.
    <div
      className="modal-backdrop console-backdrop"
      onClick={(e) => {
        e.stopPropagation();
        onClose();
      }}
    >
      <div
        className="modal console-modal"
        role="dialog"
        aria-label={verb}
        data-testid="console-dialog"
        data-decision={decision}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2>{decision === 'approved' || decision === 'rejected' ? `审批：${verb}` : verb}</h2>
        <div className="field">
          <label>对象</label>
          <div>{subject.label}</div>
        </div>
        <div className="field">
          <label htmlFor="console-reason">{REASON_LABEL[decision]}（必填）</label>
          <textarea
            id="console-reason"
            data-testid="console-reason"
            value={content}
            maxLength={2000}
            autoFocus
            placeholder={NEEDS_REASON.has(decision) ? `请输入${REASON_LABEL[decision]}` : ''}
            onChange={(e) => setContent(e.target.value)}
          />
        </div>
        {phase.kind === 'done' && (
          <div className="note ok" data-testid="console-done">
            已{verb}，决定已发布（{phase.event.notice_id}）
          </div>
        )}
        {phase.kind === 'error' && (
          <div className="note error" data-testid="console-error">
            {verb}失败：{phase.message}
          </div>
        )}
        <div className="actions">
          <button
            className="primary"
            data-testid="console-submit"
            disabled={missing || phase.kind === 'sending' || phase.kind === 'done'}
            onClick={() => void submit()}
          >
            {phase.kind === 'sending' ? '提交中…' : decision === 'rejected' ? '发布' : '确认'}
          </button>
          <button data-testid="console-close" onClick={onClose}>
            {phase.kind === 'done' ? '关闭' : '取消'}
          </button>
        </div>
      </div>
    </div>
  );
}

const ACTION_NAME: Record<DecisionKind, string> = {
  approved: 'approve',
  rejected: 'reject',
  halted: 'halt',
  voided: 'void',
};

/**
 * The decision buttons of one subject: the page's own verdicts (通过 / 驳回) for leaders and
 * staff, and 喊停 / 否定 for leaders only. An administrator decides nothing and sees none. With
 * `may` (the console's PageProps.mayDecide), a button shows only when the server's rule lets
 * the user make that decision on a subject of `place` (may-decide.ts): no button answers 403.
 */
export function DecisionButtons({
  subject,
  kinds,
  leader,
  decider,
  leaderKinds = ['halted', 'voided'],
  may,
  place = 'city',
  tag,
  onDone,
}: {
  subject: Subject;
  kinds: readonly ('approved' | 'rejected')[];
  leader: boolean;
  decider: boolean;
  /** Which of 喊停 / 否定 apply: a process can be halted, published data can be voided. */
  leaderKinds?: readonly ('halted' | 'voided')[];
  may?: MayDecide;
  /** The subject's place, a scope: `city` (the strictest) when not given. */
  place?: string;
  /** Told after the verb when one row holds several subjects (喊停·第1班). */
  tag?: string;
  onDone(event: SupervisionEvent): void;
}): JSX.Element | null {
  const [open, setOpen] = useState<DecisionKind | null>(null);
  if (!decider) return null;
  const all: DecisionKind[] = [...kinds, ...(leader ? leaderKinds : [])].filter(
    (k) => !may || may(k, subject.dimension, place),
  );
  if (all.length === 0) return null;
  return (
    <span className="decision-buttons">
      {all.map((k) => (
        <button
          key={k}
          className={`small ${k === 'approved' ? 'ok' : 'danger'}`}
          data-testid={`console-action-${ACTION_NAME[k]}`}
          data-subject={subject.subject_id}
          onClick={(e) => {
            e.stopPropagation();
            setOpen(k);
          }}
        >
          {DECISION_LABEL[k]}
          {tag ? `·${tag}` : ''}
        </button>
      ))}
      {open && <DecisionDialog subject={subject} decision={open} onClose={() => setOpen(null)} onDone={onDone} />}
    </span>
  );
}
