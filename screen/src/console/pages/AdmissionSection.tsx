import type { JSX } from 'react';
import { DecisionButtons } from '../DecisionDialog.tsx';
import { count } from '../fmt.ts';
import { CERTIFICATE, labelOf, PROVIDER_CHANNEL } from '../labels.ts';
import { query } from '../route.ts';
import { DecisionState, Section, Status } from '../Section.tsx';
import { useLoad } from '../use-load.ts';
import type { Admission, AdmissionRow, PageProps } from '../types.ts';

// 准入审核 (the manual's chain 材料申报 ➪ 准入审核 ➪ 开始选课): the providers that serve the
// scope's schools, with how they came in (招标 / 推荐 / 自主), their qualification and their
// teachers' certificates, and 通过 / 驳回 of their admission. It sits on 开课审批 because
// admission is the gate before a provider's courses may be offered; the decision is the
// contract's (dimension course, target the provider, subject provider:<id>), and as a provider
// may serve any school, the server lets only a user who sees the whole city decide it: the
// buttons show by that rule (place city, may-decide.ts), so department staff see none.

/** A provider may bring hundreds of teachers: the first few by name, then how many by certificate. */
const SHOWN_TEACHERS = 5;
function teachersText(teachers: AdmissionRow['teachers']): string {
  if (teachers.length === 0) return '暂无登记教师';
  const named = teachers
    .slice(0, SHOWN_TEACHERS)
    .map((t) => `${t.name}（${labelOf(CERTIFICATE, t.certificate)}）`)
    .join('、');
  if (teachers.length <= SHOWN_TEACHERS) return named;
  const byCertificate = new Map<string, number>();
  for (const t of teachers) byCertificate.set(t.certificate, (byCertificate.get(t.certificate) ?? 0) + 1);
  const counts = [...byCertificate].map(([c, n]) => `${labelOf(CERTIFICATE, c)} ${n}`).join('、');
  return `${named} 等 ${teachers.length} 名（${counts}）`;
}

export function AdmissionSection(p: PageProps): JSX.Element {
  const list = useLoad<Admission>(`/api/v1/dimensions/course/admission${query({ scope: p.scope, date: p.date })}`);
  const states = list.data?.states;
  return (
    <Section
      title={`${p.placeName(p.scope)} · 课程方准入审核`}
      testId="console-admission"
      extra={
        states && (
          <span className="muted" data-testid="console-admission-states">
            待审核 {count(states.pending)} · 已通过 {count(states.approved)} · 已驳回 {count(states.rejected)}
          </span>
        )
      }
    >
      <Status loaded={list} />
      {list.data && (
        <table className="console-table">
          <thead>
            <tr>
              <th>课程方（机构）</th>
              <th>入库渠道</th>
              <th>资质</th>
              <th className="left">授课教师（证书）</th>
              <th data-total="sum">课程数</th>
              <th>审核状态</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {list.data.rows.length === 0 && (
              <tr>
                <td className="no-data" colSpan={7}>
                  暂无数据
                </td>
              </tr>
            )}
            {list.data.rows.map((r) => (
              <tr key={r.provider_id} data-testid="console-admission-row" data-subject={`provider:${r.provider_id}`}>
                <td className="name">{r.name || '未登记名称'}</td>
                <td>{labelOf(PROVIDER_CHANNEL, r.channel)}</td>
                <td className={r.qualified ? undefined : 'bad'}>{r.qualified ? '资质合格' : '资质未通过'}</td>
                <td className="left comment" title={r.teachers.map((t) => t.name).join('、')}>
                  {teachersText(r.teachers)}
                </td>
                <td data-value={r.courses}>{count(r.courses)}</td>
                <td>
                  <DecisionState decision={r.decision} />
                </td>
                <td className="ops">
                  <DecisionButtons
                    subject={{
                      target_type: 'provider',
                      target_id: r.provider_id,
                      dimension: 'course',
                      subject_id: `provider:${r.provider_id}`,
                      label: `课程方「${r.name}」准入申请`,
                    }}
                    kinds={['approved', 'rejected']}
                    leaderKinds={[]}
                    leader={p.leader}
                    decider={p.decider}
                    may={p.mayDecide}
                    place="city"
                    onDone={list.reload}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
