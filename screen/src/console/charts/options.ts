import type { EChartsCoreOption } from 'echarts/core';
import { escapeHtml } from '../../lib/escape.ts';
import type { RankingRow, Share } from '../types.ts';

// ECharts options of the 图表 page, as pure functions of the API's data. Names come from the
// schools' systems: axis labels are drawn on the canvas (inert), but tooltips are HTML, so
// every tooltip is formatted here with escapeHtml. An empty series is null: the page shows
// 暂无数据 instead of an empty frame.

const TEXT = '#d6e8ff';
const MUTED = '#7f9cc4';
const LINE = 'rgba(46, 96, 153, 0.5)';
export const PALETTE = ['#4ef0ff', '#ffd166', '#27d17f', '#3ea6ff', '#ffb020', '#ff4d4f', '#b37feb', '#7f9cc4'];

type Fmt = (v: number) => string;

interface TooltipParam {
  name?: string;
  value?: unknown;
  percent?: number;
  seriesName?: string;
}
const first = (p: TooltipParam | TooltipParam[]) => (Array.isArray(p) ? p[0] : p);

/** Top-10 / bottom-10 schools as horizontal bars, rank 1 at the top. */
export function rankingBars(rows: readonly RankingRow[], fmt: Fmt, color: string): EChartsCoreOption | null {
  if (rows.length === 0) return null;
  const ordered = [...rows].reverse();
  return {
    grid: { left: 8, right: 70, top: 8, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: TooltipParam | TooltipParam[]) => {
        const p = first(ps);
        return `${escapeHtml(p?.name)}<br/>${escapeHtml(fmt(Number(p?.value)))}`;
      },
    },
    xAxis: {
      type: 'value',
      axisLabel: { color: MUTED, formatter: (v: number) => fmt(v) },
      splitLine: { lineStyle: { color: LINE } },
    },
    yAxis: {
      type: 'category',
      data: ordered.map((r) => `${r.rank}. ${r.name || r.school_id}`),
      axisLabel: { color: TEXT, width: 150, overflow: 'truncate' },
    },
    series: [
      {
        id: 'rank',
        type: 'bar',
        barMaxWidth: 16,
        itemStyle: { color },
        label: { show: true, position: 'right', color: TEXT, formatter: (p: { value: number }) => fmt(p.value) },
        data: ordered.map((r) => ({ value: r.value, school_id: r.school_id })),
      },
    ],
  };
}

/** Shares as a ring, one slice per key (labelled in Chinese); null when nothing to share. */
export function sharePie(shares: readonly Share[], labels: Record<string, string>): EChartsCoreOption | null {
  if (shares.every((s) => s.count === 0)) return null;
  return {
    color: PALETTE,
    tooltip: {
      trigger: 'item',
      formatter: (p: TooltipParam) =>
        `${escapeHtml(p.name)}：${escapeHtml(String(p.value))}（${(p.percent ?? 0).toFixed(1)}%）`,
    },
    legend: { orient: 'vertical', right: 0, top: 'middle', textStyle: { color: TEXT } },
    series: [
      {
        id: 'share',
        type: 'pie',
        radius: ['40%', '70%'],
        center: ['38%', '50%'],
        label: { color: TEXT, formatter: '{d}%' },
        data: shares.map((s) => ({ name: labels[s.key] ?? s.key, value: s.count })),
      },
    ],
  };
}

/** Vertical bars of named values (settlement per course, per month; attendance counts). */
export function columnBars(
  names: readonly string[],
  values: readonly number[],
  fmt: Fmt,
  color: string,
): EChartsCoreOption | null {
  if (names.length === 0) return null;
  return {
    grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: TooltipParam | TooltipParam[]) => {
        const p = first(ps);
        return `${escapeHtml(p?.name)}<br/>${escapeHtml(fmt(Number(p?.value)))}`;
      },
    },
    xAxis: {
      type: 'category',
      data: [...names],
      axisLabel: { color: TEXT, interval: 0, width: 110, overflow: 'truncate' },
    },
    yAxis: { type: 'value', axisLabel: { color: MUTED }, splitLine: { lineStyle: { color: LINE } } },
    series: [
      {
        id: 'values',
        type: 'bar',
        barMaxWidth: 40,
        itemStyle: { color },
        label: { show: true, position: 'top', color: TEXT, formatter: (p: { value: number }) => fmt(p.value) },
        data: [...values],
      },
    ],
  };
}

/** Bars of named categories, one series per moment (截至 16:05 / 全天) side by side, with a legend. */
export function groupedBars(
  categories: readonly string[],
  series: readonly { name: string; values: readonly number[]; color: string }[],
  fmt: Fmt,
): EChartsCoreOption | null {
  if (categories.length === 0 || series.length === 0) return null;
  return {
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { color: TEXT } },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: TooltipParam | TooltipParam[]) => {
        const list = Array.isArray(ps) ? ps : [ps];
        const head = escapeHtml(list[0]?.name);
        return [head, ...list.map((p) => `${escapeHtml(p.seriesName)}：${escapeHtml(fmt(Number(p.value)))}`)].join(
          '<br/>',
        );
      },
    },
    xAxis: { type: 'category', data: [...categories], axisLabel: { color: TEXT, interval: 0 } },
    yAxis: { type: 'value', axisLabel: { color: MUTED }, splitLine: { lineStyle: { color: LINE } } },
    series: series.map((s, i) => ({
      id: `s${i}`,
      name: s.name,
      type: 'bar',
      barMaxWidth: 36,
      itemStyle: { color: s.color },
      label: { show: true, position: 'top', color: TEXT, formatter: (p: { value: number }) => fmt(p.value) },
      data: [...s.values],
    })),
  };
}

/** Lines over named points (days), one series per figure, with a legend. */
export function lines(
  points: readonly string[],
  series: readonly { name: string; values: readonly number[]; color: string }[],
  fmt: Fmt,
): EChartsCoreOption | null {
  if (points.length === 0 || series.length === 0) return null;
  return {
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { color: TEXT } },
    tooltip: {
      trigger: 'axis',
      formatter: (ps: TooltipParam | TooltipParam[]) => {
        const list = Array.isArray(ps) ? ps : [ps];
        const head = escapeHtml(list[0]?.name);
        return [head, ...list.map((p) => `${escapeHtml(p.seriesName)}：${escapeHtml(fmt(Number(p.value)))}`)].join(
          '<br/>',
        );
      },
    },
    xAxis: { type: 'category', boundaryGap: false, data: [...points], axisLabel: { color: TEXT } },
    yAxis: {
      type: 'value',
      minInterval: 1,
      axisLabel: { color: MUTED },
      splitLine: { lineStyle: { color: LINE } },
    },
    series: series.map((s, i) => ({
      id: `l${i}`,
      name: s.name,
      type: 'line',
      symbolSize: 6,
      itemStyle: { color: s.color },
      lineStyle: { color: s.color },
      data: [...s.values],
    })),
  };
}
