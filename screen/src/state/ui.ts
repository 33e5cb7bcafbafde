import { create } from 'zustand';

// How this display shows the 1920×1080 canvas. Canvas-drawn charts need it: a chart drawn at
// the browser's devicePixelRatio and then CSS-scaled ×2 (a 4K wall) is blurred, so ECharts
// renders at devicePixelRatio × canvas scale instead — one backing pixel per physical pixel.

interface UiState {
  /** The canvas's CSS scale (ScaledCanvas). */
  scale: number;
  /** window.devicePixelRatio: changes with OS display scaling or moving to another screen. */
  dpr: number;
  setFit(scale: number, dpr: number): void;
}

export const useUi = create<UiState>((set) => ({
  scale: 1,
  dpr: typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1,
  setFit(scale, dpr) {
    set({ scale, dpr: dpr || 1 });
  },
}));

/**
 * The pixel ratio charts are drawn at. Quarter steps: a window resized by a few pixels must
 * not tear down and rebuild every chart. Bounded: a 3× backing store is already 3×3 the pixels.
 */
export function chartPixelRatio(scale: number, dpr: number): number {
  const r = Math.round(scale * dpr * 4) / 4;
  return Math.min(3, Math.max(0.5, Number.isFinite(r) ? r : 1));
}
