import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { Pipeline, SchoolPipeline } from '@edu/analytics';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockApi } from '../test-fetch.ts';
import type { PageProps } from '../types.ts';
import { PipelinePage } from './PipelinePage.tsx';

// 流程全景: the stages' counts in the chart and the table, the stall points marked (in red only
// when there is one), the stages not due yet in grey, and the lagging schools of a stage by name with what they lack, the chart's bar or the table's row
// choosing the stage. The chart's canvas is not drawn in happy-dom: its option and click are
// caught at useChart.

const chart = vi.hoisted(() => ({
  option: null as unknown,
  click: undefined as ((p: { data?: unknown }) => void) | undefined,
}));
vi.mock('../../charts/use-chart.ts', () => ({
  useChart: (option: unknown, onClick?: (p: { data?: unknown }) => void) => {
    chart.option = option;
    chart.click = onClick;
    return { current: null };
  },
}));
vi.mock('@jiaminghi/data-view-react', () => ({
  BorderBox13: ({ children }: { children: ReactNode }) => <div>{children}</div>,
}));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.location.hash = '';
});

const props: PageProps = {
  scope: 'district:d1',
  term: '2026-autumn',
  date: null,
  leader: true,
  decider: true,
  drill: () => {},
  placeName: () => '东城区',
  childScopes: [],
  onTerm: () => {},
};

const stage = (s: Pipeline['stages'][number]['stage'], completed: number, stalled: number, waiting = 0) => ({
  stage: s,
  completed,
  waiting,
  stalled,
});
const pipeline: Pipeline = {
  term: '2026-autumn',
  as_of_ms: Date.parse('2026-11-30T23:59:00+08:00'),
  schools: 3,
  finished: 0,
  on_track: 0,
  preparation_data: false,
  stages: [
    stage('materials', 1, 2),
    stage('admission', 2, 0),
    stage('selection', 2, 0),
    stage('scheduling', 1, 0),
    stage('enrollment_open', 2, 0),
    stage('enrollment', 2, 0),
    stage('audit', 1, 0),
    stage('preparation', 0, 1, 2),
    stage('safety', 1, 0, 2),
    stage('reports', 0, 0, 3),
    stage('settlement', 1, 0),
  ],
};
const school = (id: string, name: string, stalled: SchoolPipeline['stalled_at'], gaps: SchoolPipeline['gaps']) =>
  ({
    school_id: id,
    name,
    district_id: 'd1',
    district_name: '东城区',
    zone_id: 'z1',
    zone_name: '一学区',
    stalled_at: stalled,
    waiting: [] as SchoolPipeline['waiting'],
    gaps,
    done: {},
  }) as SchoolPipeline;

describe('流程全景', () => {
  it('counts each stage, marks the stalls, and lists the lagging schools of the worst stage', async () => {
    const calls = mockApi({
      'GET /api/v1/dimensions/pipeline': pipeline,
      'GET /api/v1/dimensions/pipeline/stages/materials/schools': {
        term: '2026-autumn',
        stage: 'materials',
        schools: [
          school('s2', '第2小学', 'materials', { materials: { kinds: ['bid_notice', 'meeting_minutes'] } }),
          school('s5', '第5小学', 'materials', { materials: { kinds: ['safety_plan'] } }),
        ],
      },
      'GET /api/v1/dimensions/pipeline/stages/preparation/schools': {
        term: '2026-autumn',
        stage: 'preparation',
        schools: [school('s1', '第1小学', 'preparation', { preparation: { done: 1, of: 2 } })],
      },
    });
    render(<PipelinePage {...props} />);
    const rows = await screen.findAllByTestId('console-pipeline-stage');
    const cells = (i: number) => [...(rows[i] as HTMLElement).querySelectorAll('td')].map((td) => td.textContent);
    expect(rows).toHaveLength(11);
    expect(cells(0)).toEqual(['材料申报', '1', '2', '0', '2']);
    // 未完成 leaves out the schools with nothing due yet (未到时间), shown apart in grey.
    expect(cells(7)).toEqual(['教师备课', '0', '1', '2', '1']);
    expect(cells(9)).toEqual(['学情汇报', '0', '0', '3', '0']);
    const td = (i: number, col: number) => (rows[i] as HTMLElement).querySelectorAll('td')[col] as HTMLElement;
    expect([td(9, 3).className, td(9, 4).className, td(7, 4).className]).toEqual(['muted', '', 'bad']);
    expect(rows.filter((r) => r.dataset.stalled === '1').map((r) => r.dataset.stage)).toEqual([
      'materials',
      'preparation',
    ]);
    expect(screen.getByTestId('console-pipeline-summary').textContent).toContain('教师备课：本学期暂无备课数据');
    expect(screen.getByTestId('console-pipeline-summary').textContent).toContain('2026-11-30 23:59');
    expect(screen.getByTestId('console-pipeline-summary').textContent).toContain(
      '共 3 所学校，全部环节完成 0 所，进展正常 0 所',
    );
    // The chart draws the same numbers, the waiting schools as a grey series, the stalls red.
    const series = (
      chart.option as { series: { id: string; itemStyle: { color: string }; data: { value: number }[] }[] }
    ).series;
    expect(series.map((s) => [s.id, s.data.map((d) => d.value)])).toEqual([
      ['completed', [1, 2, 2, 1, 2, 2, 1, 0, 1, 0, 1]],
      ['waiting', [0, 0, 0, 0, 0, 0, 0, 2, 2, 3, 0]],
      ['stalled', [2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]],
    ]);
    expect(series[1]?.itemStyle.color).not.toBe(series[2]?.itemStyle.color);

    // Where most schools stall is shown first.
    const detail = await screen.findByTestId('console-detail');
    expect(detail.querySelector('h3')?.textContent).toBe('东城区 · 未完成“材料申报”的学校');
    await within(detail).findByText('第2小学');
    const items = within(detail).getAllByTestId('console-item');
    expect([...(items[0] as HTMLElement).querySelectorAll('td')].map((td) => td.textContent)).toEqual([
      '第2小学',
      '东城区',
      '一学区',
      '材料申报',
      '缺少：中标公示、领导小组会议纪要',
    ]);
    expect(calls.find((c) => c.path.endsWith('/materials/schools'))?.search.get('scope')).toBe('district:d1');

    // A bar of the chart picks its stage.
    chart.click?.({ data: { value: 1, stage: 'preparation' } });
    const prep = await screen.findByText('第1小学');
    const row = prep.closest('tr') as HTMLElement;
    expect([...row.querySelectorAll('td')].map((td) => td.textContent).slice(3)).toEqual([
      '教师备课',
      '已备课 1 / 2 节',
    ]);
    // The school opens on the page where the stage is supervised.
    fireEvent.click(prep);
    expect(window.location.hash).toBe('#/console/process?scope=school%3As1&term=2026-autumn');
  });

  it('chooses a stage from the table', async () => {
    mockApi({
      'GET /api/v1/dimensions/pipeline': pipeline,
      'GET /api/v1/dimensions/pipeline/stages/materials/schools': {
        term: '2026-autumn',
        stage: 'materials',
        schools: [],
      },
      'GET /api/v1/dimensions/pipeline/stages/reports/schools': { term: '2026-autumn', stage: 'reports', schools: [] },
    });
    render(<PipelinePage {...props} />);
    const rows = await screen.findAllByTestId('console-pipeline-stage');
    // 材料申报, where most stall, is shown first; here nobody lags there and nobody waits.
    expect(await screen.findByText('所有学校均已完成该环节')).toBeTruthy();
    fireEvent.click(within(rows[9] as HTMLElement).getByText('学情汇报'));
    // No school lags there: the three with no class due yet are not called complete.
    expect(await screen.findByText('无学校滞后于该环节（3 所学校未到时间）')).toBeTruthy();
    expect(screen.getByTestId('console-detail').querySelector('h3')?.textContent).toBe(
      '东城区 · 未完成“学情汇报”的学校',
    );
  });
});
