// The wall is designed on a 1920×1080 canvas and scaled uniformly to any display: the
// largest scale at which the whole canvas fits, centred, with letterboxing on the long side.
// Never stretched, so circles stay round on an ultra-wide splice.

export const DESIGN = { width: 1920, height: 1080 } as const;

export interface Fit {
  scale: number;
  left: number;
  top: number;
}

export function fitCanvas(viewportWidth: number, viewportHeight: number): Fit {
  const scale = Math.min(viewportWidth / DESIGN.width, viewportHeight / DESIGN.height);
  const safe = Number.isFinite(scale) && scale > 0 ? scale : 1;
  return {
    scale: safe,
    // Whole pixels: a fractional offset blurs every edge of the canvas.
    left: Math.round((viewportWidth - DESIGN.width * safe) / 2),
    top: Math.round((viewportHeight - DESIGN.height * safe) / 2),
  };
}
