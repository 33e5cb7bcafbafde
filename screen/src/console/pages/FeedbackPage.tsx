import { useMemo, useState, type JSX } from 'react';
import { ChildTable, type Column } from '../ChildTable.tsx';
import { count, pct, score, time } from '../fmt.ts';
import { FEEDBACK_SOURCE, FEEDBACK_TARGET, labelOf } from '../labels.ts';
import { NoticeDialog, type Recipient } from '../NoticeDialog.tsx';
import { query, schoolQuery, scopeId, scopeKind } from '../route.ts';
import { childrenTitle, Section, Status, useReportTerm } from '../Section.tsx';
import { useLoad } from '../use-load.ts';
import type {
  FeedbackDetail,
  FeedbackRow,
  FeedbackRows,
  FeedbackTarget,
  PageProps,
  SchoolOfferings,
} from '../types.ts';

// 评价反馈 (manual 4.6): feedback from schools, teachers and parents on courses, teachers,
// providers and operators, per child; every target the scope's feedback names, by name, at
// every level; the targets with a run of low scores; the detail of one
// target (查看详情); and 一键监管 to the recipient the officer picks: the school, the provider
// (课程方) or the operator (运营方). Comments come from outside the bureau and may contain
// markup: they are rendered as React text only.

const COLUMNS: Column<FeedbackRow>[] = [
  { key: 'count', title: '评议总数', value: (r) => r.total.count },
  { key: 'average_score', title: '平均分', value: (r) => r.total.average_score, format: score },
  { key: 'low_share', title: '低分占比', value: (r) => r.total.low_share, format: pct },
  { key: 'course_score', title: '课程', value: (r) => r.by_target.course.average_score, format: score },
  { key: 'teacher_score', title: '上课老师', value: (r) => r.by_target.teacher.average_score, format: score },
  { key: 'provider_score', title: '课程方', value: (r) => r.by_target.provider.average_score, format: score },
  { key: 'operator_score', title: '运营方', value: (r) => r.by_target.operator.average_score, format: score },
  { key: 'from_school', title: '学校评议', value: (r) => r.by_source.school.count },
  { key: 'from_teacher', title: '老师评议', value: (r) => r.by_source.teacher.count },
  { key: 'from_parent', title: '家长评议', value: (r) => r.by_source.parent.count },
];

/** One feedback target the page can show, with what is known about whom to supervise. */
interface Target {
  target: FeedbackTarget;
  id: string;
  name: string;
  /** The provider of a course (from the school's offerings), when known. */
  provider?: { id: string; name: string };
  note?: string;
}

export function FeedbackPage(p: PageProps): JSX.Element {
  const rows = useLoad<FeedbackRows>(
    `/api/v1/dimensions/feedback${query({ scope: p.scope, term: p.term, date: p.date })}`,
  );
  useReportTerm(rows.data?.term, p.onTerm);
  const school = scopeKind(p.scope) === 'school' ? scopeId(p.scope) : null;
  // The school's courses, teachers and providers name the targets that can be looked at. They
  // come from the 开课审批 dimension: a user without it gets a refusal, and the page then
  // offers the low-score targets and the lookup form only.
  const offerings = useLoad<SchoolOfferings>(
    school
      ? `/api/v1/dimensions/course/schools/${encodeURIComponent(school)}${schoolQuery(school, { term: p.term, date: p.date })}`
      : null,
  );
  const targets = useMemo(() => {
    const out = new Map<string, Target>();
    const add = (t: Target) => out.has(`${t.target}:${t.id}`) || out.set(`${t.target}:${t.id}`, t);
    for (const o of offerings.data?.offerings ?? []) {
      const provider = o.provider ? { id: o.provider.provider_id, name: o.provider.name } : undefined;
      add({ target: 'course', id: o.course_id, name: o.course_name, ...(provider ? { provider } : {}) });
      for (const t of o.teachers) add({ target: 'teacher', id: t.teacher_id, name: t.name });
      if (provider) add({ target: 'provider', id: provider.id, name: provider.name });
    }
    for (const t of rows.data?.targets ?? [])
      add({
        target: t.target,
        id: t.target_id,
        name: t.name,
        ...(t.provider ? { provider: { id: t.provider.provider_id, name: t.provider.name } } : {}),
      });
    for (const r of rows.data?.low_score_runs ?? [])
      add({ target: r.target, id: r.target_id, name: r.name, note: `连续低分 ${r.run_length} 次` });
    return [...out.values()];
  }, [offerings.data, rows.data]);
  const [open, setOpen] = useState<Target | null>(null);
  const [lookup, setLookup] = useState<{ target: FeedbackTarget; id: string }>({ target: 'course', id: '' });

  return (
    <>
      <Section title={childrenTitle(p.scope, '评议反馈统计')}>
        <Status loaded={rows} />
        {rows.data && <ChildTable scope={p.scope} rows={rows.data.rows} columns={COLUMNS} onDrill={p.drill} />}
      </Section>
      {rows.data && rows.data.low_score_runs.length > 0 && (
        <Section title="连续低分预警（最近 3 次及以上评分 ≤ 2 分）">
          <table className="console-table">
            <thead>
              <tr>
                <th>对象类型</th>
                <th>对象</th>
                <th>连续低分次数</th>
                <th>最近评议</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.low_score_runs.map((r) => (
                <tr
                  key={`${r.target}:${r.target_id}`}
                  data-testid="console-low-run"
                  data-subject={`${r.target}:${r.target_id}`}
                >
                  <td>{FEEDBACK_TARGET[r.target]}</td>
                  <td className="name">{r.name || '未登记对象'}</td>
                  <td className="bad">{r.run_length}</td>
                  <td>{time(r.latest_ts)}</td>
                  <td>
                    <button
                      className="small"
                      onClick={() =>
                        setOpen(
                          targets.find((t) => t.target === r.target && t.id === r.target_id) ?? {
                            target: r.target,
                            id: r.target_id,
                            name: r.name,
                          },
                        )
                      }
                    >
                      查看详情
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}
      {rows.data && (
        <Section title={`${p.placeName(p.scope)} · 本学期评议对象（平均分由低到高）`} testId="console-feedback-targets">
          <table className="console-table">
            <thead>
              <tr>
                <th>对象类型</th>
                <th>对象</th>
                <th data-total="sum">评议数</th>
                <th>平均分</th>
                <th>低分占比</th>
                <th>涉及学校</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.targets.length === 0 && (
                <tr>
                  <td className="no-data" colSpan={7}>
                    暂无数据
                  </td>
                </tr>
              )}
              {rows.data.targets.map((t) => (
                <tr
                  key={`${t.target}:${t.target_id}`}
                  data-testid="console-feedback-target"
                  data-subject={`${t.target}:${t.target_id}`}
                >
                  <td>{FEEDBACK_TARGET[t.target]}</td>
                  <td className="name">{t.name || '未登记对象'}</td>
                  <td data-value={t.count}>{count(t.count)}</td>
                  <td className={t.average_score !== null && t.average_score <= 2 ? 'bad' : undefined}>
                    {score(t.average_score)}
                  </td>
                  <td>{pct(t.low_share)}</td>
                  <td data-value={t.schools}>{count(t.schools)}</td>
                  <td>
                    <button
                      className="small"
                      onClick={() =>
                        setOpen(
                          targets.find((x) => x.target === t.target && x.id === t.target_id) ?? {
                            target: t.target,
                            id: t.target_id,
                            name: t.name,
                          },
                        )
                      }
                    >
                      查看详情
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}
      <Section
        title={school ? `${p.placeName(p.scope)} · 评议对象` : '查看评议详情'}
        extra={
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (lookup.id.trim()) setOpen({ target: lookup.target, id: lookup.id.trim(), name: '' });
            }}
          >
            <select
              data-testid="console-lookup-target"
              value={lookup.target}
              onChange={(e) => setLookup({ ...lookup, target: e.target.value as FeedbackTarget })}
            >
              {(Object.keys(FEEDBACK_TARGET) as FeedbackTarget[]).map((t) => (
                <option key={t} value={t}>
                  {FEEDBACK_TARGET[t]}
                </option>
              ))}
            </select>
            <input
              data-testid="console-lookup-id"
              placeholder="对象编号"
              value={lookup.id}
              onChange={(e) => setLookup({ ...lookup, id: e.target.value })}
            />
            <button type="submit">查看详情</button>
          </form>
        }
      >
        {targets.length > 0 ? (
          <div className="targets">
            {targets.map((t) => (
              <button
                key={`${t.target}:${t.id}`}
                className={`target${open?.target === t.target && open.id === t.id ? ' active' : ''}`}
                data-testid="console-target"
                data-subject={`${t.target}:${t.id}`}
                onClick={() => setOpen(t)}
              >
                {FEEDBACK_TARGET[t.target]}：{t.name || t.id}
                {t.note ? <span className="bad"> {t.note}</span> : null}
              </button>
            ))}
          </div>
        ) : (
          <div className="muted">
            {school ? '暂无已知评议对象，可按编号查看。' : '本学期暂无评议对象；也可按编号查看本范围内的评议。'}
          </div>
        )}
      </Section>
      {open && <TargetDetail key={`${open.target}:${open.id}`} {...p} target={open} />}
    </>
  );
}

function TargetDetail(p: PageProps & { target: Target }): JSX.Element {
  const t = p.target;
  const detail = useLoad<FeedbackDetail>(
    `/api/v1/dimensions/feedback/${t.target}/${encodeURIComponent(t.id)}${query({ scope: p.scope, term: p.term, date: p.date })}`,
  );
  const [notice, setNotice] = useState(false);
  const items = detail.data?.items ?? [];
  const scores = items.map((i) => i.score);
  const average = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
  const name = t.name || t.id;
  const recipients = useMemo((): Recipient[] => {
    const schools = [...new Set(items.map((i) => i.school_id))];
    const school = scopeKind(p.scope) === 'school' ? scopeId(p.scope) : schools.length === 1 ? (schools[0] ?? '') : '';
    const provider = t.target === 'provider' ? { id: t.id, name } : t.provider;
    const list: Recipient[] = [
      { type: 'school', id: school, name: school ? p.placeName(`school:${school}`) : '' },
      { type: 'provider', id: provider?.id ?? '', name: provider?.name ?? '' },
      { type: 'operator', id: t.target === 'operator' ? t.id : '', name: t.target === 'operator' ? name : '' },
    ];
    // The target's own side first: a provider's or operator's feedback goes to it by default.
    return t.target === 'provider' || t.target === 'operator'
      ? [...list.filter((r) => r.type === t.target), ...list.filter((r) => r.type !== t.target)]
      : list;
  }, [items, p, t, name]);
  return (
    <Section
      title={`评议详情 · ${FEEDBACK_TARGET[t.target]}：${name}`}
      testId="console-detail"
      extra={
        p.decider && (
          <button
            className="primary"
            data-testid="console-action-notice"
            disabled={!detail.data}
            onClick={() => setNotice(true)}
          >
            一键监管
          </button>
        )
      }
    >
      <Status loaded={detail} />
      {detail.data && (
        <>
          <div className="profile">
            <span data-key="count" data-value={items.length}>
              评议 {count(items.length)} 条
            </span>
            <span className={average === null ? 'no-data' : undefined}>平均分 {score(average)}</span>
          </div>
          <table className="console-table">
            <thead>
              <tr>
                <th>时间</th>
                <th>学校</th>
                <th>评议方</th>
                <th>评分</th>
                <th className="left">评语</th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 && (
                <tr>
                  <td className="no-data" colSpan={5}>
                    暂无数据
                  </td>
                </tr>
              )}
              {items.map((i) => (
                <tr key={i.id} data-testid="console-feedback-item">
                  <td>{time(i.ts)}</td>
                  <td>{p.placeName(`school:${i.school_id}`)}</td>
                  <td>{labelOf(FEEDBACK_SOURCE, i.from)}</td>
                  <td className={i.score <= 2 ? 'bad' : undefined}>{i.score}分</td>
                  <td className="comment">{i.comment}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {notice && (
        <NoticeDialog
          dimension="feedback"
          subjectId={`${t.target}:${t.id}`}
          about={`${FEEDBACK_TARGET[t.target]}「${name}」的评议反馈（${items.length} 条，平均分 ${score(average)}）`}
          recipients={recipients}
          defaultContent={`根据各方评议反馈，${FEEDBACK_TARGET[t.target]}「${name}」存在问题，请认真核查整改，并于期限内反馈整改情况。`}
          onClose={() => setNotice(false)}
        />
      )}
    </Section>
  );
}
