import * as echarts from 'echarts/core';
import { useEffect, useMemo, useState } from 'react';
import type { ChildSummary } from '../api/types.ts';
import { useChart } from '../charts/use-chart.ts';
import { dueMoment, momentLabel, rateView } from '../lib/due.ts';

// The 3D view of the scope's children: a bar per child and metric on a generated grid.
// echarts-gl (and three, which it draws with) is a large library, loaded only when a duty
// officer switches to 3D — the wall's first screen never waits for it. Bars are the rates due
// so far (contract v1.1), as the 2D map's colours are: a class not begun is no short bar.

const METRICS = [
  { key: 'attendance_rate', label: '学生出勤率' },
  { key: 'teacher_attendance_rate', label: '教师出勤率' },
  { key: 'completion_rate', label: '完课率' },
] as const;

let loading: Promise<unknown> | null = null;
const loadGl = () => (loading ??= import('echarts-gl'));

/** Some wall PCs (and headless browsers) have no WebGL: they keep the 2D map. */
function hasWebGl(): boolean {
  try {
    return !!document.createElement('canvas').getContext('webgl');
  } catch {
    return false;
  }
}

export default function City3D({ items, date }: { items: ChildSummary[]; date: string }) {
  const [ready, setReady] = useState(false);
  const [supported] = useState(hasWebGl);
  useEffect(() => {
    if (!supported) return;
    let live = true;
    void loadGl().then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, [supported]);
  if (!supported) return <div className="no-data overlay">此显示设备不支持三维视图（WebGL）</div>;
  // The chart is created only after echarts-gl has registered itself: an ECharts instance
  // takes the layouts and processors that exist when it is created.
  return ready ? <Bars3D items={items} date={date} /> : <div className="no-data overlay">正在加载三维视图…</div>;
}

/** The bars' heights (percent), one per child and rate; none for a rate with no data. */
export function bars3d(items: readonly ChildSummary[], date: string): [number, number, number][] {
  return items.flatMap((c, x) =>
    METRICS.flatMap((m, y): [number, number, number][] => {
      const v = rateView(m.key, c.metrics, c.due, date).value;
      return v === null ? [] : [[x, y, +(v * 100).toFixed(1)]];
    }),
  );
}

function Bars3D({ items, date }: { items: ChildSummary[]; date: string }) {
  const moment = momentLabel(dueMoment(date, items[0]?.due?.at));
  const option = useMemo(() => {
    const names = items.map((c) => c.name);
    return {
      tooltip: {
        formatter: (p: { value?: [number, number, number] }) => {
          const [x, y, z] = p.value ?? [0, 0, 0];
          const name = echarts.format.encodeHTML(names[x] ?? '');
          return `${name}<br/>${METRICS[y]?.label ?? ''}（${moment}）${z.toFixed(1)}%`;
        },
      },
      // Axis names default to X, Y, Z: the labels say what the axes are.
      xAxis3D: { type: 'category', name: '', data: names, axisLabel: { color: '#9fc6ff', fontSize: 12 } },
      yAxis3D: {
        type: 'category',
        name: '',
        data: METRICS.map((m) => m.label),
        axisLabel: { color: '#9fc6ff', fontSize: 12 },
      },
      zAxis3D: {
        type: 'value',
        name: '%',
        min: 0,
        max: 100,
        axisLabel: { color: '#9fc6ff' },
        nameTextStyle: { color: '#9fc6ff' },
      },
      visualMap: {
        show: false,
        dimension: 2,
        min: 60,
        max: 100,
        inRange: { color: ['#ff4d4f', '#ffd166', '#27d17f'] },
      },
      grid3D: {
        boxWidth: 160,
        boxDepth: 50,
        viewControl: { alpha: 25, beta: 30 },
        light: { main: { intensity: 1.2 }, ambient: { intensity: 0.4 } },
      },
      series: [
        {
          id: 'bars',
          type: 'bar3D',
          shading: 'lambert',
          // Children with no data (or nothing due yet) have no bar, never a bar at 0.
          data: bars3d(items, date),
        },
      ],
    };
  }, [items, date, moment]);
  const ref = useChart(option);
  return (
    <>
      {/* ECharts owns the chart div's insides: React renders nothing into it. */}
      <div ref={ref} className="chart" data-testid="city-3d" />
      <div className="map-caption">柱高：各项比率（{moment}）</div>
    </>
  );
}
