import { DigitalFlop } from '@jiaminghi/data-view-react';
import type { Snapshot } from '../api/types.ts';
import { isNoData, NO_DATA } from '../lib/format.ts';

// Today's headline numbers as DataV digital flops. A rate with no data shows "暂无数据" in
// grey instead of a flop at 0.

type Metrics = Snapshot['overview']['metrics'];
interface Kpi {
  key: keyof Metrics;
  label: string;
  kind: 'rate' | 'money' | 'count';
}

export const KPIS: Kpi[] = [
  { key: 'attendance_rate', label: '学生出勤率', kind: 'rate' },
  { key: 'teacher_attendance_rate', label: '教师出勤率', kind: 'rate' },
  { key: 'completion_rate', label: '完课率', kind: 'rate' },
  { key: 'enrollment_rate', label: '报名率', kind: 'rate' },
  { key: 'sessions_scheduled', label: '今日开课节次', kind: 'count' },
  { key: 'settled_amount', label: '已结算经费', kind: 'money' },
  { key: 'fees_enrolled', label: '选课使用经费', kind: 'money' },
];

function flopConfig(kind: Kpi['kind'], v: number) {
  const style = { fontSize: 38, fill: kind === 'rate' ? '#4ef0ff' : '#ffd166', fontWeight: 'bold' };
  if (kind === 'rate') return { number: [+(v * 100).toFixed(1)], toFixed: 1, content: '{nt}%', style };
  if (kind === 'money') {
    const yuan = v / 100;
    return yuan >= 10_000
      ? { number: [+(yuan / 10_000).toFixed(2)], toFixed: 2, content: '{nt}万', style }
      : { number: [Math.round(yuan)], content: '{nt}元', style };
  }
  return { number: [v], content: '{nt}', formatter: (n: number) => n.toLocaleString('zh-CN'), style };
}

export function Kpis({ metrics }: { metrics: Metrics | null }) {
  return (
    <div className="kpis">
      {KPIS.map((k) => {
        const v = metrics ? metrics[k.key] : null;
        return (
          <div className="kpi" key={k.key} data-testid={`kpi-${k.key}`}>
            <div className="kpi-label">{k.label}</div>
            {isNoData(v) ? (
              <div className="kpi-value no-data" data-value="">
                {NO_DATA}
              </div>
            ) : (
              <div className="kpi-value" data-value={String(v)}>
                <DigitalFlop config={flopConfig(k.kind, v)} style={{ width: 240, height: 52 }} />
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}
