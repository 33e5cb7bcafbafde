import { cleanup, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Registry } from '../charts/ChartStats.tsx';
import { mockApi } from '../test-fetch.ts';
import type { ChartData, PageProps, ParticipationRow } from '../types.ts';
import { ProcessPage } from './ProcessPage.tsx';

// 过程监管's charts beside its table, and 入库统计 by place and month (issue 11): the charts
// draw the API's numbers (their data-value), the places by name, and 入库 by place is a table too.

vi.mock('../../charts/use-chart.ts', () => ({ useChart: () => ({ current: null }) }));
vi.mock('@jiaminghi/data-view-react', () => ({
  BorderBox13: ({ children }: { children: ReactNode }) => <div>{children}</div>,
}));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const props: PageProps = {
  scope: 'city',
  term: null,
  date: '2026-11-27',
  leader: true,
  decider: true,
  drill: () => {},
  placeName: () => '全市',
  childScopes: [],
  onTerm: () => {},
};

// Cast: only the fields the charts read (the row grows with the dimension, e.g. 备课率).
const row = (id: string, name: string, enrolled: number, rate: number | null): ParticipationRow =>
  ({
    child: { kind: 'district', id, name },
    schools: 1,
    students: 100,
    students_enrolled: enrolled,
    enrollment_rate: rate,
    offerings: 1,
    sessions_scheduled: 2,
    sessions_held: 1,
    sessions_completed: 1,
  }) as ParticipationRow;

const chart = (id: string) => document.querySelector(`[data-chart="${id}"]`);

describe('过程监管 charts', () => {
  it('draws participation per district and the term’s sessions per day beside the table', async () => {
    mockApi({
      'GET /api/v1/dimensions/process': {
        term: '2026-autumn',
        rows: [row('d1', '东城区', 5, 0.05), row('d3', '新区', 0, null)],
        days: [
          { day: '2026-11-27', scheduled: 3, held: 3, completed: 2 },
          { day: '2026-11-28', scheduled: 1, held: 0, completed: 0 },
        ],
      },
    });
    render(<ProcessPage {...props} />);
    await screen.findByTestId('console-process-charts');
    expect(chart('students_enrolled')?.getAttribute('data-value')).toBe('5');
    expect(chart('enrollment_rate')?.getAttribute('data-value')).toBe('1');
    expect(chart('sessions_by_day')?.getAttribute('data-value')).toBe('4');
    expect(chart('students_enrolled')?.textContent).toContain('各辖区参与学生');
    expect(chart('sessions_by_day')?.textContent).toContain('本学期每日排课、上课、完课节次');
    // The table is still there, beside the charts.
    expect(screen.getAllByTestId('console-row').length).toBeGreaterThan(0);
  });

  it('says 暂无数据 for a term without sessions', async () => {
    mockApi({
      'GET /api/v1/dimensions/process': { term: '2026-autumn', rows: [row('d3', '新区', 0, null)], days: [] },
    });
    render(<ProcessPage {...props} />);
    await screen.findByTestId('console-process-charts');
    expect(chart('sessions_by_day')?.textContent).toContain('暂无数据');
    expect(chart('enrollment_rate')?.textContent).toContain('暂无数据');
  });
});

describe('入库统计', () => {
  it('counts registrations by district (chart and table) and by month', () => {
    const share = (key: string, count: number) => ({ key, count, share: null });
    const d: ChartData['registry'] = {
      provider_channel: [share('bid', 4)],
      teacher_certificate: [share('teacher', 5)],
      course_category: [share('sports', 6)],
      course_kind: [share('school', 6)],
      registrations: {
        total: { providers: 4, teachers: 5, courses: 6 },
        by_child: [
          { child: { kind: 'district', id: 'd1', name: '东城区' }, providers: 2, teachers: 3, courses: 3 },
          { child: { kind: 'district', id: 'd2', name: '西城区' }, providers: 2, teachers: 2, courses: 3 },
        ],
        by_month: [
          { month: '2026-09', providers: 3, teachers: 4, courses: 5 },
          { month: '2026-10', providers: 1, teachers: 1, courses: 1 },
        ],
      },
    };
    render(<Registry d={d} />);
    const stat = (k: string) =>
      document.querySelector(`[data-testid="console-stat"][data-key="${k}"]`)?.getAttribute('data-value');
    expect([stat('providers'), stat('teachers'), stat('courses')]).toEqual(['4', '5', '6']);
    expect(chart('registrations_by_child')?.textContent).toContain('各辖区入库统计');
    expect(chart('registrations_by_child')?.getAttribute('data-value')).toBe('11');
    expect(chart('registrations_by_month')?.getAttribute('data-value')).toBe('15');
    const rows = screen
      .getAllByTestId('console-registration-row')
      .map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['东城区', '2', '3', '3'],
      ['西城区', '2', '2', '3'],
    ]);
    expect(screen.getByTestId('console-registrations').textContent).not.toMatch(/d1|d2/);
  });
});
