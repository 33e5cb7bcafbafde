import { Fragment, useState, type JSX } from 'react';
import { ChildTable, type Column } from '../ChildTable.tsx';
import { DecisionButtons } from '../DecisionDialog.tsx';
import { count, money } from '../fmt.ts';
import {
  CERTIFICATE,
  COURSE_CATEGORY,
  COURSE_KIND,
  labelOf,
  PROVIDER_CHANNEL,
  REVIEW_STATE,
  REVIEW_STATES,
} from '../labels.ts';
import { query, schoolQuery, scopeId, scopeKind } from '../route.ts';
import { childrenTitle, DecisionState, Section, Status, useReportTerm } from '../Section.tsx';
import { useLoad } from '../use-load.ts';
import { AdmissionSection } from './AdmissionSection.tsx';
import type { CoursesRow, OfferingDetail, PageProps, SchoolOfferings, TermRows } from '../types.ts';

// 开课审批 (项目许可, manual 4.4): the term's offerings per child, 校本 vs 校外; at a school its
// offerings (本校课程 / 校外课程) with 查看课程详情 and 审批 (通过 / 驳回) of each offering; at
// every level the providers' 准入审核 (AdmissionSection).

const COLUMNS: Column<CoursesRow>[] = [
  { key: 'offerings', title: '开设课程', value: (r) => r.offerings },
  { key: 'school_run', title: '校本课程', value: (r) => r.school_run },
  { key: 'external', title: '校外课程', value: (r) => r.external },
  { key: 'capacity', title: '计划人数', value: (r) => r.capacity },
  { key: 'enrolled', title: '报名人数', value: (r) => r.enrolled },
  // By approval state (contract v1.1); 已否定 offerings count in no other column.
  ...REVIEW_STATES.map((s): Column<CoursesRow> => ({
    key: `state_${s}`,
    title: REVIEW_STATE[s],
    value: (r) => r.by_state[s],
    group: '审批状态',
  })),
];

export function CoursePage(p: PageProps): JSX.Element {
  const rows = useLoad<TermRows<CoursesRow>>(
    `/api/v1/dimensions/course${query({ scope: p.scope, term: p.term, date: p.date })}`,
  );
  useReportTerm(rows.data?.term, p.onTerm);
  return (
    <>
      <Section title={childrenTitle(p.scope, '开课公示统计')}>
        <Status loaded={rows} />
        {rows.data && <ChildTable scope={p.scope} rows={rows.data.rows} columns={COLUMNS} onDrill={p.drill} />}
      </Section>
      {scopeKind(p.scope) === 'school' && (
        // A decision changes the counts above (contract v1.1): they are read again.
        <SchoolOfferingList key={p.scope} {...p} school={scopeId(p.scope)} onDecided={rows.reload} />
      )}
      <AdmissionSection key={`admission:${p.scope}`} {...p} />
    </>
  );
}

type KindFilter = 'all' | 'school' | 'external';

function SchoolOfferingList(p: PageProps & { school: string; onDecided: () => void }): JSX.Element {
  const list = useLoad<SchoolOfferings>(
    `/api/v1/dimensions/course/schools/${encodeURIComponent(p.school)}${schoolQuery(p.school, { term: p.term, date: p.date })}`,
  );
  const [filter, setFilter] = useState<KindFilter>('all');
  const [open, setOpen] = useState<string | null>(null);
  const schoolName = p.placeName(p.scope);
  const offerings = (list.data?.offerings ?? []).filter((o) => filter === 'all' || o.kind === filter);
  return (
    <Section
      title={`${schoolName} · 开课公示`}
      testId="console-detail"
      extra={(
        [
          ['all', '全部课程'],
          ['school', '本校课程'],
          ['external', '校外课程'],
        ] as const
      ).map(([k, label]) => (
        <button
          key={k}
          className={`tab${filter === k ? ' active' : ''}`}
          data-testid={`console-tab-${k}`}
          onClick={() => setFilter(k)}
        >
          {label}
        </button>
      ))}
    >
      <Status loaded={list} />
      {list.data && (
        <table className="console-table">
          <thead>
            <tr>
              <th>课程</th>
              <th>类型</th>
              <th>类别</th>
              <th>课程方</th>
              <th>计划人数</th>
              <th>报名人数</th>
              <th>收费（每生）</th>
              <th>每周节次</th>
              <th>审批状态</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {offerings.length === 0 && (
              <tr>
                <td className="no-data" colSpan={10}>
                  暂无数据
                </td>
              </tr>
            )}
            {offerings.map((o) => (
              <Fragment key={o.offering_id}>
                <tr data-testid="console-item" data-subject={o.offering_id}>
                  <td className="name">{o.course_name || '（未登记课程）'}</td>
                  <td>{labelOf(COURSE_KIND, o.kind)}</td>
                  <td>{labelOf(COURSE_CATEGORY, o.category)}</td>
                  <td>{o.provider ? o.provider.name || o.provider.provider_id : '本校'}</td>
                  <td data-key="capacity" data-value={o.capacity}>
                    {count(o.capacity)}
                  </td>
                  <td data-key="enrolled" data-value={o.enrolled}>
                    {count(o.enrolled)}
                  </td>
                  <td>{money(o.fee_per_student)}</td>
                  <td>{o.weekly_sessions}</td>
                  <td>
                    <DecisionState decision={o.decision} state={o.state} />
                  </td>
                  <td className="ops">
                    <button
                      className="small"
                      data-testid="console-action-detail"
                      onClick={() => setOpen(open === o.offering_id ? null : o.offering_id)}
                    >
                      {open === o.offering_id ? '收起详情' : '查看课程详情'}
                    </button>
                    <DecisionButtons
                      subject={{
                        target_type: 'school',
                        target_id: p.school,
                        dimension: 'course',
                        subject_id: o.offering_id,
                        label: `${schoolName}「${o.course_name || '未登记课程'}」开课申报`,
                      }}
                      kinds={['approved', 'rejected']}
                      leader={p.leader}
                      decider={p.decider}
                      may={p.mayDecide}
                      place={`school:${p.school}`}
                      onDone={() => {
                        list.reload();
                        p.onDecided();
                      }}
                    />
                  </td>
                </tr>
                {open === o.offering_id && (
                  <tr className="detail-row">
                    <td colSpan={10}>
                      <OfferingInfo o={o} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

function OfferingInfo({ o }: { o: OfferingDetail }): JSX.Element {
  return (
    <div className="offering-info" data-testid="console-course-detail">
      <div>
        <label>课程介绍</label>
        {o.description || '暂无介绍'}
      </div>
      <div>
        <label>课程方</label>
        {o.provider
          ? `${o.provider.name || '未登记课程方'} · ${labelOf(PROVIDER_CHANNEL, o.provider.channel)}入库 · ${o.provider.qualified ? '资质合格' : '资质未通过'}`
          : '本校开设'}
      </div>
      <div>
        <label>授课教师</label>
        {o.teachers.length === 0
          ? '暂无'
          : o.teachers.map((t) => `${t.name || t.teacher_id}（${labelOf(CERTIFICATE, t.certificate)}）`).join('、')}
      </div>
    </div>
  );
}
