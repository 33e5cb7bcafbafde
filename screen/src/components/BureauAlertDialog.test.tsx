import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../api/types.ts';
import { NoticeDialog } from './NoticeDialog.tsx';

// A bureau-level alert (未登记数据增多, about a sending system) has no school to send a notice
// to: the dialog offers the acknowledgement only, and says where the details are.

const alert: Alert = {
  id: 'orphans_growing:checkin',
  rule: 'orphans_growing',
  severity: 'warning',
  state: 'open',
  dimension: 'process',
  school_id: '',
  school_name: '',
  zone_id: '',
  district_id: '',
  subject_id: 'checkin',
  title: '未登记数据增多',
  detail: '考勤系统近60分钟新增60条涉及未登记对象的签到数据（超过50条），目前共60条：未排课节次60条',
  opened_at: '2026-11-27T17:00:00+08:00',
  updated_at: '2026-11-27T17:00:00+08:00',
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('NoticeDialog for a bureau-level alert', () => {
  it('offers no notice, only the acknowledgement, and points to 数据质量', async () => {
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        calls.push(url);
        return new Response(JSON.stringify({ ...alert, state: 'acknowledged' }), { status: 200 });
      }),
    );
    const onAcked = vi.fn();
    render(<NoticeDialog alert={alert} onClose={() => {}} onAcked={onAcked} />);
    expect(screen.getByTestId('notice-dialog').textContent).toContain('全市：未登记数据增多');
    expect(screen.getByTestId('notice-bureau').textContent).toContain('数据质量');
    expect(screen.queryByTestId('notice-submit')).toBeNull();
    expect(screen.queryByTestId('notice-content')).toBeNull();
    fireEvent.click(screen.getByText('确认预警'));
    await waitFor(() => expect(onAcked).toHaveBeenCalled());
    expect(calls).toEqual(['/api/v1/alerts/orphans_growing%3Acheckin/ack']);
  });
});
