import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import type { ChildSummary } from '../api/types.ts';
import { useChart } from '../charts/use-chart.ts';
import { cityTiling } from '../lib/city-geometry.ts';
import { pct } from '../lib/format.ts';

// The scope's children on a generated map, coloured by today's student attendance; a click
// drills down. "No data" patches are grey, not red.

const registered = new Set<string>();

export function CityMap({ children, onPick }: { children: ChildSummary[]; onPick: (scope: string) => void }) {
  const option = useMemo(() => {
    const ids = children.map((c) => c.scope);
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
        formatter: (p: { data?: { label: string; rate: number | null; alerts: number } }) =>
          p.data
            ? `${echarts.format.encodeHTML(p.data.label)}<br/>出勤率 ${pct(p.data.rate)}<br/>未处理预警 ${p.data.alerts}`
            : '',
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
            formatter: (p: { data?: { label: string } }) => p.data?.label ?? '',
          },
          itemStyle: { borderColor: '#0b1d3a', borderWidth: 1.5, areaColor: '#3a4a5e' },
          emphasis: { label: { color: '#fff' }, itemStyle: { areaColor: '#4ef0ff' } },
          data: children.map((c) => ({
            name: c.scope,
            label: c.name,
            // '-' is ECharts' "no value": such a patch keeps the series' grey, not a colour.
            value: c.metrics.attendance_rate ?? '-',
            rate: c.metrics.attendance_rate,
            alerts: c.alerts.open,
          })),
        },
      ],
    };
  }, [children]);
  const ref = useChart(option, (p) => {
    if (p.name) onPick(p.name);
  });
  return <div ref={ref} className="chart" data-testid="city-map" />;
}
