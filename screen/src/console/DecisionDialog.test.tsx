import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DecisionButtons, DecisionDialog } from './DecisionDialog.tsx';
import { mockApi, reply } from './test-fetch.ts';
import type { Subject } from './types.ts';

const subject: Subject = {
  target_type: 'school',
  target_id: 's1',
  dimension: 'budget',
  subject_id: 'b1',
  label: '第1小学 经费预算 b1',
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('decision dialog', () => {
  it('asks for a reason before a rejection, then posts it once', async () => {
    const calls = mockApi({
      'POST /api/v1/decisions': reply(201, { notice_id: 'sup-1', decision: 'rejected' }),
    });
    const onDone = vi.fn();
    render(<DecisionDialog subject={subject} decision="rejected" onClose={() => {}} onDone={onDone} />);
    const submit = screen.getByTestId('console-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('console-reason'), { target: { value: '   ' } });
    expect(submit.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('console-reason'), { target: { value: ' 课程经费占比过高 ' } });
    expect(submit.disabled).toBe(false);
    fireEvent.click(submit);
    fireEvent.click(submit);
    expect((await screen.findByTestId('console-done')).textContent).toContain('sup-1');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body).toEqual({
      target_type: 'school',
      target_id: 's1',
      dimension: 'budget',
      subject_id: 'b1',
      decision: 'rejected',
      content: '课程经费占比过高',
    });
    expect(onDone).toHaveBeenCalledTimes(1);
    expect(submit.disabled).toBe(true);
  });

  it('approves with an opinion prefilled, never an empty one (edu.supervision.v1 needs content)', async () => {
    const calls = mockApi({ 'POST /api/v1/decisions': reply(201, { notice_id: 'sup-2' }) });
    render(<DecisionDialog subject={subject} decision="approved" onClose={() => {}} onDone={() => {}} />);
    fireEvent.change(screen.getByTestId('console-reason'), { target: { value: '' } });
    expect((screen.getByTestId('console-submit') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('console-reason'), { target: { value: '审核通过' } });
    fireEvent.click(screen.getByTestId('console-submit'));
    await screen.findByTestId('console-done');
    expect(calls[0]?.body).toMatchObject({ decision: 'approved', content: '审核通过' });
  });

  it("shows the server's reason for a refusal, in Chinese", async () => {
    mockApi({
      'POST /api/v1/decisions': reply(403, {
        error: 'only a bureau leader may decide "halted"',
        code: 'leader_only',
        decision: 'halted',
      }),
    });
    render(<DecisionDialog subject={subject} decision="halted" onClose={() => {}} onDone={() => {}} />);
    fireEvent.change(screen.getByTestId('console-reason'), { target: { value: '暂停' } });
    fireEvent.click(screen.getByTestId('console-submit'));
    expect((await screen.findByTestId('console-error')).textContent).toBe('喊停失败：仅局领导可以喊停');
    // Still editable: the officer may close or try again.
    expect((screen.getByTestId('console-submit') as HTMLButtonElement).disabled).toBe(false);
  });

  it('offers 喊停 and 否定 to leaders only, and nothing to an administrator', () => {
    const { rerender } = render(
      <DecisionButtons subject={subject} kinds={['approved', 'rejected']} leader decider onDone={() => {}} />,
    );
    const names = () => screen.queryAllByRole('button').map((b) => b.getAttribute('data-testid'));
    expect(names()).toEqual([
      'console-action-approve',
      'console-action-reject',
      'console-action-halt',
      'console-action-void',
    ]);
    rerender(
      <DecisionButtons subject={subject} kinds={['approved', 'rejected']} leader={false} decider onDone={() => {}} />,
    );
    expect(names()).toEqual(['console-action-approve', 'console-action-reject']);
    rerender(
      <DecisionButtons
        subject={subject}
        kinds={['approved', 'rejected']}
        leader={false}
        decider={false}
        onDone={() => {}}
      />,
    );
    expect(names()).toEqual([]);
  });

  it('opens the dialog from a button, for that subject', () => {
    render(<DecisionButtons subject={subject} kinds={['rejected']} leader={false} decider onDone={() => {}} />);
    fireEvent.click(screen.getByTestId('console-action-reject'));
    const dialog = screen.getByTestId('console-dialog');
    expect(dialog.getAttribute('data-decision')).toBe('rejected');
    expect(dialog.textContent).toContain('第1小学 经费预算 b1');
    fireEvent.click(screen.getByTestId('console-close'));
    expect(screen.queryByTestId('console-dialog')).toBeNull();
  });
});
