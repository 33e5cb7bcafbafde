import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Geo, PublicUser } from '../api/types.ts';
import { useSession } from '../state/session.ts';
import { Console } from './index.tsx';
import { mockApi, reply, type Call } from './test-fetch.ts';
import type { Budget, BudgetRow, SafetyChildRow, SafetyCourseRow } from './types.ts';

// The console mounted whole, fetch mocked at the boundary: what the nav offers each role,
// the row → scope drill-down against the API's query, decisions, and refusals.

const geo: Geo = {
  districts: [{ id: 'd1', name: '东城区' }],
  zones: [{ id: 'z1', name: '一学区', district_id: 'd1' }],
  schools: [{ id: 's1', name: '第1小学', zone_id: 'z1', district_id: 'd1' }],
};

const user = (role: PublicUser['role'], scopes: string[]): PublicUser => ({
  user_id: `u-${role}`,
  phone: '13800000001',
  name: role === 'leader' ? '局领导' : '东城区专干',
  role,
  dimensions: [],
  districts: [],
  scopes,
  must_change_password: false,
});

const metrics = {
  sessions_scheduled: 2,
  sessions_started: 2,
  sessions_completed: 1,
  students_expected: 3,
  students_present: 3,
  teachers_present: 1,
  students_enrolled: 3,
  students: 500,
  settled_amount: 90000,
  fees_enrolled: 25000,
  sessions_prepared: 1,
  completion_rate: 0.5,
  attendance_rate: 1,
  teacher_attendance_rate: 0.5,
  enrollment_rate: 0.006,
  prepared_rate: 0.5,
};

/** Due so far at 16:05 (contract v1.1): both sessions begun, none due to end yet. */
const due = {
  sessions_due: 2,
  students_due: 3,
  students_present: 2,
  teachers_present: 1,
  sessions_due_end: 0,
  sessions_completed: 0,
  attendance_rate: 2 / 3,
  teacher_attendance_rate: 0.5,
  completion_rate: null,
  at: '2026-11-27T16:05:00+08:00',
  grace_minutes: 10,
};

/** The safety rows of a scope: its one child in the fixture geography. */
function safetyRows(c: Call) {
  const scope = c.search.get('scope');
  const child =
    scope === 'district:d1'
      ? { kind: 'zone', id: 'z1', name: '一学区' }
      : scope === 'city'
        ? { kind: 'district', id: 'd1', name: '东城区' }
        : { kind: 'school', id: 's1', name: '第1小学' };
  const rows: SafetyChildRow[] = [{ child: child as SafetyChildRow['child'], schools: 1, metrics, due }];
  return { status: 200, body: { date: '2026-11-27', rows } };
}

const courses: SafetyCourseRow[] = [
  {
    course_id: 'c-o1',
    course_name: '篮球训练',
    offering_ids: ['o1'],
    metrics: {
      sessions_scheduled: 1,
      sessions_started: 1,
      sessions_completed: 1,
      students_expected: 2,
      students_present: 2,
      teachers_present: 1,
      completion_rate: 1,
      attendance_rate: 1,
      teacher_attendance_rate: null,
    },
    due: { ...due, sessions_due: 1, students_due: 2, students_present: 2, attendance_rate: 1 },
  },
];

const budgetRows: BudgetRow[] = [
  {
    child: { kind: 'school', id: 's1', name: '第1小学' },
    schools: 1,
    schools_with_budget: 1,
    budgets: 1,
    by_state: { pending: 1, approved: 0, rejected: 0, voided: 0 },
    total: 110000,
    course_amount: 100000,
    other_amount: 10000,
    course_share: 100000 / 110000,
    other_share: 10000 / 110000,
  },
];
const budget: Budget = {
  budget_id: 'b1',
  ts: '2026-09-12T09:00:00+08:00',
  items: [
    { category: 'course', course_id: 'c-o1', name: '篮球训练课时费', amount: 80000 },
    { category: 'other', name: '保险', amount: 10000 },
  ],
  total: 90000,
  course_amount: 80000,
  other_amount: 10000,
  decision: null,
  state: 'pending',
};

beforeEach(() => {
  window.history.replaceState(null, '', '/?date=2026-11-27#/console');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  useSession.setState({ user: null, token: null });
});

const navItems = () =>
  screen.getAllByRole('button').filter((b) => b.getAttribute('data-testid')?.startsWith('console-nav-'));

describe('the console', () => {
  it('shows staff only their dimensions and drills from their district to a school', async () => {
    useSession.setState({ token: 't', user: user('staff', ['district:d1']) });
    const calls = mockApi({
      'GET /api/v1/dimensions': { dimensions: ['safety'] },
      'GET /api/v1/geo': geo,
      'GET /api/v1/dimensions/safety': safetyRows,
      'GET /api/v1/dimensions/safety/schools/s1': { date: '2026-11-27', courses },
    });
    render(<Console />);
    await waitFor(() =>
      expect(navItems().map((b) => b.getAttribute('data-testid'))).toEqual([
        'console-nav-safety',
        'console-nav-charts',
        'console-nav-pipeline',
        'console-nav-notices',
      ]),
    );
    // Staff start at their district, never the city (the server would refuse it).
    const row = await screen.findByTestId('console-row');
    expect(row.getAttribute('data-scope')).toBe('zone:z1');
    expect(calls.find((c) => c.path === '/api/v1/dimensions/safety')?.search.get('scope')).toBe('district:d1');
    expect(calls.find((c) => c.path === '/api/v1/dimensions/safety')?.search.get('date')).toBe('2026-11-27');
    expect(within(screen.getByTestId('breadcrumb')).queryByText('全市')).toBeNull();

    fireEvent.click(row);
    await waitFor(() => expect(screen.getByTestId('console-row').getAttribute('data-scope')).toBe('school:s1'));
    expect(window.location.hash).toBe('#/console/safety?scope=zone%3Az1');
    fireEvent.click(screen.getByTestId('console-row'));
    const detail = await screen.findByTestId('console-detail');
    expect(await within(detail).findByText('篮球训练')).toBeTruthy();
    const school = calls.find((c) => c.path === '/api/v1/dimensions/safety/schools/s1');
    expect(school?.search.get('date')).toBe('2026-11-27');
    expect(school?.search.get('scope')).toBe('school:s1');
    // 一键监管 yes, 喊停 / 否定 no.
    expect(screen.getByTestId('console-action-notice')).toBeTruthy();
    expect(screen.queryByTestId('console-action-halt')).toBeNull();
    expect(screen.queryByTestId('console-action-void')).toBeNull();
    // A rate without data reads 暂无数据.
    expect(within(detail).getAllByText('暂无数据').length).toBeGreaterThan(0);
  });

  it('opens an allowed page instead of one outside the user’s dimensions', async () => {
    window.history.replaceState(null, '', '/?date=2026-11-27#/console/material?scope=district%3Ad1');
    useSession.setState({ token: 't', user: user('staff', ['district:d1']) });
    const calls = mockApi({
      'GET /api/v1/dimensions': { dimensions: ['safety'] },
      'GET /api/v1/geo': geo,
      'GET /api/v1/dimensions/safety': safetyRows,
    });
    render(<Console />);
    await screen.findByTestId('console-page-safety');
    await waitFor(() => expect(window.location.hash).toBe('#/console/safety?scope=district%3Ad1'));
    expect(calls.some((c) => c.path === '/api/v1/dimensions/material')).toBe(false);
  });

  it("shows the server's refusal of a scope in Chinese", async () => {
    window.history.replaceState(null, '', '/#/console/safety?scope=school%3As3');
    useSession.setState({ token: 't', user: user('staff', ['district:d1']) });
    mockApi({
      'GET /api/v1/dimensions': { dimensions: ['safety'] },
      'GET /api/v1/geo': geo,
      'GET /api/v1/dimensions/safety': reply(403, {
        error: 'district d2 is not among your districts',
        code: 'district_not_yours',
      }),
      'GET /api/v1/dimensions/safety/schools/s3': reply(403, {
        error: 'district d2 is not among your districts',
        code: 'district_not_yours',
      }),
    });
    render(<Console />);
    const errors = await screen.findAllByTestId('console-error');
    expect(errors.map((e) => e.textContent)).toContain('该辖区不在您的权限范围内');
  });

  it('lets a leader reject a budget with a reason', async () => {
    window.history.replaceState(null, '', '/?date=2026-11-27#/console/budget?scope=zone%3Az1&term=2026-autumn');
    useSession.setState({ token: 't', user: user('leader', ['city']) });
    const calls = mockApi({
      'GET /api/v1/dimensions': { dimensions: ['material', 'budget', 'process', 'course', 'safety', 'feedback'] },
      'GET /api/v1/geo': geo,
      'GET /api/v1/dimensions/budget': { term: '2026-autumn', rows: budgetRows },
      'GET /api/v1/dimensions/budget/schools/s1': { term: '2026-autumn', budgets: [budget], settled_vs_budget: [] },
      'POST /api/v1/decisions': reply(201, { notice_id: 'sup-9', decision: 'rejected' }),
    });
    render(<Console />);
    expect(navItems()).toHaveLength(0); // until the server has said which pages
    // Six dimensions, 图表, 流程全景, 督办 and (operations pages for leaders) 数据质量 and 操作日志.
    await waitFor(() => expect(navItems()).toHaveLength(11));
    const row = await screen.findByTestId('console-row');
    expect(row.querySelector('[data-key="total"]')?.getAttribute('data-value')).toBe('110000');
    expect(row.querySelector('[data-key="total"]')?.textContent).toBe('1100元');
    expect(calls.find((c) => c.path === '/api/v1/dimensions/budget')?.search.get('term')).toBe('2026-autumn');
    fireEvent.click(row);
    const card = await screen.findByTestId('console-item');
    expect(card.getAttribute('data-subject')).toBe('b1');
    // Leaders see 喊停 and 否定 beside 通过 / 驳回.
    for (const a of ['approve', 'reject', 'halt', 'void'])
      expect(within(card).getByTestId(`console-action-${a}`)).toBeTruthy();
    fireEvent.click(within(card).getByTestId('console-action-reject'));
    fireEvent.change(screen.getByTestId('console-reason'), { target: { value: '课程经费占比过高' } });
    fireEvent.click(screen.getByTestId('console-submit'));
    await screen.findByTestId('console-done');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      target_type: 'school',
      target_id: 's1',
      dimension: 'budget',
      subject_id: 'b1',
      decision: 'rejected',
      content: '课程经费占比过高',
    });
    // The school's budgets are read again, to show the new state.
    await waitFor(() => expect(calls.filter((c) => c.path === '/api/v1/dimensions/budget/schools/s1')).toHaveLength(2));
  });
});
