import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DAY, dayMetrics, dueFigures } from '../lib/test-due.ts';
import { ChartsPage } from './pages/ChartsPage.tsx';
import { SafetyPage } from './pages/SafetyPage.tsx';
import { mockApi } from './test-fetch.ts';
import type { AttendanceCharts, PageProps, SafetyChildRow, SafetyCourseRow, SafetySession } from './types.ts';

// 安全监管 and 图表·上课 show the figures due so far (contract v1.1) beside the whole day's while
// the day runs, and only the day's once it is over. ECharts is left out (happy-dom has no canvas).

vi.mock('../charts/use-chart.ts', () => ({ useChart: () => ({ current: null }) }));
vi.mock('@jiaminghi/data-view-react', () => ({
  BorderBox13: ({ children }: { children: ReactNode }) => <div>{children}</div>,
}));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const LIVE = '2026-11-27T16:05:00+08:00';
const OVER = '2026-11-28T00:00:00+08:00';

const props = (scope: string): PageProps => ({
  scope,
  term: null,
  date: DAY,
  leader: true,
  decider: true,
  drill: () => {},
  placeName: (s) => (s === 'school:s1' ? '第1小学' : s),
  childScopes: [],
  onTerm: () => {},
});

const safetyRow = (at: string): SafetyChildRow => ({
  child: { kind: 'district', id: 'd1', name: '东城区' },
  schools: 2,
  metrics: dayMetrics(),
  due: dueFigures(at, { sessions_due_end: 0, sessions_completed: 0, completion_rate: null }),
});

const cell = (key: string) => screen.getByTestId('console-row').querySelector(`[data-key="${key}"]`);

describe('安全监管', () => {
  it('shows the figures due so far under 截至 HH:MM beside the day’s under 全天', async () => {
    mockApi({ 'GET /api/v1/dimensions/safety': { date: DAY, rows: [safetyRow(LIVE)] } });
    render(<SafetyPage {...props('city')} />);
    await screen.findByTestId('console-row');
    expect(screen.getAllByTestId('console-group').map((g) => g.textContent)).toEqual([
      '截至 16:05（只计已到上课、下课时间的课节）',
      '全天',
    ]);
    expect(cell('due.attendance_rate')?.getAttribute('data-value')).toBe('0.9');
    expect(cell('due.attendance_rate')?.textContent).toBe('90.0%');
    expect(cell('due.students_due')?.textContent).toBe('120');
    expect(cell('attendance_rate')?.textContent).toBe('44.0%');
    // No class is due to have ended: not yet time, in grey, never 0.
    expect(cell('due.completion_rate')?.textContent).toBe('未到下课时间');
    expect(cell('due.completion_rate')?.className).toBe('no-data');
  });

  it('shows only the day’s figures for a day that is over', async () => {
    mockApi({ 'GET /api/v1/dimensions/safety': { date: DAY, rows: [safetyRow(OVER)] } });
    render(<SafetyPage {...props('city')} />);
    await screen.findByTestId('console-row');
    expect(screen.queryAllByTestId('console-group')).toEqual([]);
    expect(cell('due.attendance_rate')).toBeNull();
    expect(cell('attendance_rate')?.textContent).toBe('44.0%');
  });

  it('lists a school’s courses with both, and a session not yet begun as 未到上课时间, not absent', async () => {
    const course: SafetyCourseRow = {
      course_id: 'c1',
      course_name: '篮球训练',
      offering_ids: ['o1'],
      metrics: {
        sessions_scheduled: 2,
        sessions_started: 1,
        sessions_completed: 0,
        students_expected: 40,
        students_present: 18,
        teachers_present: 1,
        completion_rate: 0,
        attendance_rate: 0.45,
        teacher_attendance_rate: 0.5,
      },
      due: dueFigures(LIVE, {
        sessions_due: 1,
        students_due: 20,
        students_present: 18,
        attendance_rate: 0.9,
        sessions_due_end: 0,
        completion_rate: null,
      }),
    };
    const session = (id: string, start: string, end: string): SafetySession =>
      ({
        session_id: id,
        offering_id: 'o1',
        course_id: 'c1',
        teacher_id: 't1',
        room: '101',
        planned_start: `${DAY}T${start}:00+08:00`,
        planned_end: `${DAY}T${end}:00+08:00`,
        state: 'scheduled',
        started_at: null,
        ended_at: null,
        teacher_present: false,
        students_expected: 20,
        students_present: 0,
        checkins: [],
      }) as SafetySession;
    mockApi({
      'GET /api/v1/dimensions/safety': { date: DAY, rows: [] },
      'GET /api/v1/dimensions/safety/schools/s1': { date: DAY, courses: [course] },
      'GET /api/v1/dimensions/safety/schools/s1/courses/c1/sessions': {
        date: DAY,
        sessions: [session('se1', '15:30', '16:30'), session('se2', '17:00', '18:00')],
      },
    });
    render(<SafetyPage {...props('school:s1')} />);
    const item = await screen.findByTestId('console-item');
    expect(item.querySelector('[data-key="due.attendance_rate"]')?.textContent).toBe('90.0%');
    expect(item.querySelector('[data-key="attendance_rate"]')?.textContent).toBe('45.0%');
    expect(item.querySelector('[data-key="due.completion_rate"]')?.textContent).toBe('未到下课时间');
    fireEvent.click(within(item).getByTestId('console-action-sessions'));
    const rows = await screen.findAllByTestId('console-session');
    // se1 began at 15:30 (due at 15:40): its teacher is absent. se2 begins at 17:00: not yet time.
    expect(rows[0]?.textContent).toContain('未到岗');
    expect(within(rows[1] as HTMLElement).getByTestId('console-not-due').textContent).toBe('未到上课时间');
    expect(rows[1]?.textContent).not.toContain('未到岗');
  });
});

describe('图表 · 上课', () => {
  const attendance = (at: string): AttendanceCharts => ({
    due: dueFigures(at),
    teachers: { sessions_scheduled: 10, teachers_present: 4, teacher_attendance_rate: 0.4 },
    students: { students_expected: 250, students_present: 110, attendance_rate: 0.44 },
    attendance_rate: { top: [], bottom: [] },
  });
  const stat = (key: string) => document.querySelector(`[data-testid="console-stat"][data-key="${key}"]`);
  const open = async (at: string) => {
    mockApi({
      'GET /api/v1/dimensions': { dimensions: ['safety'], charts: ['attendance'] },
      'GET /api/v1/charts/attendance': { chart: 'attendance', term: '2026-autumn', date: DAY, data: attendance(at) },
    });
    render(<ChartsPage {...props('city')} />);
    fireEvent.click(await screen.findByTestId('console-chart-attendance'));
    await screen.findByTestId('console-day');
  };

  it('shows the figures due so far beside the day’s', async () => {
    await open(LIVE);
    expect(within(screen.getByTestId('console-due')).getByRole('heading').textContent).toBe(
      '截至 16:05（只计已到上课、下课时间的课节）',
    );
    expect(stat('due.attendance_rate')?.getAttribute('data-value')).toBe('0.9');
    expect(stat('due.attendance_rate')?.textContent).toBe('学生出勤率90.0%');
    expect(stat('attendance_rate')?.textContent).toBe('学生出勤进度44.0%');
    const titles = [...document.querySelectorAll('.tile-title')].map((t) => t.textContent);
    expect(titles).toContain('学生考勤（截至 16:05 出勤率 90.0% · 全天进度 44.0%）');
  });

  it('shows the day’s alone once the day is over', async () => {
    await open(OVER);
    expect(screen.queryByTestId('console-due')).toBeNull();
    expect(stat('attendance_rate')?.textContent).toBe('学生出勤率44.0%');
  });
});
