import type { JSX } from 'react';
import { CHILD_LABEL } from './labels.ts';
import { drillTarget, scopeKind } from './route.ts';
import { count, type Format } from './fmt.ts';
import type { ChildRow } from './types.ts';

// The per-child table every dimension page starts with: one row per district of the city, zone
// of a district or school of a zone. Clicking a row (or its 查看详情) drills into that child.
// Each number cell carries its raw value (data-value, empty for no data) so a test can compare
// it with the API without parsing formatted text.

export interface Column<R> {
  key: string;
  title: string;
  value(row: R): number | null;
  format?: Format;
  /** A heading over adjacent columns of the same group (截至 16:05 / 全天). */
  group?: string;
  /** What a null cell says, when it is more than 暂无数据 (未到上课时间). */
  empty?(row: R): string;
}

/** Adjacent columns' groups as [title, span]; an ungrouped column is a group of its own. */
export function groupsOf(columns: readonly { group?: string }[]): [string, number][] {
  const out: [string, number][] = [];
  for (const c of columns) {
    const last = out[out.length - 1];
    if (last && c.group !== undefined && last[0] === c.group) last[1] += 1;
    else out.push([c.group ?? '', 1]);
  }
  return out;
}

export function ChildTable<R extends ChildRow>({
  scope,
  rows,
  columns,
  onDrill,
}: {
  scope: string;
  rows: readonly R[];
  columns: readonly Column<R>[];
  onDrill(scope: string): void;
}): JSX.Element {
  const kind =
    rows[0]?.child.kind ??
    (scopeKind(scope) === 'city' ? 'district' : scopeKind(scope) === 'district' ? 'zone' : 'school');
  const grouped = columns.some((c) => c.group !== undefined);
  return (
    <table className="console-table" data-testid="console-children">
      <thead>
        {grouped && (
          <tr className="groups">
            <th colSpan={2} />
            {groupsOf(columns).map(([g, span], i) => (
              <th
                key={i}
                colSpan={span}
                className={g ? 'group' : undefined}
                data-testid={g ? 'console-group' : undefined}
              >
                {g}
              </th>
            ))}
            <th />
          </tr>
        )}
        <tr>
          <th>{CHILD_LABEL[kind]}</th>
          <th data-total="sum">学校数</th>
          {columns.map((c) => (
            // Counts add up to the scope's figure (合计 in an export); rates and scores do not.
            <th key={c.key} data-total={c.format ? undefined : 'sum'}>
              {c.title}
            </th>
          ))}
          <th>操作</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td className="no-data" colSpan={columns.length + 3}>
              暂无数据
            </td>
          </tr>
        )}
        {rows.map((r) => {
          const target = drillTarget(scope, r.child);
          return (
            <tr
              key={`${r.child.kind}:${r.child.id}`}
              data-testid="console-row"
              data-scope={`${r.child.kind}:${r.child.id}`}
              className={target ? 'drillable' : undefined}
              onClick={target ? () => onDrill(target) : undefined}
            >
              <td className="name">{r.child.name || r.child.id || '未登记学校'}</td>
              <td data-key="schools" data-value={r.schools}>
                {count(r.schools)}
              </td>
              {columns.map((c) => {
                const v = c.value(r);
                return (
                  <td key={c.key} data-key={c.key} data-value={v ?? ''} className={v === null ? 'no-data' : undefined}>
                    {v === null && c.empty ? c.empty(r) : (c.format ?? count)(v)}
                  </td>
                );
              })}
              <td>
                {target && (
                  <button
                    className="link"
                    onClick={(e) => {
                      e.stopPropagation();
                      onDrill(target);
                    }}
                  >
                    查看详情
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
