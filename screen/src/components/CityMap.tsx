import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import type { ChildSummary } from '../api/types.ts';
import { useChart } from '../charts/use-chart.ts';
import { cityTiling } from '../lib/city-geometry.ts';
import { dueMoment, momentLabel, rateView } from '../lib/due.ts';
import { pct } from '../lib/format.ts';

// The scope's children on a generated map, coloured by their student attendance due so far
// (contract v1.1; the day's for a day that is over): a district whose classes have not begun
// is grey (未到上课时间), not red. "No data" patches are grey too. A click drills down.

export interface Patch {
  name: string;
  label: string;
  /** What the patch is coloured by; '-' is ECharts' "no value" (the series' grey). */
  value: number | '-';
  rate: number | null;
  /** Why a patch has no rate (暂无数据, 未到上课时间). */
  empty: string;
  /** The whole day's progress, shown beside the due rate during the day. */
  day: number | null | undefined;
  dayLabel: string;
  alerts: number;
}

export function patchesOf(children: readonly ChildSummary[], date: string): Patch[] {
  return children.map((c) => {
    const v = rateView('attendance_rate', c.metrics, c.due, date);
    return {
      name: c.scope,
      label: c.name,
      value: v.value ?? '-',
      rate: v.value,
      empty: v.empty,
      day: v.day,
      dayLabel: v.dayLabel,
      alerts: c.alerts.open,
    };
  });
}

const registered = new Set<string>();

export function CityMap({
  children,
  date,
  onPick,
}: {
  children: ChildSummary[];
  date: string;
  onPick: (scope: string) => void;
}) {
  const moment = momentLabel(dueMoment(date, children[0]?.due?.at));
  const data = useMemo(() => patchesOf(children, date), [children, date]);
  const option = useMemo(() => {
    const ids = data.map((d) => d.name);
    const key = `edu-${ids.join('|')}`;
    if (!registered.has(key)) {
      echarts.registerMap(key, cityTiling(ids) as never);
      registered.add(key);
    }
    return {
      // Colours change in place: an animated transition on every update (twice a second at
      // most) would keep the main thread repainting the whole map.
      animation: false,
      tooltip: {
        formatter: (p: { data?: Patch }) => {
          const d = p.data;
          if (!d) return '';
          return [
            echarts.format.encodeHTML(d.label),
            `学生出勤率（${moment}）${d.rate === null ? d.empty : pct(d.rate)}`,
            ...(d.day === undefined ? [] : [`${d.dayLabel} ${pct(d.day)}`]),
            `未处理预警 ${d.alerts}`,
          ].join('<br/>');
        },
      },
      visualMap: {
        min: 0.6,
        max: 1,
        calculable: false,
        orient: 'horizontal',
        left: 20,
        bottom: 10,
        text: ['100%', '60%'],
        textStyle: { color: '#9fc6ff' },
        inRange: { color: ['#ff4d4f', '#ffd166', '#27d17f'] },
      },
      series: [
        {
          id: 'map',
          type: 'map',
          map: key,
          aspectScale: 1,
          roam: false,
          selectedMode: false,
          label: {
            show: true,
            color: '#fff',
            fontSize: 15,
            // A dark outline keeps white names legible on the light green of a good district.
            textBorderColor: 'rgba(5, 16, 36, 0.85)',
            textBorderWidth: 3,
            formatter: (p: { data?: Patch }) => p.data?.label ?? '',
          },
          // A crowded map (a zone's schools) hides a label that would cover another; the
          // tooltip still names every patch. Districts' labels never collide (city-geometry).
          labelLayout: { hideOverlap: true },
          itemStyle: { borderColor: '#0b1d3a', borderWidth: 1.5, areaColor: '#3a4a5e' },
          emphasis: { label: { color: '#fff' }, itemStyle: { areaColor: '#4ef0ff' } },
          data,
        },
      ],
    };
  }, [data, moment]);
  const ref = useChart(option, (p) => {
    if (p.name) onPick(p.name);
  });
  return (
    <>
      {/* ECharts owns the chart div's insides: React renders nothing into it. */}
      <div ref={ref} className="chart" data-testid="city-map" />
      <div className="map-caption" data-testid="map-caption">
        着色：学生出勤率（{moment}）
      </div>
      {/* What each patch is coloured by, as plain elements for tests and screen readers. */}
      <ul className="map-index">
        {data.map((d) => (
          <li key={d.name} data-testid="map-patch" data-scope={d.name} data-value={d.rate ?? ''}>
            {d.label} {d.rate === null ? d.empty : pct(d.rate)}
          </li>
        ))}
      </ul>
    </>
  );
}
