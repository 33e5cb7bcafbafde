import { LineChart, MapChart, BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapComponent, GeoComponent, LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

// Only the ECharts parts the wall uses, so the bundle stays small.
echarts.use([
  LineChart,
  MapChart,
  BarChart,
  GridComponent,
  TooltipComponent,
  VisualMapComponent,
  GeoComponent,
  LegendComponent,
  CanvasRenderer,
]);
