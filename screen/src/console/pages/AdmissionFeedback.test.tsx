import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockApi, reply } from '../test-fetch.ts';
import type { Admission, FeedbackRows, PageProps } from '../types.ts';
import { AdmissionSection } from './AdmissionSection.tsx';
import { FeedbackPage } from './FeedbackPage.tsx';

// 准入审核 on 开课审批 and 评议对象 above school level (issue 11): names and Chinese labels,
// never ids; 通过 / 驳回 post the contract's decision on the provider.

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const props = (over: Partial<PageProps> = {}): PageProps => ({
  scope: 'city',
  term: null,
  date: null,
  leader: true,
  decider: true,
  drill: () => {},
  placeName: () => '全市',
  childScopes: [],
  onTerm: () => {},
  ...over,
});

const admission: Admission = {
  states: { pending: 1, approved: 1, rejected: 0 },
  rows: [
    {
      provider_id: 'p1',
      name: '星火体育',
      channel: 'bid',
      qualified: true,
      teachers: [{ teacher_id: 't2', name: '王芳', certificate: 'coach', school_id: 's1' }],
      courses: 2,
      state: 'approved',
      decision: {
        notice_id: 'sup-1',
        decision: 'approved',
        content: '资质齐全',
        issuer_role: 'leader',
        ts: '2026-09-21T10:00:00.000+08:00',
      },
    },
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

describe('准入审核', () => {
  it('lists providers by name with channel, qualification and certificates in Chinese, and decides on the provider', async () => {
    const calls = mockApi({
      'GET /api/v1/dimensions/course/admission': admission,
      'POST /api/v1/decisions': reply(201, { notice_id: 'sup-9', decision: 'rejected' }),
    });
    render(<AdmissionSection {...props()} />);
    const rows = await screen.findAllByTestId('console-admission-row');
    const cells = (i: number) => [...(rows[i] as HTMLElement).querySelectorAll('td')].map((td) => td.textContent);
    expect(cells(0).slice(0, 6)).toEqual(['星火体育', '招标', '资质合格', '王芳（教练证）', '2', '已通过：资质齐全']);
    expect(cells(1).slice(0, 6)).toEqual(['未来科技', '自主', '资质未通过', '暂无登记教师', '1', '待审核']);
    expect(screen.getByTestId('console-admission-states').textContent).toBe('待审核 1 · 已通过 1 · 已驳回 0');
    expect(screen.getByTestId('console-admission').textContent).not.toMatch(/\bp\d|\bt\d|bid|coach/);
    // 喊停 / 否定 do not apply to an admission, even for a leader.
    expect(within(rows[1] as HTMLElement).queryByTestId('console-action-halt')).toBeNull();

    fireEvent.click(within(rows[1] as HTMLElement).getByText('驳回'));
    fireEvent.change(screen.getByTestId('console-reason'), { target: { value: '无办学资质' } });
    fireEvent.click(screen.getByTestId('console-submit'));
    await screen.findByTestId('console-done');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      target_type: 'provider',
      target_id: 'p3',
      dimension: 'course',
      subject_id: 'provider:p3',
      decision: 'rejected',
      content: '无办学资质',
    });
  });

  it('names the first teachers of a large provider and counts the rest by certificate', async () => {
    const many = Array.from({ length: 7 }, (_, i) => ({
      teacher_id: `t${i}`,
      name: `教师${i}`,
      certificate: i < 5 ? 'teacher' : 'coach',
      school_id: 's1',
    }));
    mockApi({
      'GET /api/v1/dimensions/course/admission': { ...admission, rows: [{ ...admission.rows[0], teachers: many }] },
    });
    render(<AdmissionSection {...props()} />);
    const [row] = await screen.findAllByTestId('console-admission-row');
    expect((row as HTMLElement).querySelectorAll('td')[3]?.textContent).toBe(
      '教师0（教师资格证）、教师1（教师资格证）、教师2（教师资格证）、教师3（教师资格证）、教师4（教师资格证） 等 7 名（教师资格证 5、教练证 2）',
    );
  });

  it('shows no decision buttons to an administrator', async () => {
    mockApi({ 'GET /api/v1/dimensions/course/admission': admission });
    render(<AdmissionSection {...props({ leader: false, decider: false })} />);
    const rows = await screen.findAllByTestId('console-admission-row');
    expect(within(rows[0] as HTMLElement).queryAllByRole('button')).toHaveLength(0);
  });
});

const stats = { count: 0, average_score: null, low_share: null };
const feedback: FeedbackRows = {
  term: '2026-autumn',
  rows: [
    {
      child: { kind: 'district', id: 'd2', name: '西城区' },
      schools: 2,
      total: { count: 2, average_score: 3, low_share: 0.5 },
      by_target: { course: stats, teacher: stats, provider: stats, operator: stats },
      by_source: { school: stats, teacher: stats, parent: stats },
    },
  ],
  targets: [
    {
      target: 'operator',
      target_id: 'op2',
      name: '智慧运营',
      schools: 1,
      count: 1,
      average_score: 1,
      low_share: 1,
      provider: null,
    },
    {
      target: 'course',
      target_id: 'c-o4',
      name: '阅读写作',
      schools: 2,
      count: 3,
      average_score: 3.5,
      low_share: 0,
      provider: { provider_id: 'p2', name: '墨香书院' },
    },
  ],
  low_score_runs: [
    {
      target: 'operator',
      target_id: 'op2',
      name: '智慧运营',
      run_length: 3,
      latest_ts: '2026-11-16T18:00:00.000+08:00',
    },
  ],
};

describe('评议对象 above school level', () => {
  it('lists every target of the city by name, operators included, and opens one', async () => {
    const calls = mockApi({
      'GET /api/v1/dimensions/feedback': feedback,
      'GET /api/v1/dimensions/feedback/operator/op2': { term: '2026-autumn', items: [] },
    });
    render(<FeedbackPage {...props()} />);
    const rows = await screen.findAllByTestId('console-feedback-target');
    const cells = (i: number) =>
      [...(rows[i] as HTMLElement).querySelectorAll('td')].map((td) => td.textContent).slice(0, 6);
    expect(cells(0)).toEqual(['运营方', '智慧运营', '1', '1.00分', '100.0%', '1']);
    expect(cells(1).slice(0, 3)).toEqual(['课程', '阅读写作', '3']);
    const run = screen.getByTestId('console-low-run');
    expect(run.textContent).toContain('智慧运营');
    expect(run.textContent).not.toContain('op2');
    fireEvent.click(within(rows[0] as HTMLElement).getByText('查看详情'));
    expect((await screen.findByTestId('console-detail')).textContent).toContain('评议详情 · 运营方：智慧运营');
    expect(calls.some((c) => c.path === '/api/v1/dimensions/feedback/operator/op2')).toBe(true);
  });

  it('offers an external course’s provider, by name, as the recipient of 一键监管 above school level', async () => {
    mockApi({
      'GET /api/v1/dimensions/feedback': feedback,
      'GET /api/v1/dimensions/feedback/course/c-o4': { term: '2026-autumn', items: [] },
    });
    render(<FeedbackPage {...props()} />);
    const rows = await screen.findAllByTestId('console-feedback-target');
    fireEvent.click(within(rows[1] as HTMLElement).getByText('查看详情'));
    await screen.findByText('暂无数据', { selector: '[data-testid="console-detail"] td' });
    fireEvent.click(screen.getByTestId('console-action-notice'));
    const provider = await screen.findByTestId('console-recipient-provider');
    expect(provider.parentElement?.textContent).toBe('课程方（机构）：墨香书院');
  });
});
