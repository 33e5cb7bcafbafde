import { DigitalFlop } from '@jiaminghi/data-view-react';
import { memo, useMemo, type ReactNode } from 'react';
import type { Snapshot } from '../api/types.ts';
import { rateView, type DueRate } from '../lib/due.ts';
import { count, fitFontSize, isNoData, money, NO_DATA, pct } from '../lib/format.ts';

// Today's headline numbers as DataV digital flops. The three timetable rates show the figures
// due so far (contract v1.1) during the day, labelled 截至 HH:MM, with the whole day's progress
// beside them; a day that is over shows the day's figure, labelled 全天. A rate with no data
// shows grey text saying why (暂无数据, 未到上课时间), never a flop at 0. Every value is sized
// to fit its card, whatever its length (1234.56万元).

type Overview = Snapshot['overview'];
type Metrics = Overview['metrics'];
type Kind = 'rate' | 'money' | 'count';
interface Kpi {
  key: keyof Metrics;
  label: string;
  kind: Kind;
}

export const KPIS: Kpi[] = [
  { key: 'attendance_rate', label: '学生出勤率', kind: 'rate' },
  { key: 'teacher_attendance_rate', label: '教师出勤率', kind: 'rate' },
  { key: 'completion_rate', label: '完课率', kind: 'rate' },
  { key: 'enrollment_rate', label: '报名率', kind: 'rate' },
  { key: 'sessions_scheduled', label: '开课节次', kind: 'count' },
  { key: 'settled_amount', label: '已结算经费', kind: 'money' },
  { key: 'fees_enrolled', label: '选课使用经费', kind: 'money' },
];

/** Before the first snapshot: not yet known, which is not "no data". */
const LOADING = '加载中…';

const DUE_KEYS = new Set<string>(['attendance_rate', 'teacher_attendance_rate', 'completion_rate']);

/** The flop's box (px on the 1920×1080 design): the card's inner width. */
export const FLOP_WIDTH = 196;
const FLOP_HEIGHT = 50;
const MAX_FONT = 38;

/** What the flop draws: the same text as lib/format's, so its width can be known in advance. */
export function valueText(kind: Kind, v: number): string {
  return kind === 'rate' ? pct(v) : kind === 'money' ? money(v) : count(v);
}

export function flopConfig(kind: Kind, v: number) {
  const fontSize = fitFontSize(valueText(kind, v), FLOP_WIDTH, MAX_FONT);
  const style = { fontSize, fill: kind === 'rate' ? '#4ef0ff' : '#ffd166', fontWeight: 'bold' };
  // A short roll (12 frames): numbers change several times a minute on a busy afternoon.
  const roll = { animationFrame: 12 };
  if (kind === 'rate') return { ...roll, number: [+(v * 100).toFixed(1)], toFixed: 1, content: '{nt}%', style };
  if (kind === 'money') {
    const yuan = v / 100;
    if (Math.abs(yuan) >= 100_000_000)
      return { number: [+(yuan / 100_000_000).toFixed(2)], toFixed: 2, content: '{nt}亿元', style };
    return Math.abs(yuan) >= 10_000
      ? { number: [+(yuan / 10_000).toFixed(2)], toFixed: 2, content: '{nt}万元', style }
      : { number: [+yuan.toFixed(yuan % 1 === 0 ? 0 : 2)], toFixed: yuan % 1 === 0 ? 0 : 2, content: '{nt}元', style };
  }
  return { ...roll, number: [v], content: '{nt}', formatter: (n: number) => n.toLocaleString('zh-CN'), style };
}

/** A flop animates when its config changes: the config changes only when its number does. */
const Flop = memo(function Flop({ kind, value }: { kind: Kind; value: number }) {
  const config = useMemo(() => flopConfig(kind, value), [kind, value]);
  return <DigitalFlop config={config} style={{ width: FLOP_WIDTH, height: FLOP_HEIGHT }} />;
});

function Value({ kind, value, empty }: { kind: Kind; value: number | null | undefined; empty: string }) {
  return isNoData(value) ? (
    <div className="kpi-value no-data" data-value="">
      {empty}
    </div>
  ) : (
    <div className="kpi-value" data-value={String(value)}>
      <Flop kind={kind} value={value} />
    </div>
  );
}

const SUB_FONT = 15;

/** The small line under a rate, shrunk to fit its card when its numbers are long. */
function Sub({
  text,
  testId,
  value,
  children,
}: {
  text: string;
  testId?: string;
  value?: number | '';
  children?: ReactNode;
}) {
  return (
    <div
      className="kpi-sub"
      data-testid={testId}
      data-value={value}
      style={{ fontSize: fitFontSize(text, FLOP_WIDTH + 8, SUB_FONT, 10) }}
    >
      {children ?? text}
    </div>
  );
}

/** Counts behind a rate of a day that is over: what a leader asks next. */
function dayCounts(key: DueRate, m: Metrics): string {
  if (key === 'attendance_rate') return `实到 ${count(m.students_present)} / 应到 ${count(m.students_expected)} 人`;
  if (key === 'teacher_attendance_rate')
    return `到岗 ${count(m.teachers_present)} / 排课 ${count(m.sessions_scheduled)} 节`;
  return `完课 ${count(m.sessions_completed)} / 排课 ${count(m.sessions_scheduled)} 节`;
}

function RateCard({ kpi, overview }: { kpi: Kpi; overview: Overview }) {
  const key = kpi.key as DueRate;
  const v = rateView(key, overview.metrics, overview.due, overview.date);
  return (
    <div className="kpi kpi-rate" data-testid={`kpi-${kpi.key}`}>
      <div className="kpi-head">
        <span className="kpi-label">{kpi.label}</span>
        <span className="kpi-moment" data-testid="kpi-moment">
          {v.label}
        </span>
      </div>
      <Value kind="rate" value={v.value} empty={v.empty} />
      {v.day === undefined ? (
        <Sub text={dayCounts(key, overview.metrics)} />
      ) : (
        <Sub text={`${v.dayLabel} ${pct(v.day)}`} testId="kpi-day" value={v.day ?? ''}>
          {v.dayLabel} <span className={isNoData(v.day) ? 'no-data' : 'kpi-day-value'}>{pct(v.day)}</span>
        </Sub>
      )}
    </div>
  );
}

export const Kpis = memo(function Kpis({ overview }: { overview: Overview | null }) {
  return (
    <div className="kpis">
      {KPIS.map((k) =>
        overview && DUE_KEYS.has(k.key) ? (
          <RateCard key={k.key} kpi={k} overview={overview} />
        ) : (
          <div className={`kpi${k.kind === 'rate' ? ' kpi-rate' : ''}`} key={k.key} data-testid={`kpi-${k.key}`}>
            <div className="kpi-head">
              <span className="kpi-label">{k.label}</span>
            </div>
            <Value
              kind={k.kind}
              value={overview ? overview.metrics[k.key] : null}
              empty={overview ? NO_DATA : LOADING}
            />
          </div>
        ),
      )}
    </div>
  );
});
