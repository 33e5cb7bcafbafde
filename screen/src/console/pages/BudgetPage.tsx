import { useState, type JSX } from 'react';
import { ChildTable, type Column } from '../ChildTable.tsx';
import { DecisionButtons } from '../DecisionDialog.tsx';
import { downloadCsv } from '../download.ts';
import { money, pct, time } from '../fmt.ts';
import { REVIEW_STATE, REVIEW_STATES } from '../labels.ts';
import { failureText } from '../reasons.ts';
import { query, schoolQuery, scopeId, scopeKind } from '../route.ts';
import { childrenTitle, DecisionState, Section, Status, useReportTerm } from '../Section.tsx';
import { useLoad } from '../use-load.ts';
import type { Budget, BudgetRow, PageProps, SchoolBudgets, TermRows } from '../types.ts';

// 经费预算 (项目审计, manual 4.2): budgets per child with course vs other items and their
// shares; at a school every budget and every item, 经费预算审批 (通过 / 驳回), the settled
// funds of each course against its budget, and the report as CSV (下载报表).

const COLUMNS: Column<BudgetRow>[] = [
  { key: 'schools_with_budget', title: '已报预算学校', value: (r) => r.schools_with_budget },
  { key: 'budgets', title: '预算数', value: (r) => r.budgets },
  // By state (contract v1.1): amounts count only 待审批 and 已通过 budgets; 已否定 counts nowhere else.
  ...REVIEW_STATES.map((s): Column<BudgetRow> => ({
    key: `state_${s}`,
    title: REVIEW_STATE[s],
    value: (r) => r.by_state[s],
    group: '审批状态',
  })),
  { key: 'total', title: '预算总额', value: (r) => r.total, format: money },
  { key: 'course_amount', title: '课程类经费', value: (r) => r.course_amount, format: money },
  { key: 'course_share', title: '课程类占比', value: (r) => r.course_share, format: pct },
  { key: 'other_amount', title: '其他类经费', value: (r) => r.other_amount, format: money },
  { key: 'other_share', title: '其他类占比', value: (r) => r.other_share, format: pct },
];

export function BudgetPage(p: PageProps): JSX.Element {
  const rows = useLoad<TermRows<BudgetRow>>(
    `/api/v1/dimensions/budget${query({ scope: p.scope, term: p.term, date: p.date })}`,
  );
  useReportTerm(rows.data?.term, p.onTerm);
  return (
    <>
      <Section title={childrenTitle(p.scope, '经费预算统计')}>
        <Status loaded={rows} />
        {rows.data && <ChildTable scope={p.scope} rows={rows.data.rows} columns={COLUMNS} onDrill={p.drill} />}
      </Section>
      {scopeKind(p.scope) === 'school' && (
        // A decision changes the counts above (contract v1.1): they are read again.
        <SchoolBudgetView key={p.scope} {...p} school={scopeId(p.scope)} onDecided={rows.reload} />
      )}
    </>
  );
}

function SchoolBudgetView(p: PageProps & { school: string; onDecided: () => void }): JSX.Element {
  const path = `/api/v1/dimensions/budget/schools/${encodeURIComponent(p.school)}`;
  const detail = useLoad<SchoolBudgets>(`${path}${schoolQuery(p.school, { term: p.term, date: p.date })}`);
  const [error, setError] = useState<string | null>(null);
  const schoolName = p.placeName(p.scope);
  const report = () =>
    downloadCsv(
      `${path}/report.csv${schoolQuery(p.school, { term: p.term, date: p.date })}`,
      `经费预算-${schoolName}.csv`,
    ).catch((e: unknown) => setError(failureText(e)));
  return (
    <>
      <Section
        title={`${schoolName} · 经费预算`}
        testId="console-detail"
        extra={
          <button data-testid="console-action-download-report" onClick={() => void report()}>
            下载报表
          </button>
        }
      >
        <Status loaded={detail} />
        {error && (
          <div className="note error" data-testid="console-error">
            下载失败：{error}
          </div>
        )}
        {detail.data?.budgets.length === 0 && <div className="no-data">暂无数据</div>}
        {detail.data?.budgets.map((b) => (
          <BudgetCard
            key={b.budget_id}
            budget={b}
            {...p}
            schoolName={schoolName}
            onDone={() => {
              detail.reload();
              p.onDecided();
            }}
          />
        ))}
      </Section>
      {detail.data && (
        <Section title="课程经费使用核对（已结算 / 预算）">
          <table className="console-table">
            <thead>
              <tr>
                <th>课程</th>
                <th>预算</th>
                <th>已结算</th>
                <th>核对</th>
              </tr>
            </thead>
            <tbody>
              {detail.data.settled_vs_budget.length === 0 && (
                <tr>
                  <td className="no-data" colSpan={4}>
                    暂无数据
                  </td>
                </tr>
              )}
              {detail.data.settled_vs_budget.map((c) => (
                <tr key={c.course_id} data-testid="console-check" data-subject={c.course_id}>
                  <td className="name">{c.course_name || '（未登记课程）'}</td>
                  <td className={c.budgeted === null ? 'no-data' : undefined}>
                    {c.budgeted === null ? '未列入预算' : money(c.budgeted)}
                  </td>
                  <td>{money(c.settled)}</td>
                  <td className={c.over_budget ? 'bad' : 'good'}>{c.over_budget ? '超出预算' : '未超预算'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}
    </>
  );
}

type ItemFilter = 'all' | 'course' | 'other';

function BudgetCard({
  budget: b,
  schoolName,
  onDone,
  ...p
}: PageProps & { school: string; budget: Budget; schoolName: string; onDone(): void }): JSX.Element {
  const [filter, setFilter] = useState<ItemFilter>('all');
  const items = b.items.filter((i) => filter === 'all' || i.category === filter);
  const share = (v: number) => (b.total > 0 ? v / b.total : null);
  return (
    <div className="budget-card" data-testid="console-item" data-subject={b.budget_id}>
      <div className="budget-head">
        <b>{schoolName}经费预算</b>
        <span className="muted">提交于 {time(b.ts)}</span>
        <span data-key="total" data-value={b.total}>
          合计 {money(b.total)}
        </span>
        <span data-key="course_amount" data-value={b.course_amount}>
          课程类 {money(b.course_amount)}（{pct(share(b.course_amount))}）
        </span>
        <span data-key="other_amount" data-value={b.other_amount}>
          其他类 {money(b.other_amount)}（{pct(share(b.other_amount))}）
        </span>
        <DecisionState decision={b.decision} state={b.state} />
        <span className="spacer" />
        <DecisionButtons
          subject={{
            target_type: 'school',
            target_id: p.school,
            dimension: 'budget',
            subject_id: b.budget_id,
            label: `${schoolName} 经费预算（${time(b.ts)} 提交，合计 ${money(b.total)}）`,
          }}
          kinds={['approved', 'rejected']}
          leader={p.leader}
          decider={p.decider}
          may={p.mayDecide}
          place={`school:${p.school}`}
          onDone={onDone}
        />
      </div>
      <div className="tabs">
        {(
          [
            ['all', '全部经费'],
            ['course', '课程类经费'],
            ['other', '其他类经费'],
          ] as const
        ).map(([k, label]) => (
          <button key={k} className={`tab small${filter === k ? ' active' : ''}`} onClick={() => setFilter(k)}>
            {label}
          </button>
        ))}
      </div>
      <table className="console-table">
        <thead>
          <tr>
            <th>类别</th>
            <th>课程</th>
            <th>项目</th>
            <th>金额</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i, n) => (
            <tr key={n}>
              <td>{i.category === 'course' ? '课程类' : '其他类'}</td>
              <td>{i.course_id ? i.course_name || '（未登记课程）' : '—'}</td>
              <td className="name">{i.name}</td>
              <td>{money(i.amount)}</td>
            </tr>
          ))}
          {items.length === 0 && (
            <tr>
              <td className="no-data" colSpan={4}>
                暂无数据
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
