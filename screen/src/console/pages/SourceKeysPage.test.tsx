import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Geo } from '../../api/types.ts';
import { mockApi, reply } from '../test-fetch.ts';
import { SourceKeysPage, type SourceKey } from './SourceKeysPage.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const geo: Geo = {
  districts: [{ id: 'd1', name: '东城区' }],
  zones: [{ id: 'z1', name: '一学区', district_id: 'd1' }],
  schools: [
    { id: 's1', name: '第一小学', zone_id: 'z1', district_id: 'd1' },
    { id: 's2', name: '第二中学', zone_id: 'z1', district_id: 'd1' },
  ],
};

const gate: SourceKey = {
  key_id: 'sk-1',
  name: '一小闸机',
  key_hint: 'edu_sk_AbCd',
  all_schools: false,
  schools: [{ school_id: 's1', name: '第一小学' }],
  created_ms: Date.parse('2026-11-28T08:00:00Z'),
  created_by: { user_id: 'seed-admin', name: '系统管理员' },
  revoked: false,
  revoked_ms: null,
  revoked_by: null,
  last_used_ms: null,
};

describe('数据源密钥', () => {
  it('lists keys by names, never ids or the key itself', async () => {
    mockApi({ 'GET /api/v1/admin/source-keys': { keys: [gate, { ...gate, key_id: 'sk-2', revoked: true }] } });
    render(<SourceKeysPage geo={geo} />);
    const rows = await screen.findAllByTestId('console-source-key');
    expect(rows).toHaveLength(2);
    const first = rows[0] as HTMLElement;
    expect(first.textContent).toContain('第一小学');
    expect(first.textContent).toContain('系统管理员');
    expect(first.textContent).toContain('2026-11-28 16:00');
    expect(first.textContent).toContain('从未使用');
    expect(first.textContent).not.toContain('s1');
    expect(within(rows[1] as HTMLElement).queryByTestId('console-source-key-revoke')).toBeNull();
    expect(rows[1]?.textContent).toContain('已撤销');
  });

  it('issues a key for the picked schools and shows it once, with a copy button and a warning', async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const calls = mockApi({
      'GET /api/v1/admin/source-keys': { keys: [] },
      'POST /api/v1/admin/source-keys': reply(201, { key: 'edu_sk_secret-once', source_key: gate }),
    });
    render(<SourceKeysPage geo={geo} />);
    const issue = screen.getByTestId('console-source-key-issue') as HTMLButtonElement;
    expect(issue.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('console-source-key-name'), { target: { value: '一小闸机' } });
    const select = screen.getByTestId('console-source-key-schools') as HTMLSelectElement;
    (select.options[0] as HTMLOptionElement).selected = true;
    fireEvent.change(select);
    fireEvent.click(issue);
    expect((await screen.findByTestId('console-source-key-secret')).textContent).toBe('edu_sk_secret-once');
    expect(screen.getByTestId('console-source-key-warning').textContent).toContain('只显示这一次');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: '一小闸机', schools: ['s1'] });
    fireEvent.click(screen.getByTestId('console-source-key-copy'));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('edu_sk_secret-once'));
    // A click beside the dialog does not lose the key; the close button does, for good.
    fireEvent.click(document.querySelector('.modal-backdrop') as HTMLElement);
    expect(screen.queryByTestId('console-source-key-secret')).not.toBeNull();
    fireEvent.click(screen.getByTestId('console-source-key-close'));
    expect(screen.queryByTestId('console-source-key-secret')).toBeNull();
    expect(document.body.textContent).not.toContain('edu_sk_secret-once');
  });

  it('revokes only after confirming, and shows a refusal in Chinese', async () => {
    let revoked = false;
    const calls = mockApi({
      'GET /api/v1/admin/source-keys': () => ({ status: 200, body: { keys: [{ ...gate, revoked }] } }),
      'POST /api/v1/admin/source-keys/sk-1/revoke': () => {
        revoked = true;
        return { status: 200, body: { source_key: { ...gate, revoked: true } } };
      },
    });
    render(<SourceKeysPage geo={geo} />);
    fireEvent.click(await screen.findByTestId('console-source-key-revoke'));
    expect(screen.getByRole('dialog').textContent).toContain('一小闸机');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    fireEvent.click(screen.getByTestId('console-source-key-confirm'));
    await waitFor(() => expect(screen.getByTestId('console-source-key').textContent).toContain('已撤销'));

    cleanup();
    mockApi({
      'GET /api/v1/admin/source-keys': { keys: [gate] },
      'POST /api/v1/admin/source-keys/sk-1/revoke': reply(403, { error: 'only administrators', code: 'forbidden' }),
    });
    render(<SourceKeysPage geo={geo} />);
    fireEvent.click(await screen.findByTestId('console-source-key-revoke'));
    fireEvent.click(screen.getByTestId('console-source-key-confirm'));
    const error = await screen.findByTestId('console-error');
    expect(error.textContent).toContain('撤销失败');
    expect(error.textContent).not.toMatch(/[A-Za-z]{4,}/);
  });
});
