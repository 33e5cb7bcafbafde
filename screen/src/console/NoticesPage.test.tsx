import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LoopStep, Notice } from '@edu/analytics/live';
import { NoticesPage } from './pages/NoticesPage.tsx';
import { mockApi, type Call } from './test-fetch.ts';
import type { PageProps } from './types.ts';

const props: PageProps = {
  scope: 'city',
  term: null,
  date: null,
  leader: true,
  decider: true,
  drill: () => {},
  placeName: (s) => s,
  childScopes: [{ scope: 'district:d1', name: '东城区' }],
  onTerm: () => {},
};
const notice = (state: Notice['state']): Notice => ({
  notice_id: 'n-1',
  ts: '2026-11-27T16:00:00.000+08:00',
  issuer_id: 'u-leader',
  issuer_role: 'leader',
  target_type: 'school',
  target_id: 's1',
  target_name: '第1小学',
  dimension: 'safety',
  subject_id: 'a1',
  decision: 'notice',
  content: '请核实学生离校情况',
  deadline: '2026-11-28T16:00:00.000+08:00',
  state,
  overdue: false,
  state_at: '2026-11-27T17:00:00.000+08:00',
  school_name: '第1小学',
  submissions: 1,
});
const steps: LoopStep[] = [
  {
    kind: 'issued',
    at: '2026-11-27T16:00:00.000+08:00',
    event_id: 'n-1',
    by_id: 'u-leader',
    by_name: '王局长',
    content: '请核实学生离校情况',
    notes: [],
  },
  {
    kind: 'submitted',
    at: '2026-11-27T17:00:00.000+08:00',
    event_id: 'r-1',
    by_id: '',
    by_name: '',
    content: '已逐一电话核实',
    submission_id: 'sub-1',
    attachments: [{ name: '核实记录.pdf', url: 'https://files.example/a.pdf' }],
    notes: ['before_notice'],
  },
];
const counts = { issued: 0, received: 0, submitted: 1, returned: 0, closed: 0, overdue: 0 };

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the console 督办 page', () => {
  it('lists notices with filters, opens a timeline, and returns one with its reason', async () => {
    let state: Notice['state'] = 'submitted';
    const calls: Call[] = mockApi({
      'GET /api/v1/notices': () => ({ status: 200, body: { notices: [notice(state)], counts } }),
      'GET /api/v1/notices/unmatched': { items: [] },
      'GET /api/v1/notices/n-1': () => ({
        status: 200,
        body: { notice: notice(state), steps, allowed: state === 'submitted' ? ['closed', 'returned'] : [] },
      }),
      'POST /api/v1/notices/n-1/return': () => {
        state = 'returned';
        return { status: 201, body: {} };
      },
    });
    render(<NoticesPage {...props} />);
    const row = await screen.findByTestId('notices-item');
    expect(row.textContent).toContain('第1小学');
    expect(row.textContent).toContain('待审核');
    // The deadline as a time, never a countdown on this PC's clock.
    expect(row.textContent).toContain('2026-11-28 16:00');
    fireEvent.change(screen.getByTestId('notices-filter-district'), { target: { value: 'd1' } });
    fireEvent.click(screen.getByTestId('notices-filter-overdue'));
    await waitFor(() => {
      const last = calls.filter((c) => c.path === '/api/v1/notices').at(-1);
      expect([last?.search.get('district'), last?.search.get('overdue')]).toEqual(['d1', '1']);
    });

    fireEvent.click(await screen.findByTestId('notices-item'));
    const items = await screen.findAllByTestId('notice-step');
    expect(items.map((i) => i.dataset.kind)).toEqual(['issued', 'submitted']);
    expect(items[0]?.textContent).toContain('王局长');
    expect(items[1]?.textContent).toContain('第1小学');
    expect(items[1]?.textContent).toContain('核实记录.pdf');
    expect(items[1]?.textContent).toContain('时间早于下发');
    // 退回重改 needs its reason first.
    expect((screen.getByTestId('notice-return') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('notice-reason'), { target: { value: '请补充照片' } });
    fireEvent.click(screen.getByTestId('notice-return'));
    await waitFor(() => expect(screen.getByTestId('notice-state').dataset.state).toBe('returned'));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ content: '请补充照片' });
    expect(screen.queryByTestId('notice-close')).toBeNull();
  });
});
