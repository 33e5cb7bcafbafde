import type { Pipeline, PipelineStage, SchoolPipeline, StageGap } from '@edu/analytics';
import type { EChartsCoreOption } from 'echarts/core';
import { useState, type JSX } from 'react';
import { ChartBox } from '../charts/EChart.tsx';
import { count, time } from '../fmt.ts';
import { MATERIAL_KIND } from '../labels.ts';
import { formatHash, query } from '../route.ts';
import { Section, Status, useReportTerm } from '../Section.tsx';
import { useLoad } from '../use-load.ts';
import type { PageId, PageProps } from '../types.ts';

// 流程全景 (beyond the manual): the chain 材料申报 ➪ … ➪ 便捷结算 for the scope and term, how
// many schools completed each stage, how many wait for it (未到时间: no class due yet, in grey,
// never red) and how many stall there (their first stage neither completed nor waiting); a
// stage's bar or row lists its lagging schools, each opening its school on the page where that
// stage is supervised. What completing a stage means is the server's
// (analytics/src/dimensions/pipeline.ts).

const STAGES: Record<PipelineStage, { label: string; page: PageId }> = {
  materials: { label: '材料申报', page: 'material' },
  admission: { label: '准入审核', page: 'course' },
  selection: { label: '开始选课', page: 'course' },
  scheduling: { label: '课程排期', page: 'process' },
  enrollment_open: { label: '发起报名', page: 'course' },
  enrollment: { label: '学生报名', page: 'course' },
  audit: { label: '项目审计', page: 'budget' },
  preparation: { label: '教师备课', page: 'process' },
  safety: { label: '课堂安全', page: 'safety' },
  reports: { label: '学情汇报', page: 'safety' },
  settlement: { label: '便捷结算', page: 'budget' },
};

const GOOD = '#3aa0ff';
const BAD = '#ff4d4f';
const WAITING = '#7f9cc4';

/** A bar's label: its count, none for a zero (a red 0 reads as an alarm). */
const barLabel = (color: string) => ({
  show: true,
  position: 'top',
  color,
  formatter: (x: { value: number }) => (x.value ? x.value : ''),
});

/** What a school lacks for a stage, in words. */
function gapText(stage: PipelineStage, gap: StageGap | undefined): string {
  const part = (what: string) => `${what} ${gap?.done ?? 0} / ${gap?.of ?? 0} 节`;
  switch (stage) {
    case 'materials':
      return `缺少：${(gap?.kinds ?? []).map((k) => MATERIAL_KIND[k] ?? '其他材料').join('、')}`;
    case 'admission':
      return `未准入机构：${(gap?.providers ?? []).join('、')}`;
    case 'selection':
      return '本学期未申报课程';
    case 'scheduling':
      return '本学期课程未排课';
    case 'enrollment_open':
      return '课程均被驳回，无可报名课程';
    case 'enrollment':
      return '暂无学生报名';
    case 'audit':
      return '无有效经费预算（未提交、已驳回或已否定）';
    case 'preparation':
      return gap?.of ? part('已备课') : '暂无已开课的课节';
    case 'safety':
      return gap?.of ? part('有考勤') : '暂无已开课的课节';
    case 'reports':
      return gap?.of ? part('已汇报学情') : '暂无已下课的课节';
    case 'settlement':
      return '本学期课程暂无结算';
  }
}

function funnelOption(p: Pipeline): EChartsCoreOption {
  const stages = p.stages;
  return {
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { color: '#cfe3ff' } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'category',
      data: stages.map((s) => STAGES[s.stage].label),
      axisLabel: { color: '#cfe3ff', interval: 0 },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#8aa4c8' } },
    series: [
      {
        id: 'completed',
        name: '已完成学校',
        type: 'bar',
        barMaxWidth: 36,
        itemStyle: { color: GOOD },
        label: { show: true, position: 'top', color: '#cfe3ff' },
        data: stages.map((s) => ({ value: s.completed, stage: s.stage })),
      },
      {
        id: 'waiting',
        name: '未到时间',
        type: 'bar',
        barMaxWidth: 36,
        itemStyle: { color: WAITING },
        label: barLabel(WAITING),
        data: stages.map((s) => ({ value: s.waiting, stage: s.stage })),
      },
      {
        id: 'stalled',
        name: '停滞于此',
        type: 'bar',
        barMaxWidth: 36,
        itemStyle: { color: BAD },
        label: barLabel(BAD),
        data: stages.map((s) => ({ value: s.stalled, stage: s.stage })),
      },
    ],
  };
}

export function PipelinePage(p: PageProps): JSX.Element {
  const res = useLoad<Pipeline>(`/api/v1/dimensions/pipeline${query({ scope: p.scope, term: p.term, date: p.date })}`);
  useReportTerm(res.data?.term, p.onTerm);
  const [picked, setPicked] = useState<PipelineStage | null>(null);
  const data = res.data;
  // The stage shown below: the one clicked, or where most schools stall.
  const worst = data?.stages.reduce((a, b) => (b.stalled > a.stalled ? b : a));
  const stage = picked ?? (worst && worst.stalled > 0 ? worst.stage : null);
  const pick = (d: unknown) => {
    const s = (d as { stage?: PipelineStage } | null)?.stage;
    if (s) setPicked(s);
  };
  return (
    <>
      <Section title={`${p.placeName(p.scope)} · 流程全景`} testId="console-pipeline">
        <Status loaded={res} />
        {data && (
          <>
            <p className="muted" data-testid="console-pipeline-summary">
              共 {count(data.schools)} 所学校，全部环节完成 {count(data.finished)} 所，进展正常 {count(data.on_track)}{' '}
              所（各环节已完成或未到时间）；课节类环节截至{' '}
              {/* as_of_ms shifted to Shanghai's wall time, written the way `time` reads it */}
              {time(new Date(data.as_of_ms + 8 * 3_600_000).toISOString())}。
              {!data.preparation_data && '教师备课：本学期暂无备课数据。'}
            </p>
            <div className="chart-grid">
              <ChartBox
                id="pipeline"
                title="各环节完成学校数"
                option={data.schools ? funnelOption(data) : null}
                onPick={pick}
                testValue={data.finished}
              />
            </div>
            <table className="console-table">
              <thead>
                <tr>
                  <th>环节</th>
                  <th data-total="sum">已完成学校</th>
                  <th>未完成学校</th>
                  <th>未到时间</th>
                  <th data-total="sum">停滞于此</th>
                </tr>
              </thead>
              <tbody>
                {data.stages.map((s) => (
                  <tr
                    key={s.stage}
                    data-testid="console-pipeline-stage"
                    data-stage={s.stage}
                    data-stalled={s.stalled > 0 ? '1' : '0'}
                    className={`drillable${s.stage === stage ? ' picked' : ''}`}
                    onClick={() => setPicked(s.stage)}
                  >
                    <td>
                      <button className="link" onClick={() => setPicked(s.stage)}>
                        {STAGES[s.stage].label}
                      </button>
                    </td>
                    <td data-value={s.completed}>{count(s.completed)}</td>
                    <td data-value={data.schools - s.completed - s.waiting}>
                      {count(data.schools - s.completed - s.waiting)}
                    </td>
                    <td data-value={s.waiting} className="muted">
                      {count(s.waiting)}
                    </td>
                    <td data-value={s.stalled} className={s.stalled > 0 ? 'bad' : ''}>
                      {count(s.stalled)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Section>
      {stage && (
        <Lagging
          key={`${p.scope}|${stage}`}
          {...p}
          stage={stage}
          waiting={data?.stages.find((s) => s.stage === stage)?.waiting ?? 0}
        />
      )}
    </>
  );
}

/** The lagging schools of a stage; `waiting`: how many of the scope wait for it (not listed). */
function Lagging(p: PageProps & { stage: PipelineStage; waiting: number }): JSX.Element {
  const res = useLoad<{ term: string; stage: PipelineStage; schools: SchoolPipeline[] }>(
    `/api/v1/dimensions/pipeline/stages/${p.stage}/schools${query({ scope: p.scope, term: p.term, date: p.date })}`,
  );
  const { label, page } = STAGES[p.stage];
  const open = (school: string) => {
    window.location.hash = formatHash({ page, scope: `school:${school}`, term: p.term });
  };
  return (
    <Section title={`${p.placeName(p.scope)} · 未完成“${label}”的学校`} testId="console-detail">
      <Status loaded={res} />
      {res.data && (
        <table className="console-table">
          <thead>
            <tr>
              <th>学校</th>
              <th>辖区</th>
              <th>学区</th>
              <th>停滞环节</th>
              <th>本环节缺少</th>
            </tr>
          </thead>
          <tbody>
            {res.data.schools.length === 0 && (
              <tr>
                <td className="no-data" colSpan={5}>
                  {p.waiting > 0
                    ? `无学校滞后于该环节（${count(p.waiting)} 所学校未到时间）`
                    : '所有学校均已完成该环节'}
                </td>
              </tr>
            )}
            {res.data.schools.map((s) => (
              <tr key={s.school_id} data-testid="console-item" data-subject={s.school_id}>
                <td>
                  <button className="link" title={`查看该校${label}`} onClick={() => open(s.school_id)}>
                    {s.name || '未登记学校'}
                  </button>
                </td>
                <td>{s.district_name || '未登记'}</td>
                <td>{s.zone_name || '未登记'}</td>
                <td className={s.stalled_at === p.stage ? 'bad' : ''}>
                  {s.stalled_at ? STAGES[s.stalled_at].label : '全部完成'}
                </td>
                <td>{gapText(p.stage, s.gaps[p.stage])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
