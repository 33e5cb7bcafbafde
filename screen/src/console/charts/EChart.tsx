import { PieChart } from 'echarts/charts';
import { LegendComponent, TitleComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import type { JSX } from 'react';
import '../../charts/register.ts';
import { useChart } from '../../charts/use-chart.ts';
import { Tile } from '../../components/Tile.tsx';

// The wall registers only the chart types it draws (charts/register.ts); the console's share
// rings need PieChart as well, registered here so the wall's bundle is not changed.
echarts.use([PieChart, TitleComponent, LegendComponent]);

/** One chart of the 图表 page in the wall's tile frame: the canvas, or 暂无数据 with nothing to draw. */
export function ChartBox({
  id,
  title,
  option,
  onPick,
  testValue,
}: {
  id: string;
  title: string;
  option: EChartsCoreOption | null;
  onPick?: (data: unknown) => void;
  /** A number the chart shows, for tests (a canvas cannot be read). */
  testValue?: number | string;
}): JSX.Element {
  return (
    <div className="chart-box" data-testid="console-chart" data-chart={id} data-value={testValue ?? ''}>
      <Tile title={title} style={{ height: '100%' }}>
        {option ? (
          <Canvas option={option} {...(onPick ? { onPick } : {})} />
        ) : (
          <div className="no-data chart-empty">暂无数据</div>
        )}
      </Tile>
    </div>
  );
}

function Canvas({ option, onPick }: { option: EChartsCoreOption; onPick?: (data: unknown) => void }): JSX.Element {
  const ref = useChart(option, onPick ? (p) => onPick(p.data) : undefined);
  return <div ref={ref} className="chart" />;
}
