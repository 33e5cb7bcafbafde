import { useState, type JSX } from 'react';
import { api, ApiFailure } from '../api/client.ts';
import type { Notice } from '../api/types.ts';
import { RECIPIENT_LABEL } from './labels.ts';
import { failureText } from './reasons.ts';
import { fromLocalInput, newKey, toLocalInput, type NoticePhase as Phase } from '../lib/notice-form.ts';
import type { Dimension, TargetType } from './types.ts';

// 一键监管 from a dimension page: the officer writes the supervision opinion, picks whom it
// goes to (the school, the provider 课程方 or the operator 运营方, where the page offers a
// choice) and issues it. One Idempotency-Key per dialog, so a double click or a retry after a
// network error is one notice; an open notice on the same target and dimension is shown
// instead of a silent duplicate, and the officer may still issue (仍然下发).

export interface Recipient {
  type: TargetType;
  /** Empty when the page does not know it (e.g. the provider of a course): then it is typed in. */
  id: string;
  name: string;
}

const DAY_MS = 86_400_000;
export function NoticeDialog({
  dimension,
  subjectId,
  about,
  recipients,
  defaultContent,
  onClose,
  onDone,
}: {
  dimension: Dimension;
  subjectId: string;
  /** What the notice is about, shown at the top. */
  about: string;
  recipients: readonly Recipient[];
  defaultContent: string;
  onClose(): void;
  onDone?(notice: Notice): void;
}): JSX.Element {
  const [key] = useState(newKey);
  const [choice, setChoice] = useState(0);
  const [ids, setIds] = useState(() => recipients.map((r) => r.id));
  const [content, setContent] = useState(defaultContent);
  const [deadline, setDeadline] = useState(() => toLocalInput(Date.now() + DAY_MS));
  const [phase, setPhase] = useState<Phase>({ kind: 'edit' });
  const recipient = recipients[choice];
  const targetId = (ids[choice] ?? '').trim();
  const ready = recipient !== undefined && targetId !== '' && content.trim() !== '';

  const send = async (force: boolean) => {
    if (!recipient || !ready || phase.kind === 'sending' || phase.kind === 'done') return;
    setPhase({ kind: 'sending' });
    try {
      const notice = await api<Notice>(
        'POST',
        '/api/v1/notices',
        {
          target_type: recipient.type,
          target_id: targetId,
          dimension,
          subject_id: subjectId,
          content: content.trim(),
          deadline: fromLocalInput(deadline),
          ...(force ? { force: true } : {}),
        },
        { 'Idempotency-Key': key },
      );
      setPhase({ kind: 'done', notice });
      onDone?.(notice);
    } catch (e) {
      if (e instanceof ApiFailure && e.code === 'notice_exists')
        setPhase({ kind: 'exists', notice: e.body.notice as Notice });
      else setPhase({ kind: 'error', message: failureText(e) });
    }
  };

  return (
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
        aria-label="一键监管"
        data-testid="console-dialog"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2>一键监管</h2>
        <div className="field">
          <label>监管事项</label>
          <div>{about}</div>
        </div>
        <div className="field">
          <label>反馈对象</label>
          <div className="recipients">
            {recipients.map((r, i) => (
              <label key={r.type} className="recipient">
                <input
                  type="radio"
                  name="console-recipient"
                  data-testid={`console-recipient-${r.type}`}
                  checked={i === choice}
                  disabled={phase.kind === 'done'}
                  onChange={() => setChoice(i)}
                />
                {RECIPIENT_LABEL[r.type]}
                {r.id ? `：${r.name || r.id}` : ''}
              </label>
            ))}
            {recipient && recipient.id === '' && (
              <input
                data-testid="console-recipient-id"
                placeholder={`请输入${RECIPIENT_LABEL[recipient.type]}编号`}
                value={ids[choice] ?? ''}
                onChange={(e) => setIds(ids.map((v, i) => (i === choice ? e.target.value : v)))}
              />
            )}
          </div>
        </div>
        <div className="field">
          <label htmlFor="console-content">监管意见</label>
          <textarea
            id="console-content"
            data-testid="console-content"
            value={content}
            maxLength={2000}
            onChange={(e) => setContent(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="console-deadline">办理期限</label>
          <input
            id="console-deadline"
            type="datetime-local"
            value={deadline}
            onChange={(e) => setDeadline(e.target.value)}
          />
        </div>
        {phase.kind === 'exists' && (
          <div className="note warn" data-testid="console-exists">
            该对象本维度已有未办结督办（{phase.notice.notice_id}）：{phase.notice.content}
            <button data-testid="console-force" onClick={() => void send(true)}>
              仍然下发
            </button>
          </div>
        )}
        {phase.kind === 'done' && (
          <div className="note ok" data-testid="console-done">
            已下发督办 {phase.notice.notice_id}
          </div>
        )}
        {phase.kind === 'error' && (
          <div className="note error" data-testid="console-error">
            下发失败：{phase.message}
          </div>
        )}
        <div className="actions">
          <button
            className="primary"
            data-testid="console-submit"
            disabled={!ready || phase.kind === 'sending' || phase.kind === 'done'}
            onClick={() => void send(false)}
          >
            {phase.kind === 'sending' ? '下发中…' : '确定'}
          </button>
          <button data-testid="console-close" onClick={onClose}>
            {phase.kind === 'done' ? '关闭' : '取消'}
          </button>
        </div>
      </div>
    </div>
  );
}
