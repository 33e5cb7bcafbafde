import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { chartPixelRatio, useUi } from '../state/ui.ts';

// One ECharts instance per tile: created on mount, disposed on unmount (no leak over hours of
// updates), resized with its box, and fed at most twice a second however fast the data
// changes. setOption merges (stable series ids), so an update animates instead of flashing.
// The instance is drawn at the display's pixel ratio times the canvas scale (crisp on a 4K
// wall); ECharts cannot change its ratio after init, so a new ratio means a new instance,
// given the last option at once.

const MIN_INTERVAL_MS = 500;

export function useChart(
  option: EChartsCoreOption | null,
  onClick?: (params: { name?: string; data?: unknown }) => void,
) {
  const el = useRef<HTMLDivElement | null>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const last = useRef(0);
  const pending = useRef<EChartsCoreOption | null>(null);
  const shown = useRef<EChartsCoreOption | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  const ratio = useUi((s) => chartPixelRatio(s.scale, s.dpr));

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'canvas', devicePixelRatio: ratio });
    chart.current = c;
    // A re-init may have cancelled a throttled draw: the newest option wins.
    const latest = pending.current ?? shown.current;
    if (latest) {
      c.setOption(latest);
      shown.current = latest;
      pending.current = null;
    }
    c.on('click', (p) => click.current?.(p as { name?: string; data?: unknown }));
    const unobserve = observeSize(el.current, () => c.resize());
    return () => {
      unobserve();
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      c.dispose();
      chart.current = null;
    };
  }, [ratio]);

  useEffect(() => {
    if (!option) return;
    pending.current = option;
    const draw = () => {
      timer.current = null;
      if (!chart.current || !pending.current) return;
      chart.current.setOption(pending.current, { notMerge: false, lazyUpdate: true });
      // Every option given is complete, so the last one rebuilds the chart after a re-init.
      shown.current = pending.current;
      pending.current = null;
      last.current = Date.now();
    };
    const wait = last.current + MIN_INTERVAL_MS - Date.now();
    if (wait <= 0) draw();
    else if (!timer.current) timer.current = setTimeout(draw, wait);
  }, [option]);

  return el;
}

/**
 * Calls `onResize` when the box changes size. ResizeObserver came with Chrome 64 and the
 * manual's floor is Chrome 61 (the legacy bundle): there, the window's resizes stand in (the
 * wall's canvas is scaled to the window, so its tiles change size with it).
 */
export function observeSize(node: Element, onResize: () => void): () => void {
  if (typeof ResizeObserver === 'function') {
    const ro = new ResizeObserver(() => onResize());
    ro.observe(node);
    return () => ro.disconnect();
  }
  window.addEventListener('resize', onResize);
  return () => window.removeEventListener('resize', onResize);
}
