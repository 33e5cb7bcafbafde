import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState, type JSX } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockApi, type Call } from '../test-fetch.ts';
import type { PageProps, StudentList, StudentTimetable, TeacherList, Timetable } from '../types.ts';
import { WeekGrid } from '../WeekGrid.tsx';
import { ProcessPage } from './ProcessPage.tsx';
import { SafetyPage } from './SafetyPage.tsx';

// 过程监管 at a school: 学生查询 (a name fragment sent to the server, masked names shown, no id)
// opening 一生一表; 教师名单 (those without a session this week too) opening 一师一表; and the
// week navigation of every timetable, stepping from the week the server answered. 安全监管's
// day view steps by day.

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const BASE = '/api/v1/dimensions/process/schools/s1';

const props = (date: string | null, onDate?: (d: string | null) => void): PageProps => ({
  scope: 'school:s1',
  term: null,
  date,
  leader: true,
  decider: true,
  drill: () => {},
  placeName: () => '第1小学',
  childScopes: [],
  onTerm: () => {},
  onDate,
});

/** The console's part: `?date=` follows the navigation (here, a prop). */
function WithDate({ start, page }: { start: string | null; page: (p: PageProps) => JSX.Element }): JSX.Element {
  const [date, setDate] = useState(start);
  return page(props(date, setDate));
}

const session = (id: string, day: string, teacher = 't1'): Timetable['sessions'][number] => ({
  session_id: id,
  school_id: 's1',
  offering_id: 'o1',
  course_id: 'c1',
  course_name: '篮球训练',
  teacher_id: teacher,
  teacher_name: '李明华',
  room: '301',
  planned_start: `${day}T15:30:00.000+08:00`,
  planned_end: `${day}T16:30:00.000+08:00`,
  state: 'scheduled',
  prepared: true,
});

/** The week of a day as the server answers it (Monday–Sunday), with one session per day asked. */
const weekOf = (day: string | null): Timetable => {
  const d = day ?? '2026-11-27';
  const n = Date.parse(`${d}T00:00:00Z`) / 86_400_000;
  const weekday = (new Date(n * 86_400_000).getUTCDay() + 6) % 7;
  const at = (k: number) => new Date((n - weekday + k) * 86_400_000).toISOString().slice(0, 10);
  return {
    monday: at(0),
    sunday: at(6),
    sessions: [session(`se-${at(0)}`, at(2))],
    // As the server counts the week (not from the sessions listed here).
    prepared: { sessions_scheduled: 4, sessions_prepared: 3, prepared_rate: 0.75 },
  };
};

const students: StudentList = {
  total: 2,
  students: [
    { student_id: 'st1', masked_name: '张*明', grade: 3, class_name: '3年级1班' },
    { student_id: 'st20', masked_name: '王**明', grade: 6, class_name: '6年级2班' },
  ],
};

const studentWeek = (day: string | null): StudentTimetable => ({
  ...weekOf(day),
  student: { student_id: 'st1', masked_name: '张*明', school_id: 's1', grade: 3, class_name: '3年级1班' },
  offering_ids: ['o1'],
  present_session_ids: [],
});

const teachers: TeacherList = {
  monday: '2026-11-23',
  sunday: '2026-11-29',
  teachers: [
    {
      teacher_id: 't4',
      name: '陈静',
      certificate: 'skill',
      provider_id: 'p2',
      provider_name: '墨香书院',
      provider_qualified: true,
      week_sessions: 2,
    },
    {
      teacher_id: 't5',
      name: '刘洋',
      certificate: 'none',
      provider_id: '',
      provider_name: '',
      provider_qualified: null,
      week_sessions: 0,
    },
  ],
};

const routes = () =>
  mockApi({
    'GET /api/v1/dimensions/process': { term: '2026-autumn', rows: [] },
    [`GET ${BASE}/timetable`]: (c: Call) => ({ status: 200, body: weekOf(c.search.get('date')) }),
    [`GET ${BASE}/students`]: (c: Call) => ({
      status: 200,
      body: c.search.get('q') === '明' ? students : { total: 0, students: [] },
    }),
    [`GET ${BASE}/students/st1/timetable`]: (c: Call) => ({ status: 200, body: studentWeek(c.search.get('date')) }),
    [`GET ${BASE}/teachers`]: teachers,
    [`GET ${BASE}/teachers/t5/timetable`]: (c: Call) => ({
      status: 200,
      body: { ...weekOf(c.search.get('date')), sessions: [], teacher: null },
    }),
  });

describe('过程监管: finding people', () => {
  it('finds students by a fragment of the name and opens 一生一表, masked, no id on screen', async () => {
    const calls = routes();
    render(<ProcessPage {...props('2026-11-27', () => {})} />);
    fireEvent.click(screen.getByTestId('console-tab-students'));
    fireEvent.change(screen.getByTestId('console-student-search'), { target: { value: ' 明 ' } });
    fireEvent.click(screen.getByTestId('console-action-student-search'));
    await vi.waitFor(() => expect(screen.getAllByTestId('console-student-row')).toHaveLength(2));
    const asked = calls.filter((c) => c.path === `${BASE}/students`).at(-1);
    expect([asked?.search.get('q'), asked?.search.get('scope'), asked?.search.get('limit')]).toEqual([
      '明',
      'school:s1',
      '20',
    ]);
    const rows = screen.getAllByTestId('console-student-row').map((r) => r.textContent);
    expect(rows).toEqual(['张*明3年级3年级1班一生一表', '王**明6年级6年级2班一生一表']);
    expect(screen.getByTestId('console-student-total').textContent).toBe('姓名含“明”的学生共 2 人');
    expect(screen.getByTestId('console-detail').textContent).not.toMatch(/st1|st20/);
    fireEvent.click(within(screen.getAllByTestId('console-student-row')[0] as HTMLElement).getByText('一生一表'));
    expect((await screen.findByTestId('console-student-name')).textContent).toBe('张*明');
    expect(calls.at(-1)?.path).toBe(`${BASE}/students/st1/timetable`);
    expect(calls.at(-1)?.search.get('date')).toBe('2026-11-27');
    // Back on 学生查询: the same search, as it was sent.
    fireEvent.click(screen.getByTestId('console-tab-students'));
    expect((screen.getByTestId('console-student-search') as HTMLInputElement).value).toBe('明');
    await vi.waitFor(() => expect(screen.getAllByTestId('console-student-row')).toHaveLength(2));
  });

  it('says so when no student matches', async () => {
    routes();
    render(<ProcessPage {...props(null, () => {})} />);
    fireEvent.click(screen.getByTestId('console-tab-students'));
    fireEvent.change(screen.getByTestId('console-student-search'), { target: { value: '赵' } });
    fireEvent.click(screen.getByTestId('console-action-student-search'));
    expect((await screen.findByText('没有姓名含此内容的学生')).tagName).toBe('TD');
  });

  it('lists the school’s teachers, those without a session this week too, and opens 一师一表', async () => {
    const calls = routes();
    render(<ProcessPage {...props('2026-11-27', () => {})} />);
    fireEvent.click(screen.getByTestId('console-tab-teachers'));
    await vi.waitFor(() => expect(screen.getAllByTestId('console-teacher-row')).toHaveLength(2));
    const cells = screen
      .getAllByTestId('console-teacher-row')
      .map((r) => [...r.querySelectorAll('td')].slice(0, 5).map((td) => td.textContent));
    expect(cells).toEqual([
      ['陈静', '技能证书', '墨香书院', '已准入', '2'],
      ['刘洋', '无证书', '本校教师', '—', '0'],
    ]);
    expect(screen.getByText('当周节次').getAttribute('data-total')).toBe('sum');
    fireEvent.click(within(screen.getAllByTestId('console-teacher-row')[1] as HTMLElement).getByText('一师一表'));
    await screen.findByTestId('console-teacher-profile');
    expect(calls.at(-1)?.path).toBe(`${BASE}/teachers/t5/timetable`);
    expect(screen.getByTestId('console-tab-teacher').className).toContain('active');
  });
});

describe('week navigation', () => {
  it('steps from the week the server answered, asks for that week and shows it', async () => {
    const calls = routes();
    render(<WithDate start={null} page={ProcessPage} />);
    const shown = () => screen.getByTestId('console-date-shown').getAttribute('data-shown');
    await vi.waitFor(() => expect(shown()).toBe('2026-11-23'));
    expect(screen.getByTestId('console-date-today')).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByTestId('console-date-prev'));
    await vi.waitFor(() => expect(shown()).toBe('2026-11-16'));
    expect(calls.filter((c) => c.path === `${BASE}/timetable`).map((c) => c.search.get('date'))).toEqual([
      null,
      '2026-11-16',
    ]);
    expect(screen.getByTestId('console-date-shown').textContent).toBe('2026-11-16 至 2026-11-22');
    // The grid is the answer's: its one session on the Wednesday of that week.
    expect(screen.getAllByTestId('console-session').map((s) => s.getAttribute('data-subject'))).toEqual([
      'se-2026-11-16',
    ]);
    fireEvent.click(screen.getByTestId('console-date-next'));
    fireEvent.click(screen.getByTestId('console-date-next'));
    // A step waits for the answer (no step from a week not yet shown).
    await vi.waitFor(() => expect(shown()).toBe('2026-11-23'));
    fireEvent.click(screen.getByTestId('console-date-next'));
    await vi.waitFor(() => expect(shown()).toBe('2026-11-30'));
    fireEvent.change(screen.getByTestId('console-date-pick'), { target: { value: '2026-10-08' } });
    await vi.waitFor(() => expect(shown()).toBe('2026-10-05'));
    fireEvent.click(screen.getByTestId('console-date-today'));
    await vi.waitFor(() => expect(shown()).toBe('2026-11-23'));
    expect(calls.filter((c) => c.path === `${BASE}/timetable`).map((c) => c.search.get('date'))).toEqual([
      null,
      '2026-11-16',
      '2026-11-23',
      '2026-11-30',
      '2026-10-08',
      null,
    ]);
  });

  it('shows the week’s 教师备课 at the school as the server counts it', async () => {
    routes();
    render(<ProcessPage {...props('2026-11-27', () => {})} />);
    const line = await screen.findByTestId('console-week-prepared');
    expect(line.getAttribute('data-value')).toBe('0.75');
    expect(line.textContent).toMatch(/^本周已备课 3 \/ 4 节，备课率 75.0%$/);
  });

  it('keeps the person open while the week moves (一生一表)', async () => {
    const calls = routes();
    render(<WithDate start="2026-11-27" page={ProcessPage} />);
    fireEvent.click(screen.getByTestId('console-tab-students'));
    fireEvent.change(screen.getByTestId('console-student-search'), { target: { value: '明' } });
    fireEvent.click(screen.getByTestId('console-action-student-search'));
    await vi.waitFor(() => expect(screen.getAllByTestId('console-student-row')).toHaveLength(2));
    fireEvent.click(within(screen.getAllByTestId('console-student-row')[0] as HTMLElement).getByText('一生一表'));
    await screen.findByTestId('console-student-name');
    fireEvent.click(screen.getByTestId('console-date-prev'));
    await vi.waitFor(() =>
      expect(screen.getByTestId('console-date-shown').getAttribute('data-shown')).toBe('2026-11-16'),
    );
    expect(screen.getByTestId('console-student-name').textContent).toBe('张*明');
    const weeks = calls.filter((c) => c.path === `${BASE}/students/st1/timetable`);
    expect(weeks.map((c) => c.search.get('date'))).toEqual(['2026-11-27', '2026-11-16']);
  });

  it('安全监管 steps by day from the day the server answered', async () => {
    const calls = mockApi({
      'GET /api/v1/dimensions/safety': (c: Call) => ({
        status: 200,
        body: { date: c.search.get('date') ?? '2026-11-27', rows: [] },
      }),
      'GET /api/v1/dimensions/safety/schools/s1': (c: Call) => ({
        status: 200,
        body: { date: c.search.get('date') ?? '2026-11-27', courses: [] },
      }),
    });
    render(<WithDate start={null} page={SafetyPage} />);
    const shown = () => screen.getByTestId('console-date-shown').getAttribute('data-shown');
    await vi.waitFor(() => expect(shown()).toBe('2026-11-27'));
    expect(screen.getByTestId('console-date-nav').textContent).toContain('前一天');
    fireEvent.click(screen.getByTestId('console-date-prev'));
    await vi.waitFor(() => expect(shown()).toBe('2026-11-26'));
    // The school's course list follows the same day.
    await vi.waitFor(() =>
      expect(calls.filter((c) => c.path.endsWith('/schools/s1')).map((c) => c.search.get('date'))).toEqual([
        null,
        '2026-11-26',
      ]),
    );
  });
});

describe('过程监管: 教师备课 per child', () => {
  it('shows 已备课节次 (summed in the export) and 备课率 per child, no rate as 暂无数据', async () => {
    const row = (id: string, scheduled: number, prepared: number) => ({
      child: { kind: 'district' as const, id, name: id === 'd1' ? '东城区' : '新区' },
      schools: 1,
      students: 100,
      students_enrolled: 50,
      enrollment_rate: 0.5,
      offerings: 2,
      sessions_scheduled: scheduled,
      sessions_held: scheduled,
      sessions_completed: scheduled,
      sessions_prepared: prepared,
      prepared_rate: scheduled > 0 ? prepared / scheduled : null,
    });
    mockApi({
      'GET /api/v1/dimensions/process': { term: '2026-autumn', rows: [row('d1', 8, 6), row('d3', 0, 0)] },
    });
    render(<ProcessPage {...props('2026-11-27', () => {})} scope="city" />);
    await screen.findAllByTestId('console-row');
    const table = screen.getByTestId('console-children');
    const heads = [...table.querySelectorAll('th')].map((th) => [th.textContent, th.getAttribute('data-total')]);
    expect(heads).toContainEqual(['已备课节次', 'sum']);
    expect(heads).toContainEqual(['备课率', null]);
    const cell = (r: number, key: string) =>
      screen.getAllByTestId('console-row')[r]?.querySelector(`[data-key="${key}"]`) as HTMLElement;
    expect([cell(0, 'sessions_prepared').dataset.value, cell(0, 'prepared_rate').textContent]).toEqual(['6', '75.0%']);
    expect([cell(1, 'prepared_rate').dataset.value, cell(1, 'prepared_rate').textContent]).toEqual(['', '暂无数据']);
  });
});

describe('names, never ids, in a week', () => {
  it('shows a course and teacher the registry does not know as such, not by id', () => {
    const unknown = {
      ...session('se-x', '2026-11-25', 'T-9001'),
      course_id: 'C-77',
      course_name: '',
      teacher_name: '',
    };
    render(<WeekGrid timetable={{ ...weekOf('2026-11-25'), sessions: [unknown] }} onTeacher={() => {}} />);
    const text = screen.getByTestId('console-timetable').textContent ?? '';
    expect(text).toContain('（未登记课程）');
    expect(text).toContain('（未登记教师）');
    expect(text).not.toMatch(/C-77|T-9001|se-x/);
  });
});
