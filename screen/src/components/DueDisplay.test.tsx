import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChildSummary, Snapshot } from '../api/types.ts';
import '../charts/register.ts';
import { textEms } from '../lib/format.ts';
import { DAY, dayMetrics, dueFigures } from '../lib/test-due.ts';
import { bars3d } from './City3D.tsx';
import { CityMap } from './CityMap.tsx';
import { FLOP_WIDTH, Kpis } from './Kpis.tsx';
import { Rankings } from './Rankings.tsx';

// The wall's due-so-far display (contract v1.1) in happy-dom: the headline rates, the map's
// colours and the rankings' label. DataV draws on a canvas happy-dom has not, so its flop and
// board are stand-ins that show the config they were given; the map's ECharts is left out.

vi.mock('@jiaminghi/data-view-react', () => ({
  DigitalFlop: ({ config }: { config: { number: number[]; content: string; style: { fontSize: number } } }) => (
    <span data-testid="flop" data-font={config.style.fontSize}>
      {config.content.replace('{nt}', String(config.number[0]))}
    </span>
  ),
  ScrollRankingBoard: () => <div data-testid="board" />,
}));
vi.mock('../charts/use-chart.ts', () => ({ useChart: () => ({ current: null }) }));

afterEach(cleanup);

const LIVE = '2026-11-27T16:05:00+08:00';
const OVER = '2026-11-28T00:00:00+08:00';

type Overview = Snapshot['overview'];
const overview = (at: string, over: Partial<Overview> = {}): Overview => ({
  scope: 'city',
  date: DAY,
  term: '2026-autumn',
  period: '2026-11',
  metrics: dayMetrics(),
  due: dueFigures(at),
  at: null,
  as_of: null,
  lag_ms: null,
  computed_at: LIVE,
  ...over,
});

const card = (key: string) => screen.getByTestId(`kpi-${key}`);
const value = (key: string) => card(key).querySelector('.kpi-value')?.getAttribute('data-value');

describe('the headline rates', () => {
  it('show the figures due so far, labelled with the moment, the day’s progress beside them', () => {
    render(<Kpis overview={overview(LIVE)} />);
    expect(value('attendance_rate')).toBe('0.9');
    expect(within(card('attendance_rate')).getByTestId('flop').textContent).toBe('90%');
    expect(within(card('attendance_rate')).getByTestId('kpi-moment').textContent).toBe('截至 16:05');
    const day = within(card('attendance_rate')).getByTestId('kpi-day');
    expect(day.getAttribute('data-value')).toBe('0.44');
    expect(day.textContent).toBe('全天进度 44.0%');
    expect(value('teacher_attendance_rate')).toBe('1');
    expect(within(card('teacher_attendance_rate')).getByTestId('kpi-day').textContent).toBe('全天进度 40.0%');
    expect(value('completion_rate')).toBe('1');
    // Enrollment is a term figure: no moment.
    expect(within(card('enrollment_rate')).queryByTestId('kpi-moment')).toBeNull();
    expect(value('enrollment_rate')).toBe('0.6');
  });

  it('say "not yet time" in grey when nothing is due, never 0 or red', () => {
    const early = dueFigures('2026-11-27T15:20:00+08:00', {
      sessions_due: 0,
      students_due: 0,
      students_present: 0,
      teachers_present: 0,
      sessions_due_end: 0,
      sessions_completed: 0,
      attendance_rate: null,
      teacher_attendance_rate: null,
      completion_rate: null,
    });
    render(<Kpis overview={overview('', { due: early, metrics: dayMetrics({ students_present: 0 }) })} />);
    for (const key of ['attendance_rate', 'teacher_attendance_rate']) {
      const v = card(key).querySelector('.kpi-value') as HTMLElement;
      expect([key, v.getAttribute('data-value'), v.textContent]).toEqual([key, '', '未到上课时间']);
      expect(v.classList.contains('no-data')).toBe(true);
      expect(within(card(key)).queryByTestId('flop')).toBeNull();
      expect(within(card(key)).getByTestId('kpi-moment').textContent).toBe('截至 15:20');
    }
    expect(card('completion_rate').querySelector('.kpi-value')?.textContent).toBe('未到下课时间');
  });

  it('say 加载中… before the first snapshot, not 暂无数据', () => {
    render(<Kpis overview={null} />);
    expect(card('settled_amount').querySelector('.kpi-value')?.textContent).toBe('加载中…');
  });

  it('say 暂无数据 when the scope has no sessions at all', () => {
    const none = dueFigures(LIVE, { sessions_due: 0, attendance_rate: null });
    render(<Kpis overview={overview(LIVE, { due: none, metrics: dayMetrics({ sessions_scheduled: 0 }) })} />);
    expect(card('attendance_rate').querySelector('.kpi-value')?.textContent).toBe('暂无数据');
  });

  it('show one figure for a day that is over, labelled 全天, with its counts', () => {
    render(<Kpis overview={overview(OVER)} />);
    expect(value('attendance_rate')).toBe('0.44');
    expect(within(card('attendance_rate')).getByTestId('kpi-moment').textContent).toBe('全天');
    expect(within(card('attendance_rate')).queryByTestId('kpi-day')).toBeNull();
    expect(card('attendance_rate').textContent).toContain('实到 110 / 应到 250 人');
    expect(value('completion_rate')).toBe('0.1');
  });

  it('fit long amounts in their card', () => {
    const metrics = dayMetrics({ settled_amount: 268_900_00, fees_enrolled: 1_234_567_800 });
    render(<Kpis overview={overview(LIVE, { metrics })} />);
    for (const [key, text] of [
      ['settled_amount', '26.89万元'],
      ['fees_enrolled', '1234.57万元'],
    ] as const) {
      const flop = within(card(key)).getByTestId('flop');
      expect(flop.textContent).toBe(text);
      const font = Number(flop.getAttribute('data-font'));
      expect([key, font * textEms(text) <= FLOP_WIDTH]).toEqual([key, true]);
    }
  });
});

const child = (scope: string, name: string, due: ChildSummary['due'], attendance = 0.4): ChildSummary => ({
  scope,
  name,
  metrics: dayMetrics({ attendance_rate: attendance }),
  due,
  alerts: { critical: 0, warning: 0, info: 0, open: 0 },
});

describe('the city map', () => {
  it('is coloured by each district’s attendance due so far, grey when none is due', () => {
    const children = [
      child('district:d1', '东城区', dueFigures(LIVE, { attendance_rate: 0.95 })),
      child('district:d2', '西城区', dueFigures(LIVE, { sessions_due: 0, attendance_rate: null })),
    ];
    render(<CityMap children={children} date={DAY} onPick={() => {}} />);
    const patches = screen.getAllByTestId('map-patch');
    expect(patches.map((p) => [p.getAttribute('data-scope'), p.getAttribute('data-value')])).toEqual([
      ['district:d1', '0.95'],
      ['district:d2', ''],
    ]);
    expect(patches[1]?.textContent).toBe('西城区 未到上课时间');
    expect(screen.getByTestId('map-caption').textContent).toBe('着色：学生出勤率（截至 16:05）');
  });

  it('is coloured by the day’s attendance for a day that is over', () => {
    render(<CityMap children={[child('district:d1', '东城区', dueFigures(OVER), 0.8)]} date={DAY} onPick={() => {}} />);
    expect(screen.getByTestId('map-patch').getAttribute('data-value')).toBe('0.8');
    expect(screen.getByTestId('map-caption').textContent).toBe('着色：学生出勤率（全天）');
  });
});

describe('the 3D view', () => {
  it('raises each child’s bars to its rates due so far, none where nothing is due', () => {
    const due = dueFigures(LIVE, { attendance_rate: 0.95, teacher_attendance_rate: 1, completion_rate: null });
    expect(bars3d([child('district:d1', '东城区', due)], DAY)).toEqual([
      [0, 0, 95],
      [0, 1, 100],
    ]);
    expect(bars3d([child('district:d1', '东城区', dueFigures(OVER), 0.8)], DAY)).toEqual([
      [0, 0, 80],
      [0, 1, 40],
      [0, 2, 10],
    ]);
  });
});

describe('the rankings', () => {
  const snapshot = (at: string) =>
    ({
      overview: overview(at),
      rankings: {
        attendance_rate: {
          top: [{ rank: 1, school_id: 's1', name: '第1小学', district_id: 'd1', zone_id: 'z1', value: 0.95 }],
          bottom: [],
        },
        enrollment_rate: { top: [], bottom: [] },
        settled_amount: { top: [], bottom: [] },
      },
      notices: [],
    }) as unknown as Snapshot;

  it('say the attendance ranking is as of the moment', () => {
    render(<Rankings snapshot={snapshot(LIVE)} rotate={false} onPick={() => {}} />);
    expect(screen.getByTestId('rank-tab-attendance_rate').textContent).toBe('出勤率（截至 16:05）');
    expect(screen.getByTestId('ranking-row').textContent).toBe('1. 第1小学 95.0%');
  });

  it('say "not yet time" before the first class is due, not 暂无数据', () => {
    const s = snapshot('2026-11-27T15:20:00+08:00');
    s.overview.due = dueFigures('2026-11-27T15:20:00+08:00', { sessions_due: 0, attendance_rate: null });
    s.rankings.attendance_rate = { top: [], bottom: [] };
    render(<Rankings snapshot={s} rotate={false} onPick={() => {}} />);
    expect(screen.getAllByText('未到上课时间')).toHaveLength(2);
  });

  it('need no moment for a day that is over', () => {
    render(<Rankings snapshot={snapshot(OVER)} rotate={false} onPick={() => {}} />);
    expect(screen.getByTestId('rank-tab-attendance_rate').textContent).toBe('出勤率');
  });
});
