import { DigitalFlop } from '@jiaminghi/data-view-react';
import { memo, useMemo } from 'react';
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
  // A short roll (12 frames): numbers change several times a minute on a busy afternoon.
  const roll = { animationFrame: 12 };
  if (kind === 'rate') return { ...roll, number: [+(v * 100).toFixed(1)], toFixed: 1, content: '{nt}%', style };
  if (kind === 'money') {
    const yuan = v / 100;
    return yuan >= 10_000
      ? { number: [+(yuan / 10_000).toFixed(2)], toFixed: 2, content: '{nt}万元', style }
      : { number: [Math.round(yuan)], content: '{nt}元', style };
  }
  return { ...roll, number: [v], content: '{nt}', formatter: (n: number) => n.toLocaleString('zh-CN'), style };
}

/** A flop animates when its config changes: the config changes only when its number does. */
const Flop = memo(function Flop({ kind, value }: { kind: Kpi['kind']; value: number }) {
  const config = useMemo(() => flopConfig(kind, value), [kind, value]);
  return <DigitalFlop config={config} style={{ width: 240, height: 52 }} />;
});

export const Kpis = memo(function Kpis({ metrics }: { metrics: Metrics | null }) {
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
                <Flop kind={k.kind} value={v} />
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
});
