import { useState, type JSX } from 'react';
import type { OrphanKind, OrphanPage } from '@edu/analytics';
import { Section, Status } from '../Section.tsx';
import { useLoad } from '../use-load.ts';

// 数据质量, for the bureau's leaders and administrators beside the dimension pages: events that
// were stored but are about a school, session, offering or student the registry does not know
// (yet), per sending system and event type. They count in no figure until the registry catches
// up, so this is where they show. The definitions, the window and the Chinese names are
// analytics' (quality/orphans.ts, labels.ts); the streamer reads them every minute. Ids are all
// there is of an unknown object (it has no name yet); students' arrive masked.

const PATH = '/api/v1/admin/data-quality';

const fmt = (n: number) => n.toLocaleString('zh-CN');

/** The moment of the report, as Beijing time HH:MM. */
const hhmm = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(11, 16);

export function QualityPage(): JSX.Element {
  // 刷新 asks for a read now (the server otherwise answers with its latest, up to a minute old).
  const [round, setRound] = useState(0);
  const report = useLoad<OrphanPage>(round ? `${PATH}?fresh=${round}` : PATH);
  const r = report.data;
  const kinds: { kind: OrphanKind; label: string }[] = r?.kinds ?? [];
  return (
    <Section
      title="涉及未登记对象的数据"
      testId="console-quality"
      extra={
        <button data-testid="console-quality-reload" onClick={() => setRound((n) => n + 1)}>
          刷新
        </button>
      }
    >
      <Status loaded={report} />
      {r && (
        <>
          <p className="muted" data-testid="console-quality-window">
            统计{r.since_day}以来（今日及前{r.window_days}日）发生的数据，按当前登记信息判定，截至{hhmm(r.at)}
            。相关登记信息补报后，这些数据即计入统计。
          </p>
          {r.rows.length === 0 ? (
            <p className="no-data" data-testid="console-quality-empty">
              没有涉及未登记对象的数据
            </p>
          ) : (
            <table className="console-table">
              <thead>
                <tr>
                  <th>数据来源</th>
                  <th className="name">数据类型</th>
                  <th>条数</th>
                  <th>近{r.recent_minutes}分钟新增</th>
                  {kinds.map((k) => (
                    <th key={k.kind}>{k.label}</th>
                  ))}
                  <th>未登记编号示例</th>
                </tr>
              </thead>
              <tbody>
                {r.rows.map((row) => (
                  <tr key={`${row.source}/${row.type}`} data-testid="console-quality-row">
                    <td>{row.source_label}</td>
                    <td className="name">{row.type_label}</td>
                    <td>{fmt(row.orphans)}</td>
                    <td>{fmt(row.recent)}</td>
                    {kinds.map((k) => (
                      <td key={k.kind}>{row.by_kind[k.kind] ? fmt(row.by_kind[k.kind]) : '—'}</td>
                    ))}
                    <td className="comment">
                      {kinds
                        .filter((k) => row.samples[k.kind].length > 0)
                        .map((k) => (
                          <div key={k.kind}>
                            {k.label}：{row.samples[k.kind].join('、')}
                          </div>
                        ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Section>
  );
}
