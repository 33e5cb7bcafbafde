import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockApi, type Call } from '../test-fetch.ts';
import { AuditPage, PAGE_SIZE, type AuditRow } from './AuditPage.tsx';

// 操作日志 a page at a time (issue 11): the server cuts the pages (limit + offset) and says how
// many entries match; 上一页 / 下一页 keep the filters, a new filter starts at the first page.

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** 120 entries (or 30 when filtered by actor), one a minute, newest first. */
const answer = (call: Call) => {
  const total = call.search.get('actor') ? 30 : 120;
  const offset = Number(call.search.get('offset'));
  const limit = Number(call.search.get('limit'));
  const entries: AuditRow[] = [];
  for (let i = offset; i < Math.min(total, offset + limit); i++)
    entries.push({
      ts: new Date(Date.parse('2026-11-28T08:00:00Z') - i * 60_000).toISOString(),
      actor_id: 'seed-admin',
      actor_name: '系统管理员',
      actor_role: 'admin',
      action: 'user_update',
      target: 'seed-staff-d1',
      target_name: `东城区专干${i}`,
      ok: true,
      ip: '127.0.0.1',
    });
  return {
    status: 200,
    body: {
      entries,
      total,
      offset,
      limit,
      actors: [
        { user_id: 'seed-admin', name: '系统管理员', role: 'admin' },
        { user_id: 'seed-staff-d1', name: '东城区专干', role: 'staff' },
      ],
    },
  };
};

const pageText = () => screen.getByTestId('console-audit-page').textContent;
const prev = () => screen.getByTestId('console-audit-prev') as HTMLButtonElement;
const next = () => screen.getByTestId('console-audit-next') as HTMLButtonElement;
const firstTarget = async (text: string) =>
  waitFor(() => expect(screen.getAllByTestId('console-audit-row')[0]?.textContent).toContain(text));

describe('操作日志 paging', () => {
  it('reads a page at a time, keeps the filters from page to page, and starts again on a new filter', async () => {
    const calls = mockApi({ 'GET /api/v1/audit': answer });
    render(<AuditPage />);
    await firstTarget('东城区专干0');
    expect(screen.getAllByTestId('console-audit-row')).toHaveLength(PAGE_SIZE);
    expect(pageText()).toBe('第 1 页 / 共 120 条');
    expect([prev().disabled, next().disabled]).toEqual([true, false]);
    expect([calls[0]?.search.get('limit'), calls[0]?.search.get('offset')]).toEqual([String(PAGE_SIZE), '0']);

    fireEvent.click(next());
    await firstTarget(`东城区专干${PAGE_SIZE}`);
    expect(pageText()).toBe('第 2 页 / 共 120 条');
    fireEvent.click(next());
    await firstTarget(`东城区专干${2 * PAGE_SIZE}`);
    expect(pageText()).toBe('第 3 页 / 共 120 条');
    expect(screen.getAllByTestId('console-audit-row')).toHaveLength(120 - 2 * PAGE_SIZE);
    expect([prev().disabled, next().disabled]).toEqual([false, true]);
    fireEvent.click(prev());
    await firstTarget(`东城区专干${PAGE_SIZE}`);

    // A filter: back to the first page, and the filter goes with every page after.
    fireEvent.change(screen.getByTestId('console-audit-actor'), { target: { value: 'seed-staff-d1' } });
    fireEvent.change(screen.getByTestId('console-audit-outcome'), { target: { value: 'ok' } });
    await firstTarget('东城区专干0');
    expect(pageText()).toBe('第 1 页 / 共 30 条');
    expect(next().disabled).toBe(true);
    const last = calls.at(-1)?.search;
    expect([last?.get('actor'), last?.get('outcome'), last?.get('offset')]).toEqual(['seed-staff-d1', 'ok', '0']);
  });

  it('keeps the filters when paging', async () => {
    const calls = mockApi({ 'GET /api/v1/audit': answer });
    render(<AuditPage />);
    await firstTarget('东城区专干0');
    fireEvent.change(screen.getByTestId('console-audit-from'), { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByTestId('console-audit-action'), { target: { value: 'user_update' } });
    await waitFor(() => expect(calls.at(-1)?.search.get('action')).toBe('user_update'));
    await firstTarget('东城区专干0');
    fireEvent.click(next());
    await firstTarget(`东城区专干${PAGE_SIZE}`);
    const q = calls.at(-1)?.search;
    expect([q?.get('from'), q?.get('action'), q?.get('offset'), q?.get('limit')]).toEqual([
      '2026-11-01',
      'user_update',
      String(PAGE_SIZE),
      String(PAGE_SIZE),
    ]);
  });
});
