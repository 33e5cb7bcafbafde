import { useMemo } from 'react';
import type { MinutePoint } from '../api/types.ts';
import { useChart } from '../charts/use-chart.ts';
import { minuteLabel } from '../lib/format.ts';

/**
 * Check-ins per minute of the afternoon: students and teachers. `until` is the last minute of
 * the day that has happened (the figures' moment; null for a day that is over): minutes after it
 * are left blank, so the curve ends at "now" instead of falling to a zero nobody has measured.
 */
export function MinuteChart({ minutes, until = null }: { minutes: MinutePoint[]; until?: number | null }) {
  const option = useMemo(() => {
    const points = curvePoints(minutes, until);
    return {
      animationDuration: 300,
      animationDurationUpdate: 0,
      grid: { left: 56, right: 20, top: 36, bottom: 30 },
      tooltip: { trigger: 'axis' },
      legend: { data: ['学生签到', '教师签到'], textStyle: { color: '#9fc6ff', fontSize: 16 }, top: 0 },
      xAxis: {
        type: 'category',
        data: points.map((p) => minuteLabel(p.minute)),
        axisLabel: { color: '#9fc6ff', fontSize: 14 },
        axisLine: { lineStyle: { color: '#2e6099' } },
      },
      yAxis: {
        type: 'value',
        axisLabel: { color: '#9fc6ff', fontSize: 14 },
        splitLine: { lineStyle: { color: 'rgba(46,96,153,0.3)' } },
      },
      series: [
        {
          id: 'students',
          name: '学生签到',
          type: 'line',
          smooth: true,
          showSymbol: false,
          data: points.map((p) => p.students),
          areaStyle: { opacity: 0.25 },
          lineStyle: { width: 2 },
          color: '#4ef0ff',
        },
        {
          id: 'teachers',
          name: '教师签到',
          type: 'line',
          smooth: true,
          showSymbol: false,
          data: points.map((p) => p.teachers),
          lineStyle: { width: 2 },
          color: '#ffd166',
        },
      ],
    };
  }, [minutes, until]);
  const ref = useChart(option);
  return <div ref={ref} className="chart" data-testid="minute-chart" />;
}

/** A point of the curve; null counts are minutes not yet reached (drawn as a gap). */
export interface CurvePoint {
  minute: number;
  students: number | null;
  teachers: number | null;
}

/**
 * The curve's points: a continuous axis over the after-school window (and any check-ins outside
 * it), where a quiet minute is a visible zero, not a missing tick — up to `until`, and blank after.
 */
export function curvePoints(minutes: readonly MinutePoint[], until: number | null): CurvePoint[] {
  const by = new Map(minutes.map((p) => [p.minute, p]));
  const first = Math.min(15 * 60, ...minutes.map((p) => p.minute));
  const last = Math.max(18 * 60 + 30, ...minutes.map((p) => p.minute));
  return Array.from({ length: last - first + 1 }, (_, i) => {
    const minute = first + i;
    if (until !== null && minute > until) return { minute, students: null, teachers: null };
    return by.get(minute) ?? { minute, students: 0, teachers: 0 };
  });
}
