import { useState } from 'react';
import { api, ApiFailure } from '../api/client.ts';
import type { Alert, Notice, NoticeRequest } from '../api/types.ts';
import { reasonText } from '../lib/errors.ts';
import { fromLocalInput, newKey, toLocalInput, type NoticePhase as Phase } from '../lib/notice-form.ts';

// 一键监管: the duty officer clicks an alert, checks the prefilled notice, and issues it. One
// Idempotency-Key per dialog: a double click, or a retry after a network error, is one notice.
// When the school already has an open notice on this dimension, it is shown instead, and the
// officer may still issue a new one (仍然下发).

const DAY_MS = 86_400_000;

export function prefill(a: Alert, now: number): NoticeRequest {
  return {
    target_type: 'school',
    target_id: a.school_id,
    dimension: a.dimension,
    subject_id: a.id,
    content: `【${a.title}】${a.detail}。请立即核实处理，并于期限内反馈。`,
    deadline: new Date(now + DAY_MS).toISOString(),
  };
}

/** The server's English reason never reaches the wall: its code picks a Chinese sentence. */
const failureText = (e: unknown) => (e instanceof ApiFailure ? reasonText(e.code, e.status) : '无法连接服务器');

export function NoticeDialog({
  alert,
  onClose,
  onAcked,
}: {
  alert: Alert;
  onClose: () => void;
  onAcked?: (a: Alert) => void;
}) {
  const [req, setReq] = useState<NoticeRequest>(() => prefill(alert, Date.now()));
  const [key] = useState(newKey);
  const [phase, setPhase] = useState<Phase>({ kind: 'edit' });
  const [comment, setComment] = useState('');
  // A bureau-level alert (未登记数据增多) is about a sending system, not a school: there is no one
  // to send a notice to, only the alert to acknowledge and the 数据质量 page to read.
  const bureau = alert.school_id === '';

  const send = async (force: boolean) => {
    if (phase.kind === 'sending') return;
    setPhase({ kind: 'sending' });
    try {
      const notice = await api<Notice>(
        'POST',
        '/api/v1/notices',
        { ...req, ...(force ? { force: true } : {}) },
        { 'Idempotency-Key': key },
      );
      setPhase({ kind: 'done', notice });
    } catch (e) {
      if (e instanceof ApiFailure && e.code === 'notice_exists')
        setPhase({ kind: 'exists', notice: e.body.notice as Notice });
      else setPhase({ kind: 'error', message: failureText(e) });
    }
  };
  const ack = async () => {
    try {
      onAcked?.(await api<Alert>('POST', `/api/v1/alerts/${encodeURIComponent(alert.id)}/ack`, { comment }));
    } catch (e) {
      setPhase({ kind: 'error', message: `确认失败：${failureText(e)}` });
    }
  };

  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal" data-testid="notice-dialog" onClick={(e) => e.stopPropagation()}>
        <h2>一键监管</h2>
        <div className="field">
          <label>预警</label>
          <div>
            {bureau ? '全市' : alert.school_name}：{alert.title}（{alert.detail}）
          </div>
        </div>
        {bureau && (
          <div className="note warn" data-testid="notice-bureau">
            此预警针对数据报送系统，不涉及具体学校，无需下发督办；请在工作台“数据质量”页查看明细，确认后联系相关系统补报登记信息。
          </div>
        )}
        {!bureau && (
          <>
            <div className="field">
              <label>督办对象</label>
              <div>{alert.school_name || alert.school_id}</div>
            </div>
            <div className="field">
              <label htmlFor="notice-content">督办内容</label>
              <textarea
                id="notice-content"
                data-testid="notice-content"
                value={req.content}
                maxLength={2000}
                onChange={(e) => setReq({ ...req, content: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="notice-deadline">办理期限</label>
              <input
                id="notice-deadline"
                type="datetime-local"
                value={toLocalInput(req.deadline ? Date.parse(req.deadline) : Date.now())}
                onChange={(e) => setReq({ ...req, deadline: fromLocalInput(e.target.value) })}
              />
            </div>
          </>
        )}
        {phase.kind === 'exists' && (
          <div className="note warn" data-testid="notice-exists">
            该校本维度已有未办结督办（{phase.notice.notice_id}）：{phase.notice.content}
            <button onClick={() => void send(true)}>仍然下发</button>
          </div>
        )}
        {phase.kind === 'done' && (
          <div className="note ok" data-testid="notice-done">
            已下发督办 {phase.notice.notice_id}
          </div>
        )}
        {phase.kind === 'error' && (
          <div className="note error" data-testid="notice-error">
            {phase.message.startsWith('确认失败') ? phase.message : `下发失败：${phase.message}`}
          </div>
        )}
        <div className="actions">
          <input
            className="ack-comment"
            placeholder="确认备注（可选）"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          <button onClick={() => void ack()} disabled={alert.state !== 'open'}>
            确认预警
          </button>
          {!bureau && (
            <button
              className="primary"
              data-testid="notice-submit"
              disabled={phase.kind === 'sending' || phase.kind === 'done' || req.content.trim() === ''}
              onClick={() => void send(false)}
            >
              {phase.kind === 'sending' ? '下发中…' : '下发督办'}
            </button>
          )}
          <button onClick={onClose}>关闭</button>
        </div>
      </div>
    </div>
  );
}
