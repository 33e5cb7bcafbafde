import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Notice } from '../api/types.ts';
import { NoticeList } from './NoticeList.tsx';

const NOW = Date.parse('2026-11-27T18:00:00+08:00');
const notice = (id: string, state: Notice['state'], deadlineMin: number | null, overdue = false): Notice => ({
  notice_id: id,
  ts: '2026-11-27T16:00:00+08:00',
  issuer_id: 'u1',
  issuer_role: 'leader',
  target_type: 'school',
  target_id: `s-${id}`,
  target_name: `学校${id}`,
  dimension: 'safety',
  subject_id: 'a1',
  decision: 'notice',
  content: `督办内容${id}`,
  deadline: deadlineMin === null ? null : new Date(NOW + deadlineMin * 60_000).toISOString(),
  state,
  overdue,
  state_at: '2026-11-27T17:00:00+08:00',
  school_name: `学校${id}`,
  submissions: 0,
});

afterEach(cleanup);

describe('the wall 督办事项 panel', () => {
  it('counts notices per state, and lists the unclosed ones overdue first with their countdown', () => {
    render(
      <NoticeList
        notices={[
          notice('a', 'issued', 120),
          notice('b', 'submitted', -30, true),
          notice('c', 'returned', null),
          notice('d', 'closed', 60),
          notice('e', 'received', -90, true),
        ]}
        names={(id) => id}
        serviceTime={{ at: NOW, receivedAt: Date.now() }}
      />,
    );
    const counts = screen.getByTestId('notice-counts').textContent;
    expect(counts).toBe('待签收 1已签收 1待审核 1退回重改 1今日销号 1超期 2');
    // Overdue ones make the 超期 count red (the class the stylesheet colours).
    expect(document.querySelector('[data-state="overdue"]')?.className).toContain('some');
    const items = screen.getAllByTestId('notice-item');
    expect(items.map((li) => [li.dataset.notice, li.dataset.state])).toEqual([
      ['e', 'received'],
      ['b', 'submitted'],
      ['a', 'issued'],
      ['c', 'returned'],
    ]);
    // The service's clock (NOW), not this machine's: seconds pass while the test runs.
    expect(items[0]?.textContent).toMatch(/已超期 1小时(30|29)分$/);
    expect(items[0]?.className).toContain('overdue');
    expect(items[2]?.textContent).toContain('待签收');
    expect(items[2]?.textContent).toMatch(/剩余 (2小时0分|1小时59分)$/);
    expect(items[3]?.textContent).toContain('无期限');
  });

  it('says so when nothing is open', () => {
    render(<NoticeList notices={[notice('d', 'closed', 60)]} names={(id) => id} />);
    expect(screen.getByText('暂无督办事项')).toBeTruthy();
    expect(screen.getByTestId('notice-counts').textContent).toContain('今日销号 1');
  });

  it('keeps 超期 quiet when nothing is overdue', () => {
    render(
      <NoticeList
        notices={[notice('a', 'issued', 120)]}
        names={(id) => id}
        serviceTime={{ at: NOW, receivedAt: Date.now() }}
      />,
    );
    expect(document.querySelector('[data-state="overdue"]')?.className).not.toContain('some');
  });
});
