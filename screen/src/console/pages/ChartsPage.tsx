import { useState, type JSX } from 'react';
import { AttendanceCharts } from '../charts/ChartAttendance.tsx';
import { Registry, sum, Totals } from '../charts/ChartStats.tsx';
import { ChartBox } from '../charts/EChart.tsx';
import { columnBars, rankingBars, sharePie } from '../charts/options.ts';
import { count, money, pct } from '../fmt.ts';
import { COURSE_CATEGORY } from '../labels.ts';
import { query } from '../route.ts';
import { Section, Status, useReportTerm } from '../Section.tsx';
import { useLoad } from '../use-load.ts';
import {
  CHART_GROUPS,
  type ChartData,
  type ChartGroup,
  type ChartResponse,
  type PageProps,
  type RankingRow,
} from '../types.ts';

// 图表 (manual §7): 统计, 入库, 选课, 排课, 报名, 上课, 结算, each a few charts of the scope,
// including the top-10 and bottom-10 schools. Drill-down: the scope's children above the
// charts, or a school's bar in a ranking.

const GROUP_LABEL: Record<ChartGroup, string> = {
  totals: '统计',
  registry: '入库',
  selection: '选课',
  scheduling: '排课',
  enrollment: '报名',
  attendance: '上课',
  settlement: '结算',
};

const GOOD = '#27d17f';
const BAD = '#ff4d4f';

export function ChartsPage(p: PageProps): JSX.Element {
  const [picked, setGroup] = useState<ChartGroup>('totals');
  // The groups the user may see (the server's `charts`: staff see a chart only when every
  // dimension it draws on is theirs); all of them when the answer has none.
  const access = useLoad<{ charts?: ChartGroup[] }>('/api/v1/dimensions');
  const settled = access.data !== null || access.error !== null;
  const allowed = access.data?.charts;
  const groups = !settled ? [] : allowed ? CHART_GROUPS.filter((g) => allowed.includes(g)) : CHART_GROUPS;
  const group = groups.includes(picked) ? picked : groups[0];
  const res = useLoad<ChartResponse<ChartGroup>>(
    settled && group ? `/api/v1/charts/${group}${query({ scope: p.scope, term: p.term, date: p.date })}` : null,
  );
  useReportTerm(res.data?.term, p.onTerm);
  // A bar of a school ranking drills to the school.
  const pick = (data: unknown) => {
    const id = (data as { school_id?: string } | null)?.school_id;
    if (id) p.drill(`school:${id}`);
  };
  return (
    <>
      <div className="tabs chart-tabs">
        {groups.map((g) => (
          <button
            key={g}
            className={`tab${g === group ? ' active' : ''}`}
            data-testid={`console-chart-${g}`}
            onClick={() => setGroup(g)}
          >
            {GROUP_LABEL[g]}
          </button>
        ))}
      </div>
      {p.childScopes.length > 0 && (
        <div className="child-chips" data-testid="console-children">
          <span className="muted">下级范围：</span>
          {p.childScopes.map((c) => (
            <button
              key={c.scope}
              className="chip"
              data-testid="console-row"
              data-scope={c.scope}
              onClick={() => p.drill(c.scope)}
            >
              {c.name}
            </button>
          ))}
        </div>
      )}
      {settled && !group && <p className="muted">您所属部门的监管维度下没有可查看的图表</p>}
      {group && (
        <Section title={`${p.placeName(p.scope)} · ${GROUP_LABEL[group]}`} testId="console-detail">
          <Status loaded={res} />
          {res.data && res.data.chart === group && (
            <Group group={group} data={res.data.data} date={res.data.date} onPick={pick} />
          )}
        </Section>
      )}
    </>
  );
}

function Group({
  group,
  data,
  date,
  onPick,
}: {
  group: ChartGroup;
  data: ChartData[ChartGroup];
  /** The day of the figures: 上课 shows the figures due so far during it. */
  date: string;
  onPick(data: unknown): void;
}): JSX.Element {
  switch (group) {
    case 'totals':
      return <Totals d={data as ChartData['totals']} />;
    case 'registry':
      return <Registry d={data as ChartData['registry']} />;
    case 'selection': {
      const d = data as ChartData['selection'];
      return (
        <div className="chart-grid four">
          <Ranking
            id="courses_selected_top"
            title="学校选课课程数量排名前十"
            rows={d.courses_selected.top}
            fmt={count}
            color={GOOD}
            onPick={onPick}
          />
          <Ranking
            id="courses_selected_bottom"
            title="学校选课课程数量排名后十"
            rows={d.courses_selected.bottom}
            fmt={count}
            color={BAD}
            onPick={onPick}
          />
          <Ranking
            id="fees_enrolled_top"
            title="学校选课使用经费排名前十"
            rows={d.fees_enrolled.top}
            fmt={money}
            color={GOOD}
            onPick={onPick}
          />
          <Ranking
            id="fees_enrolled_bottom"
            title="学校选课使用经费排名后十"
            rows={d.fees_enrolled.bottom}
            fmt={money}
            color={BAD}
            onPick={onPick}
          />
        </div>
      );
    }
    case 'scheduling': {
      const d = data as ChartData['scheduling'];
      return (
        <div className="chart-grid three">
          <ChartBox
            id="by_category"
            title="排课数量占比"
            option={sharePie(d.by_category, COURSE_CATEGORY)}
            testValue={sum(d.by_category)}
          />
          <Ranking
            id="sessions_top"
            title="学校排课排名前十"
            rows={d.sessions_scheduled.top}
            fmt={count}
            color={GOOD}
            onPick={onPick}
          />
          <Ranking
            id="sessions_bottom"
            title="学校排课排名后十"
            rows={d.sessions_scheduled.bottom}
            fmt={count}
            color={BAD}
            onPick={onPick}
          />
          <Ranking
            id="prepared_top"
            title="学校备课率排名前十"
            rows={d.prepared_rate.top}
            fmt={pct}
            color={GOOD}
            onPick={onPick}
          />
          <Ranking
            id="prepared_bottom"
            title="学校备课率排名后十"
            rows={d.prepared_rate.bottom}
            fmt={pct}
            color={BAD}
            onPick={onPick}
          />
        </div>
      );
    }
    case 'enrollment': {
      const d = data as ChartData['enrollment'];
      return (
        <div className="chart-grid four">
          <Ranking
            id="enrolled_top"
            title="学校报名人数排名前十"
            rows={d.students_enrolled.top}
            fmt={count}
            color={GOOD}
            onPick={onPick}
          />
          <Ranking
            id="enrolled_bottom"
            title="学校报名人数排名后十"
            rows={d.students_enrolled.bottom}
            fmt={count}
            color={BAD}
            onPick={onPick}
          />
          <Ranking
            id="rate_top"
            title="报名人数比率排名前十"
            rows={d.enrollment_rate.top}
            fmt={pct}
            color={GOOD}
            onPick={onPick}
          />
          <Ranking
            id="rate_bottom"
            title="报名人数比率排名后十"
            rows={d.enrollment_rate.bottom}
            fmt={pct}
            color={BAD}
            onPick={onPick}
          />
        </div>
      );
    }
    case 'attendance':
      return <AttendanceCharts d={data as ChartData['attendance']} date={date} onPick={onPick} />;
    case 'settlement': {
      const d = data as ChartData['settlement'];
      return (
        <div className="chart-grid two">
          <ChartBox
            id="by_offering"
            title="课程结算统计"
            option={columnBars(
              d.by_offering.map((o) => o.course_name || o.course_id || o.offering_id),
              d.by_offering.map((o) => o.amount),
              money,
              '#ffd166',
            )}
            testValue={d.by_offering.reduce((a, o) => a + o.amount, 0)}
          />
          <ChartBox
            id="by_month"
            title="已结算经费统计（按月）"
            option={
              d.by_month.some((m) => m.amount > 0)
                ? columnBars(
                    d.by_month.map((m) => `${Number(m.period.slice(5))}月`),
                    d.by_month.map((m) => m.amount),
                    money,
                    '#27d17f',
                  )
                : null
            }
            testValue={d.by_month.reduce((a, m) => a + m.amount, 0)}
          />
        </div>
      );
    }
  }
}

function Ranking(props: {
  id: string;
  title: string;
  rows: readonly RankingRow[];
  fmt: (v: number) => string;
  color: string;
  onPick(data: unknown): void;
}): JSX.Element {
  return (
    <ChartBox
      id={props.id}
      title={props.title}
      option={rankingBars(props.rows, props.fmt, props.color)}
      onPick={props.onPick}
      testValue={props.rows.length}
    />
  );
}
