import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChildTable, type Column } from './ChildTable.tsx';
import { pct } from './fmt.ts';
import type { ChildRow } from './types.ts';

interface Row extends ChildRow {
  rate: number | null;
}

const columns: Column<Row>[] = [{ key: 'rate', title: '齐全率', value: (r) => r.rate, format: pct }];
const row = (kind: Row['child']['kind'], id: string, name: string, rate: number | null): Row => ({
  child: { kind, id, name },
  schools: 2,
  rate,
});

afterEach(cleanup);

describe('per-child table', () => {
  it('drills from a row into its child', () => {
    const onDrill = vi.fn();
    render(
      <ChildTable
        scope="city"
        rows={[row('district', 'd1', '东城区', 0.5), row('district', 'd2', '西城区', null)]}
        columns={columns}
        onDrill={onDrill}
      />,
    );
    const rows = screen.getAllByTestId('console-row');
    expect(rows.map((r) => r.getAttribute('data-scope'))).toEqual(['district:d1', 'district:d2']);
    fireEvent.click(rows[0] as HTMLElement);
    expect(onDrill).toHaveBeenLastCalledWith('district:d1');
    // 查看详情 drills the same way, once (the row does not see the click again).
    fireEvent.click(screen.getAllByText('查看详情')[1] as HTMLElement);
    expect(onDrill).toHaveBeenLastCalledWith('district:d2');
    expect(onDrill).toHaveBeenCalledTimes(2);
  });

  it('goes zone → school, and stops at the school itself', () => {
    const onDrill = vi.fn();
    const { rerender } = render(
      <ChildTable scope="district:d1" rows={[row('zone', 'z1', '一学区', 1)]} columns={columns} onDrill={onDrill} />,
    );
    fireEvent.click(screen.getByTestId('console-row'));
    expect(onDrill).toHaveBeenLastCalledWith('zone:z1');
    rerender(
      <ChildTable scope="zone:z1" rows={[row('school', 's1', '第1小学', 1)]} columns={columns} onDrill={onDrill} />,
    );
    fireEvent.click(screen.getByTestId('console-row'));
    expect(onDrill).toHaveBeenLastCalledWith('school:s1');
    rerender(
      <ChildTable scope="school:s1" rows={[row('school', 's1', '第1小学', 1)]} columns={columns} onDrill={onDrill} />,
    );
    fireEvent.click(screen.getByTestId('console-row'));
    expect(onDrill).toHaveBeenCalledTimes(2);
    expect(screen.queryByText('查看详情')).toBeNull();
  });

  it('shows no data as 暂无数据, never 0, and keeps the raw value for checks', () => {
    render(
      <ChildTable
        scope="city"
        rows={[row('district', 'd1', '东城区', null), row('district', '', '', 0)]}
        columns={columns}
        onDrill={() => {}}
      />,
    );
    const [first, unknown] = screen.getAllByTestId('console-row') as [HTMLElement, HTMLElement];
    const cell = first.querySelector('[data-key="rate"]') as HTMLElement;
    expect(cell.textContent).toBe('暂无数据');
    expect(cell.getAttribute('data-value')).toBe('');
    expect((unknown.querySelector('[data-key="rate"]') as HTMLElement).textContent).toBe('0.0%');
    // Schools the registry does not know: named as such, not clickable.
    expect(unknown.textContent).toContain('未登记学校');
    expect(unknown.className).not.toContain('drillable');
  });
});
