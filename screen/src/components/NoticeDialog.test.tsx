import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../api/types.ts';
import { NoticeDialog, prefill } from './NoticeDialog.tsx';

const alert: Alert = {
  id: 'student_not_checked_out:2026-11-27:se1',
  rule: 'student_not_checked_out',
  severity: 'critical',
  state: 'open',
  dimension: 'safety',
  school_id: 's1',
  school_name: '第1小学',
  zone_id: 'z1',
  district_id: 'd1',
  subject_id: 'se1',
  title: '学生未签退',
  detail: '2名学生签到后未签退',
  opened_at: '2026-11-27T17:00:00+08:00',
  updated_at: '2026-11-27T17:00:00+08:00',
};

function mockFetch(responses: { status: number; body: unknown }[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const r = responses[Math.min(calls.length - 1, responses.length - 1)] as { status: number; body: unknown };
    return new Response(JSON.stringify(r.body), { status: r.status });
  });
  vi.stubGlobal('fetch', fetch);
  return calls;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('NoticeDialog', () => {
  it('is prefilled from the alert', () => {
    const req = prefill(alert, Date.parse('2026-11-27T10:00:00Z'));
    expect(req).toMatchObject({ target_type: 'school', target_id: 's1', dimension: 'safety', subject_id: alert.id });
    expect(req.content).toContain('学生未签退');
    expect(req.deadline).toBe('2026-11-28T10:00:00.000Z');
  });

  it('sends one Idempotency-Key for a double click', async () => {
    const calls = mockFetch([{ status: 201, body: { notice_id: 'n-1', content: 'x' } }]);
    render(<NoticeDialog alert={alert} onClose={() => {}} />);
    const submit = screen.getByTestId('notice-submit');
    fireEvent.click(submit);
    fireEvent.click(submit);
    await screen.findByTestId('notice-done');
    fireEvent.click(submit);
    const keys = calls.map((c) => (c.init.headers as Record<string, string>)['Idempotency-Key']);
    expect(keys.length).toBeGreaterThanOrEqual(1);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[\w-]{8,}$/);
    expect(JSON.parse(String(calls[0]?.init.body))).toMatchObject({ target_id: 's1', subject_id: alert.id });
  });

  it('shows an open notice instead of duplicating it, and can still issue one', async () => {
    const calls = mockFetch([
      {
        status: 409,
        body: { error: 'exists', code: 'notice_exists', notice: { notice_id: 'n-old', content: '请核实' } },
      },
      { status: 201, body: { notice_id: 'n-2', content: 'x' } },
    ]);
    render(<NoticeDialog alert={alert} onClose={() => {}} />);
    fireEvent.click(screen.getByTestId('notice-submit'));
    expect((await screen.findByTestId('notice-exists')).textContent).toContain('n-old');
    fireEvent.click(screen.getByText('仍然下发'));
    await waitFor(() => expect(screen.getByTestId('notice-done').textContent).toContain('n-2'));
    expect(JSON.parse(String(calls[1]?.init.body))).toMatchObject({ force: true });
  });

  it('says why a notice failed in Chinese, keeping the key for a retry', async () => {
    const calls = mockFetch([
      { status: 503, body: { error: 'a backing service (ClickHouse or Redis) is unavailable', code: 'unavailable' } },
      { status: 201, body: { notice_id: 'n-3', content: 'x' } },
    ]);
    render(<NoticeDialog alert={alert} onClose={() => {}} />);
    fireEvent.click(screen.getByTestId('notice-submit'));
    const error = await screen.findByTestId('notice-error');
    expect(error.textContent).toBe('下发失败：服务暂不可用，请稍后再试');
    expect(error.textContent).not.toMatch(/[A-Za-z]/);
    fireEvent.click(screen.getByTestId('notice-submit'));
    await screen.findByTestId('notice-done');
    const keys = calls.map((c) => (c.init.headers as Record<string, string>)['Idempotency-Key']);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
  });
});
