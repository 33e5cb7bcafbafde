import { cleanup, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChartsPage } from './pages/ChartsPage.tsx';
import { mockApi, reply } from './test-fetch.ts';
import type { PageProps } from './types.ts';

// 图表 offers only the chart groups the server says the user may open (staff: those whose
// dimensions are all theirs), and never asks for another one.

vi.mock('../charts/use-chart.ts', () => ({ useChart: () => ({ current: null }) }));
vi.mock('@jiaminghi/data-view-react', () => ({
  BorderBox13: ({ children }: { children: ReactNode }) => <div>{children}</div>,
}));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const props: PageProps = {
  scope: 'district:d1',
  term: null,
  date: '2026-11-27',
  leader: false,
  decider: true,
  drill: () => {},
  placeName: () => '东城区',
  childScopes: [],
  onTerm: () => {},
};

describe('图表 for a department', () => {
  it('shows only the allowed groups and opens the first of them', async () => {
    const calls = mockApi({
      'GET /api/v1/dimensions': { dimensions: ['budget', 'safety'], charts: ['attendance', 'settlement'] },
      'GET /api/v1/charts/attendance': reply(500, { error: 'x', code: 'internal' }),
      'GET /api/v1/charts/totals': reply(403, { error: 'x', code: 'dimension_not_yours', dimension: 'course' }),
    });
    render(<ChartsPage {...props} />);
    expect((await screen.findByTestId('console-detail')).textContent).toContain('东城区 · 上课');
    const tabs = (await screen.findAllByRole('button')).map((b) => b.getAttribute('data-testid'));
    expect(tabs).toEqual(['console-chart-attendance', 'console-chart-settlement']);
    expect(calls.map((c) => c.path)).not.toContain('/api/v1/charts/totals');
  });

  it('says so when no chart is the user’s', async () => {
    mockApi({ 'GET /api/v1/dimensions': { dimensions: ['material'], charts: [] } });
    render(<ChartsPage {...props} />);
    expect((await screen.findByText('您所属部门的监管维度下没有可查看的图表')).textContent).toBeTruthy();
    expect(screen.queryByTestId('console-detail')).toBeNull();
  });
});
