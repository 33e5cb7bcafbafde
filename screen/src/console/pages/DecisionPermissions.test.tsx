import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Geo, PublicUser } from '../../api/types.ts';
import { mayDecideFor } from '../may-decide.ts';
import { mockApi, reply } from '../test-fetch.ts';
import type { Admission, PageProps, SafetyCourseRow, SchoolOfferings } from '../types.ts';
import { AdmissionSection } from './AdmissionSection.tsx';
import { CoursePage } from './CoursePage.tsx';
import { SafetyPage } from './SafetyPage.tsx';

// Decision buttons follow the server's rule (@edu/analytics/may-decide, through may-decide.ts):
// a user sees only the decisions POST /api/v1/decisions would accept (issue 11). And 喊停 on
// 安全监管 is a `halted` on the course's offering (dimension course), what the figures follow.

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const GEO: Geo = {
  districts: [
    { id: 'd1', name: '东城区' },
    { id: 'd2', name: '西城区' },
  ],
  zones: [
    { id: 'z1', name: '第一学区', district_id: 'd1' },
    { id: 'z2', name: '第二学区', district_id: 'd2' },
  ],
  schools: [
    { id: 's1', name: '第1小学', zone_id: 'z1', district_id: 'd1' },
    { id: 's3', name: '第3小学', zone_id: 'z2', district_id: 'd2' },
  ],
};

const user = (role: PublicUser['role'], districts: string[], dimensions = ['course', 'safety']): PublicUser => ({
  user_id: `u-${role}`,
  phone: '13800000000',
  name: role,
  role,
  dimensions,
  districts,
  scopes: role === 'staff' ? districts.map((d) => `district:${d}`) : ['city'],
  must_change_password: false,
});

const props = (u: PublicUser, scope: string): PageProps => ({
  scope,
  term: null,
  date: null,
  leader: u.role === 'leader',
  decider: u.role !== 'admin',
  mayDecide: mayDecideFor(u, GEO),
  drill: () => {},
  placeName: (s) => (s === 'school:s1' ? '第1小学' : '全市'),
  childScopes: [],
  onTerm: () => {},
});

const admission: Admission = {
  states: { pending: 1, approved: 0, rejected: 0 },
  rows: [
    {
      provider_id: 'p3',
      name: '未来科技',
      channel: 'self',
      qualified: false,
      teachers: [],
      courses: 1,
      state: 'pending',
      decision: null,
    },
  ],
};

const buttons = (el: HTMLElement) =>
  within(el)
    .queryAllByRole('button')
    .map((b) => b.textContent);

describe('准入审核 buttons by role', () => {
  it('shows 通过 / 驳回 to a leader', async () => {
    mockApi({ 'GET /api/v1/dimensions/course/admission': admission });
    render(<AdmissionSection {...props(user('leader', []), 'city')} />);
    const [row] = await screen.findAllByTestId('console-admission-row');
    expect(buttons(row as HTMLElement)).toEqual(['通过', '驳回']);
  });

  it('shows none to department staff of one district (the server answers 403: the admission touches every school)', async () => {
    mockApi({ 'GET /api/v1/dimensions/course/admission': admission });
    render(<AdmissionSection {...props(user('staff', ['d1']), 'district:d1')} />);
    const [row] = await screen.findAllByTestId('console-admission-row');
    expect(buttons(row as HTMLElement)).toEqual([]);
  });

  it('shows them to staff whose districts cover the whole city, and none without the course dimension', async () => {
    mockApi({ 'GET /api/v1/dimensions/course/admission': admission });
    render(<AdmissionSection {...props(user('staff', ['d1', 'd2']), 'city')} />);
    const [row] = await screen.findAllByTestId('console-admission-row');
    expect(buttons(row as HTMLElement)).toEqual(['通过', '驳回']);
    cleanup();
    render(<AdmissionSection {...props(user('staff', ['d1', 'd2'], ['safety']), 'city')} />);
    const [again] = await screen.findAllByTestId('console-admission-row');
    expect(buttons(again as HTMLElement)).toEqual([]);
  });
});

describe('开课审批 buttons by role', () => {
  const offerings = {
    term: '2026-autumn',
    offerings: [
      {
        offering_id: 'o1',
        course_id: 'c-o1',
        course_name: '篮球训练',
        state: 'pending',
        decision: null,
      },
    ],
  } as unknown as SchoolOfferings;
  const routes = {
    'GET /api/v1/dimensions/course': { term: '2026-autumn', rows: [] },
    'GET /api/v1/dimensions/course/schools/s1': offerings,
    'GET /api/v1/dimensions/course/admission': { states: { pending: 0, approved: 0, rejected: 0 }, rows: [] },
  };
  const offeringButtons = async () =>
    (await screen.findAllByTestId('console-action-approve')).length > 0
      ? ['approve', 'reject', 'halt', 'void'].filter((a) => screen.queryByTestId(`console-action-${a}`))
      : [];

  it('shows a leader every decision of an offering, staff of its district only 通过 / 驳回', async () => {
    mockApi(routes);
    render(<CoursePage {...props(user('leader', []), 'school:s1')} />);
    expect(await offeringButtons()).toEqual(['approve', 'reject', 'halt', 'void']);
    cleanup();
    mockApi(routes);
    render(<CoursePage {...props(user('staff', ['d1']), 'school:s1')} />);
    expect(await offeringButtons()).toEqual(['approve', 'reject']);
  });
});

describe('喊停 on 安全监管', () => {
  const course = (offering_ids: string[]): SafetyCourseRow => ({
    course_id: 'c-o1',
    course_name: '篮球训练',
    offering_ids,
    metrics: {
      sessions_scheduled: 2,
      sessions_started: 0,
      sessions_completed: 0,
      students_expected: 40,
      students_present: 0,
      teachers_present: 0,
      completion_rate: 0,
      attendance_rate: 0,
      teacher_attendance_rate: 0,
    },
    due: null as unknown as SafetyCourseRow['due'],
  });
  const routes = (offerings: string[]) => ({
    'GET /api/v1/dimensions/safety': { date: '2026-11-27', rows: [] },
    'GET /api/v1/dimensions/safety/schools/s1': { date: '2026-11-27', courses: [course(offerings)] },
    'POST /api/v1/decisions': reply(201, { notice_id: 'sup-7', decision: 'halted' }),
  });

  it('halts the course’s offering at the school (dimension course, the offering as subject)', async () => {
    const calls = mockApi(routes(['o1']));
    render(<SafetyPage {...props(user('leader', []), 'school:s1')} />);
    const item = await screen.findByTestId('console-item');
    fireEvent.click(within(item).getByText('喊停'));
    expect(screen.getByTestId('console-dialog').textContent).toContain('第1小学「篮球训练」课后服务');
    fireEvent.change(screen.getByTestId('console-reason'), { target: { value: '场地存在安全隐患' } });
    fireEvent.click(screen.getByTestId('console-submit'));
    await screen.findByTestId('console-done');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      target_type: 'school',
      target_id: 's1',
      dimension: 'course',
      subject_id: 'o1',
      decision: 'halted',
      content: '场地存在安全隐患',
    });
  });

  it('offers one 喊停 per class when the course runs several at the school, and none to staff', async () => {
    const calls = mockApi(routes(['o1', 'o9']));
    render(<SafetyPage {...props(user('leader', []), 'school:s1')} />);
    const item = await screen.findByTestId('console-item');
    const halts = within(item).getAllByTestId('console-action-halt');
    expect(halts.map((b) => [b.textContent, b.getAttribute('data-subject')])).toEqual([
      ['喊停·第1班', 'o1'],
      ['喊停·第2班', 'o9'],
    ]);
    fireEvent.click(halts[1] as HTMLElement);
    fireEvent.change(screen.getByTestId('console-reason'), { target: { value: '教师无资质' } });
    fireEvent.click(screen.getByTestId('console-submit'));
    await screen.findByTestId('console-done');
    expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({ subject_id: 'o9', dimension: 'course' });
    cleanup();
    mockApi(routes(['o1']));
    render(<SafetyPage {...props(user('staff', ['d1']), 'school:s1')} />);
    const staffItem = await screen.findByTestId('console-item');
    expect(within(staffItem).queryByTestId('console-action-halt')).toBeNull();
  });
});
