import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { AlertGroup } from '@edu/analytics/live';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../api/types.ts';
import { AlertFeed, wallCounts } from './AlertFeed.tsx';
import { CriticalPopup } from './CriticalPopup.tsx';

const member = (n: number, over: Partial<Alert> = {}): Alert => ({
  id: `student_not_checked_out:2026-11-27:se${n}`,
  rule: 'student_not_checked_out',
  severity: 'critical',
  state: 'open',
  dimension: 'safety',
  school_id: `s${n}`,
  school_name: `凤凰区第${n}中学`,
  zone_id: 'z1',
  district_id: 'd1',
  subject_id: `se${n}`,
  title: '学生未签退',
  detail: `「少儿篮球」（15:30–16:30）下课30分钟后，仍有${n}名学生已签到未签退`,
  opened_at: `2026-11-27T17:0${n}:00.000+08:00`,
  updated_at: '',
  ...over,
});

const group = (key: string, members: Alert[], text: string): AlertGroup => ({
  key,
  rule: members[0]!.rule,
  severity: members[0]!.severity,
  dimension: members[0]!.dimension,
  title: members[0]!.title,
  place: '凤凰区',
  district_id: 'd1',
  school_id: members.length === 1 ? members[0]!.school_id : null,
  count: members.length,
  schools: members.length,
  text,
  opened_at: members[0]!.opened_at,
  latest_at: members.at(-1)!.opened_at,
  members,
});

const critical = group(
  'student_not_checked_out|d1',
  [member(1), member(2), member(3)],
  '凤凰区：学生未签退（3节课，3所学校）',
);
const single = group(
  'teacher_not_checked_in|d2',
  [
    member(4, {
      id: 'teacher_not_checked_in:2026-11-27:se4',
      rule: 'teacher_not_checked_in',
      severity: 'warning',
      dimension: 'process',
      title: '教师未签到',
      detail: '「书法」（15:30–16:30）计划开课5分钟后，任课教师王*明仍未签到',
    }),
  ],
  '凤凰区第4中学：教师未签到',
);

afterEach(cleanup);

describe('AlertFeed', () => {
  it('shows one line per group with its count, expanding into its members', () => {
    const pick = vi.fn();
    render(<AlertFeed groups={[critical, single]} onPick={pick} />);
    const lines = screen.getAllByTestId('alert-group');
    expect(lines).toHaveLength(1);
    const head = lines[0]!.querySelector('[role="button"]') as HTMLElement;
    expect(head.textContent).toContain('凤凰区：学生未签退（3节课，3所学校）');
    expect(head.getAttribute('title')).toBe('凤凰区：学生未签退（3节课，3所学校）');
    expect(head.querySelector('.alert-count')?.textContent).toBe('3');
    // Folded: the members are not drawn (the text is the line's); a click unfolds them.
    expect(lines[0]!.querySelector('.alert-members')).toBeNull();
    expect(head.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(head);
    const members = lines[0]!.querySelector('.alert-members') as HTMLElement;
    expect(members.querySelectorAll('[data-testid="alert-item"]')).toHaveLength(3);
    expect(head.getAttribute('aria-expanded')).toBe('true');
    // A member opens 一键监管 for itself, its whole text readable (wrapped, and as its tooltip).
    const second = members.querySelector('[data-alert="student_not_checked_out:2026-11-27:se2"]') as HTMLElement;
    expect(second.textContent).toContain(
      '凤凰区第2中学：「少儿篮球」（15:30–16:30）下课30分钟后，仍有2名学生已签到未签退',
    );
    expect(second.getAttribute('title')).toContain('仍有2名学生已签到未签退');
    fireEvent.click(second);
    expect(pick).toHaveBeenCalledWith(critical.members[1]);
    fireEvent.keyDown(head, { key: 'Enter' });
    expect(lines[0]!.querySelector('.alert-members')).toBeNull();
  });

  it('an open line follows an update: a new member appears, a changed state is redrawn', () => {
    const { rerender } = render(<AlertFeed groups={[critical]} onPick={() => {}} />);
    fireEvent.click(screen.getByRole('button'));
    expect(screen.getAllByTestId('alert-item')).toHaveLength(3);
    // A new update: new objects, one member more, the first one acknowledged.
    const next = group(
      critical.key,
      [member(1, { state: 'acknowledged' }), member(2), member(3), member(4)],
      '凤凰区：学生未签退（4节课，4所学校）',
    );
    rerender(<AlertFeed groups={[next]} onPick={() => {}} />);
    const items = screen.getAllByTestId('alert-item');
    expect(items).toHaveLength(4);
    expect(items[0]!.getAttribute('data-state')).toBe('acknowledged');
    expect(items[0]!.textContent).toContain('已确认');
    expect(screen.getByRole('button').textContent).toContain('4节课，4所学校');
  });

  it('a group of one is its member: a click opens 一键监管', () => {
    const pick = vi.fn();
    render(<AlertFeed groups={[single]} onPick={pick} />);
    const item = screen.getByTestId('alert-item');
    expect(item.textContent).toContain('凤凰区第4中学：教师未签到');
    expect(item.textContent).toContain('任课教师王*明仍未签到');
    expect(item.getAttribute('data-state')).toBe('open');
    fireEvent.click(item);
    expect(pick).toHaveBeenCalledWith(single.members[0]);
  });

  it('says so when there is nothing, and counts the wall by severity', () => {
    render(<AlertFeed groups={[]} onPick={() => {}} />);
    expect(screen.getByText('当前无预警')).toBeTruthy();
    expect(wallCounts([critical, single])).toEqual({ critical: 3, warning: 1, info: 0 });
  });
});

describe('CriticalPopup', () => {
  it('shows the new group, names its first members, and opens 一键监管 for it', () => {
    const open = vi.fn();
    const dismiss = vi.fn();
    const second = group('student_not_checked_out|d2', [member(5, { district_id: 'd2' })], '第5中学：学生未签退');
    render(<CriticalPopup groups={[critical, second]} sound={false} onOpen={open} onDismiss={dismiss} />);
    const popup = screen.getByTestId('critical-popup');
    expect(popup.getAttribute('data-group')).toBe('student_not_checked_out|d1');
    expect(popup.textContent).toContain('紧急预警（另有1组待查看）');
    expect(popup.textContent).toContain('凤凰区：学生未签退（3节课，3所学校）');
    expect(popup.textContent).toContain(
      '凤凰区第1中学：「少儿篮球」（15:30–16:30）下课30分钟后，仍有1名学生已签到未签退',
    );
    fireEvent.click(screen.getByText('一键监管'));
    expect(open).toHaveBeenCalledWith(critical);
    fireEvent.click(screen.getByText('知道了'));
    expect(dismiss).toHaveBeenCalledWith('student_not_checked_out|d1');
  });

  it('shows nothing without a new group', () => {
    render(<CriticalPopup groups={[]} sound={false} onOpen={() => {}} onDismiss={() => {}} />);
    expect(screen.queryByTestId('critical-popup')).toBeNull();
  });
});
