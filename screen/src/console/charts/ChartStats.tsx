import type { JSX } from 'react';
import { count, money, pct } from '../fmt.ts';
import {
  CERTIFICATE,
  CHILD_LABEL,
  COURSE_CATEGORY,
  COURSE_KIND,
  PROVIDER_CHANNEL,
  REVIEW_STATE,
  REVIEW_STATES,
} from '../labels.ts';
import type { ChartData } from '../types.ts';
import { ChartBox } from './EChart.tsx';
import { groupedBars, sharePie } from './options.ts';

// 统计 and 入库 of the 图表 page: the totals as figures (资源 / 选课 / 交付 / 结算); 入库 as
// figures, bars per child place and per month (课程方 / 教师 / 课程入库统计, with the same
// numbers in a table to export) and the registry's shares as rings. Each figure keeps its raw
// value (data-value) for tests.

/** How many entries a share chart counts. */
export const sum = (shares: readonly { count: number }[]) => shares.reduce((a, s) => a + s.count, 0);

export function Stat({
  k,
  label,
  value,
  format = count,
  empty,
}: {
  k: string;
  label: string;
  value: number | null;
  format?: (v: number | null) => string;
  /** What a null value says, when it is more than 暂无数据 (未到上课时间). */
  empty?: string;
}): JSX.Element {
  return (
    <div className="stat" data-testid="console-stat" data-key={k} data-value={value ?? ''}>
      <div className="stat-label">{label}</div>
      <div className={`stat-value${value === null ? ' no-data' : ''}`}>
        {value === null && empty ? empty : format(value)}
      </div>
    </div>
  );
}

export function Totals({ d }: { d: ChartData['totals'] }): JSX.Element {
  return (
    <div className="stat-groups">
      <div className="stat-group">
        <h4>资源</h4>
        <Stat k="providers" label="课程方" value={d.resources.providers} />
        <Stat k="teachers" label="教师" value={d.resources.teachers} />
        <Stat k="courses" label="课程" value={d.resources.courses} />
      </div>
      <div className="stat-group">
        <h4>选课</h4>
        <Stat k="offerings" label="开设课程" value={d.selection.offerings} />
        <Stat k="enrollments" label="报名人次" value={d.selection.enrollments} />
        <Stat k="students_enrolled" label="报名学生" value={d.selection.students_enrolled} />
        <Stat k="fees_enrolled" label="选课经费" value={d.selection.fees_enrolled} format={money} />
      </div>
      <div className="stat-group" data-testid="console-stat-offering-states">
        {/* Offerings by approval state (contract v1.1); 已否定 ones count in no figure beside. */}
        <h4>开课审批</h4>
        {REVIEW_STATES.map((s) => (
          <Stat key={s} k={`offerings_${s}`} label={REVIEW_STATE[s]} value={d.selection.offerings_by_state[s]} />
        ))}
      </div>
      <div className="stat-group">
        <h4>交付</h4>
        <Stat k="sessions_scheduled" label="排课节次" value={d.delivery.sessions_scheduled} />
        <Stat k="sessions_held" label="已上课节次" value={d.delivery.sessions_held} />
        <Stat k="sessions_completed" label="已完课节次" value={d.delivery.sessions_completed} />
        <Stat k="sessions_prepared" label="已备课节次" value={d.delivery.sessions_prepared} />
        <Stat k="prepared_rate" label="备课率" value={d.delivery.prepared_rate} format={pct} />
      </div>
      <div className="stat-group">
        <h4>结算</h4>
        <Stat k="settled_amount" label="已结算经费" value={d.settlement.settled_amount} format={money} />
      </div>
    </div>
  );
}

const REGISTRATION_SERIES = [
  { key: 'providers', name: '课程方', color: '#4fc3ff' },
  { key: 'teachers', name: '教师', color: '#27d17f' },
  { key: 'courses', name: '课程', color: '#ffd166' },
] as const;

export function Registry({ d }: { d: ChartData['registry'] }): JSX.Element {
  const r = d.registrations;
  const kind = r.by_child[0]?.child.kind ?? 'district';
  const place = CHILD_LABEL[kind];
  const bars = (rows: readonly ({ providers: number; teachers: number; courses: number } & object)[]) =>
    REGISTRATION_SERIES.map((s) => ({ name: s.name, color: s.color, values: rows.map((row) => row[s.key]) }));
  const monthName = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5))}月`;
  return (
    <>
      <div className="stat-groups">
        <div className="stat-group">
          <h4>入库统计</h4>
          <Stat k="providers" label="课程方入库" value={r.total.providers} />
          <Stat k="teachers" label="教师入库" value={r.total.teachers} />
          <Stat k="courses" label="课程入库" value={r.total.courses} />
        </div>
      </div>
      <div className="chart-grid two">
        <ChartBox
          id="registrations_by_child"
          title={`各${place}入库统计`}
          option={groupedBars(
            r.by_child.map((c) => c.child.name || `未登记${place}`),
            bars(r.by_child),
            count,
          )}
          testValue={r.by_child.reduce((a, c) => a + c.teachers + c.courses, 0)}
        />
        <ChartBox
          id="registrations_by_month"
          title="按月入库统计（按最近一次登记）"
          option={groupedBars(
            r.by_month.map((m) => monthName(m.month)),
            bars(r.by_month),
            count,
          )}
          testValue={r.by_month.reduce((a, m) => a + m.providers + m.teachers + m.courses, 0)}
        />
      </div>
      <table className="console-table" data-testid="console-registrations">
        <thead>
          <tr>
            <th>{place}</th>
            <th data-total="sum">课程方入库</th>
            <th data-total="sum">教师入库</th>
            <th data-total="sum">课程入库</th>
          </tr>
        </thead>
        <tbody>
          {r.by_child.map((c) => (
            <tr key={c.child.id} data-testid="console-registration-row">
              <td className="name">{c.child.name || `未登记${place}`}</td>
              <td data-value={c.providers}>{count(c.providers)}</td>
              <td data-value={c.teachers}>{count(c.teachers)}</td>
              <td data-value={c.courses}>{count(c.courses)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="chart-grid four">
        <ChartBox
          id="provider_channel"
          title="课程方渠道占比"
          option={sharePie(d.provider_channel, PROVIDER_CHANNEL)}
          testValue={sum(d.provider_channel)}
        />
        <ChartBox
          id="teacher_certificate"
          title="教师证书占比"
          option={sharePie(d.teacher_certificate, CERTIFICATE)}
          testValue={sum(d.teacher_certificate)}
        />
        <ChartBox
          id="course_category"
          title="课程类型占比"
          option={sharePie(d.course_category, COURSE_CATEGORY)}
          testValue={sum(d.course_category)}
        />
        <ChartBox
          id="course_kind"
          title="校本 / 校外课程占比"
          option={sharePie(d.course_kind, COURSE_KIND)}
          testValue={sum(d.course_kind)}
        />
      </div>
    </>
  );
}
