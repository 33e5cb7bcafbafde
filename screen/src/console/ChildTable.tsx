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
  return (
    <table className="console-table" data-testid="console-children">
      <thead>
        <tr>
          <th>{CHILD_LABEL[kind]}</th>
          <th>学校数</th>
          {columns.map((c) => (
            <th key={c.key}>{c.title}</th>
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
                    {(c.format ?? count)(v)}
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
