import { useState, type JSX } from 'react';
import { ChildTable, type Column } from '../ChildTable.tsx';
import { DecisionButtons } from '../DecisionDialog.tsx';
import { downloadCsv, safeUrl } from '../download.ts';
import { count, pct, time } from '../fmt.ts';
import { labelOf, MATERIAL_KIND } from '../labels.ts';
import { failureText } from '../reasons.ts';
import { query, schoolQuery, scopeId, scopeKind } from '../route.ts';
import { childrenTitle, DecisionState, Section, Status, useReportTerm } from '../Section.tsx';
import { useLoad } from '../use-load.ts';
import type { MaterialsRow, PageProps, SchoolMaterials, TermRows } from '../types.ts';

// 材料公示 (项目制度, manual 4.1): per child, how many schools published each of the four
// required materials; at a school, its materials with single and batch download and 驳回.

const COLUMNS: Column<MaterialsRow>[] = [
  { key: 'materials', title: '公示材料数', value: (r) => r.materials },
  { key: 'implementation_plan', title: '实施方案', value: (r) => r.schools_with.implementation_plan },
  { key: 'bid_notice', title: '中标公示', value: (r) => r.schools_with.bid_notice },
  { key: 'meeting_minutes', title: '会议纪要', value: (r) => r.schools_with.meeting_minutes },
  { key: 'safety_plan', title: '应急预案', value: (r) => r.schools_with.safety_plan },
  { key: 'complete_schools', title: '材料齐全学校', value: (r) => r.complete_schools },
  { key: 'completeness_rate', title: '齐全率', value: (r) => r.completeness_rate, format: pct },
];

export function MaterialPage(p: PageProps): JSX.Element {
  const rows = useLoad<TermRows<MaterialsRow>>(
    `/api/v1/dimensions/material${query({ scope: p.scope, term: p.term, date: p.date })}`,
  );
  useReportTerm(rows.data?.term, p.onTerm);
  return (
    <>
      <Section title={childrenTitle(p.scope, '公示材料统计')}>
        <Status loaded={rows} />
        {rows.data && <ChildTable scope={p.scope} rows={rows.data.rows} columns={COLUMNS} onDrill={p.drill} />}
      </Section>
      {scopeKind(p.scope) === 'school' && <SchoolMaterialList key={p.scope} {...p} school={scopeId(p.scope)} />}
    </>
  );
}

function SchoolMaterialList(p: PageProps & { school: string }): JSX.Element {
  const path = `/api/v1/dimensions/material/schools/${encodeURIComponent(p.school)}`;
  const list = useLoad<SchoolMaterials>(`${path}${schoolQuery(p.school, { term: p.term, date: p.date })}`);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const schoolName = p.placeName(p.scope);
  const materials = list.data?.materials ?? [];
  const toggle = (id: string) => {
    const next = new Set(picked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setPicked(next);
  };
  const csv = () =>
    downloadCsv(
      `${path}/list.csv${schoolQuery(p.school, { term: p.term, date: p.date })}`,
      `公示材料-${schoolName}.csv`,
    ).catch((e: unknown) => setError(failureText(e)));
  const selected = materials.filter((m) => picked.has(m.material_id)).map((m) => m.material_id);
  // 批量下载: one zip made by the server (files it may not fetch are listed inside it, with why).
  const zip = () =>
    downloadCsv(
      `${path}/files.zip${schoolQuery(p.school, { ids: selected.join(','), term: p.term, date: p.date })}`,
      `公示材料-${schoolName}.zip`,
    ).catch((e: unknown) => setError(failureText(e)));

  return (
    <Section
      title={`${schoolName} · 公示材料`}
      testId="console-detail"
      extra={
        <>
          <button
            data-testid="console-action-download-selected"
            disabled={selected.length === 0}
            onClick={() => void zip()}
          >
            批量下载所选（{selected.length}）
          </button>
          <button data-testid="console-action-download-list" onClick={() => void csv()}>
            下载材料清单（CSV）
          </button>
        </>
      }
    >
      <Status loaded={list} />
      {error && (
        <div className="note error" data-testid="console-error">
          下载失败：{error}
        </div>
      )}
      {list.data && (
        <table className="console-table">
          <thead>
            <tr>
              <th>
                <input
                  type="checkbox"
                  aria-label="全选"
                  checked={materials.length > 0 && picked.size === materials.length}
                  onChange={(e) => setPicked(new Set(e.target.checked ? materials.map((m) => m.material_id) : []))}
                />
              </th>
              <th>材料类别</th>
              <th>材料名称</th>
              <th>公示时间</th>
              <th>审核状态</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {materials.length === 0 && (
              <tr>
                <td className="no-data" colSpan={6}>
                  暂无数据
                </td>
              </tr>
            )}
            {materials.map((m) => {
              const url = safeUrl(m.file_url);
              return (
                <tr key={m.material_id} data-testid="console-item" data-subject={m.material_id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label="选择"
                      checked={picked.has(m.material_id)}
                      onChange={() => toggle(m.material_id)}
                    />
                  </td>
                  <td>{labelOf(MATERIAL_KIND, m.kind)}</td>
                  <td className="name">{m.title}</td>
                  <td>{time(m.ts)}</td>
                  <td>
                    <DecisionState decision={m.decision} state={m.state} />
                  </td>
                  <td className="ops">
                    {url ? (
                      <a
                        className="button small"
                        data-testid="console-action-download"
                        href={url}
                        target="_blank"
                        rel="noopener noreferrer"
                        download
                      >
                        下载公示材料
                      </a>
                    ) : (
                      <span className="muted">文件地址无效</span>
                    )}
                    <DecisionButtons
                      subject={{
                        target_type: 'school',
                        target_id: p.school,
                        dimension: 'material',
                        subject_id: m.material_id,
                        label: `${schoolName}《${m.title}》（${labelOf(MATERIAL_KIND, m.kind)}）`,
                      }}
                      kinds={['rejected']}
                      leaderKinds={['voided']}
                      leader={p.leader}
                      decider={p.decider}
                      may={p.mayDecide}
                      place={`school:${p.school}`}
                      onDone={list.reload}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {list.data && <div className="foot muted">共 {count(materials.length)} 份材料</div>}
    </Section>
  );
}
