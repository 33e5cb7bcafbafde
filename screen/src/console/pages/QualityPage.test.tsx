import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { OrphanPage } from '@edu/analytics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockApi } from '../test-fetch.ts';
import { QualityPage } from './QualityPage.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const kinds: OrphanPage['kinds'] = [
  { kind: 'school', label: '未登记学校' },
  { kind: 'session', label: '未排课节次' },
  { kind: 'offering', label: '未申报开课' },
  { kind: 'student', label: '未登记学生' },
];
const page: OrphanPage = {
  since_day: '2026-11-20',
  recent_since_ms: 0,
  window_days: 7,
  recent_minutes: 60,
  at: Date.parse('2026-11-27T17:05:00+08:00'),
  kinds,
  rows: [
    {
      source: 'edu.checkin.v1',
      source_label: '考勤',
      type: 'checkin',
      type_label: '签到',
      orphans: 1234,
      recent: 60,
      by_kind: { school: 0, session: 1234, offering: 0, student: 2 },
      samples: { school: [], session: ['se-9', 'se-10'], offering: [], student: ['st****12'] },
    },
  ],
};

describe('数据质量', () => {
  it('shows per source and type the Chinese names, counts by kind and the unknown ids as sent (students masked)', async () => {
    mockApi({ 'GET /api/v1/admin/data-quality': page });
    render(<QualityPage />);
    const [row] = await screen.findAllByTestId('console-quality-row');
    const cells = [...(row as HTMLElement).querySelectorAll('td')].map((td) => td.textContent);
    expect(cells).toEqual([
      '考勤',
      '签到',
      '1,234',
      '60',
      '—',
      '1,234',
      '—',
      '2',
      '未排课节次：se-9、se-10未登记学生：st****12',
    ]);
    expect(screen.getByTestId('console-quality-window').textContent).toContain('2026-11-20以来（今日及前7日）');
    expect(screen.getByTestId('console-quality-window').textContent).toContain('截至17:05');
    expect(screen.getByTestId('console-quality').textContent).not.toMatch(/edu\.|checkin/);
  });

  it('says so when nothing is an orphan, and reads again on 刷新', async () => {
    const calls = mockApi({ 'GET /api/v1/admin/data-quality': { ...page, rows: [] } });
    render(<QualityPage />);
    expect((await screen.findByTestId('console-quality-empty')).textContent).toBe('没有涉及未登记对象的数据');
    fireEvent.click(screen.getByTestId('console-quality-reload'));
    await vi.waitFor(() => expect(calls.filter((c) => c.path === '/api/v1/admin/data-quality')).toHaveLength(2));
    // The second read asks the server to read the report now, not its latest.
    expect(calls.map((c) => c.search.get('fresh'))).toEqual([null, '1']);
  });
});
