import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NoticeDialog } from './NoticeDialog.tsx';
import { mockApi, reply } from './test-fetch.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const recipients = [
  { type: 'school', id: 's1', name: '第1小学' },
  { type: 'provider', id: '', name: '' },
  { type: 'operator', id: '', name: '' },
] as const;

describe('一键监管 dialog', () => {
  it('sends to the chosen recipient with one Idempotency-Key per dialog', async () => {
    const calls = mockApi({
      'POST /api/v1/notices': (c) =>
        calls.length === 1
          ? {
              status: 409,
              body: { error: 'exists', code: 'notice_exists', notice: { notice_id: 'n-old', content: '请核实' } },
            }
          : { status: 201, body: { notice_id: 'n-2', content: String((c.body as { content: string }).content) } },
    });
    render(
      <NoticeDialog
        dimension="feedback"
        subjectId="course:c-o1"
        about="课程「篮球训练」"
        recipients={[...recipients]}
        defaultContent="请整改"
        onClose={() => {}}
      />,
    );
    fireEvent.click(screen.getByTestId('console-recipient-provider'));
    const submit = screen.getByTestId('console-submit') as HTMLButtonElement;
    // The provider of this target is not known: it must be typed in first.
    expect(submit.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('console-recipient-id'), { target: { value: 'p1' } });
    fireEvent.click(submit);
    expect((await screen.findByTestId('console-exists')).textContent).toContain('n-old');
    fireEvent.click(screen.getByTestId('console-force'));
    expect((await screen.findByTestId('console-done')).textContent).toContain('n-2');
    expect(calls.map((c) => c.body)).toEqual([
      expect.objectContaining({
        target_type: 'provider',
        target_id: 'p1',
        dimension: 'feedback',
        subject_id: 'course:c-o1',
        content: '请整改',
      }),
      expect.objectContaining({ target_type: 'provider', target_id: 'p1', force: true }),
    ]);
    const keys = calls.map((c) => c.headers['Idempotency-Key']);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[\w-]{8,128}$/);
  });

  it('says why a notice was refused', async () => {
    mockApi({
      'POST /api/v1/notices': reply(403, {
        error: 'this school or dimension is outside your scope',
        code: 'outside_scope',
      }),
    });
    render(
      <NoticeDialog
        dimension="safety"
        subjectId="safety:s3:2026-11-27"
        about="x"
        recipients={[recipients[0]]}
        defaultContent="请整改"
        onClose={() => {}}
      />,
    );
    fireEvent.click(screen.getByTestId('console-submit'));
    expect((await screen.findByTestId('console-error')).textContent).toBe(
      '下发失败：该学校或监管维度不在您的权限范围内',
    );
  });
});
