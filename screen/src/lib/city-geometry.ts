// The city graphic is generated, not downloaded (walls run on closed networks): a hexagonal
// tiling of a rounded city outline, split among the scope's children by nearest seed, so each
// district (or zone, or school) is a connected patch whose shape is stable for its id set.

export interface Feature {
  type: 'Feature';
  /** `cp`: where ECharts puts the patch's label (without it, on the patch's first hexagon). */
  properties: { name: string; cp: [number, number] };
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
}
export interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

/** A small deterministic hash → [0, 1), so the same ids always give the same map. */
function unit(text: string, salt: number): number {
  let h = 2166136261 ^ salt;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return ((h >>> 0) % 100_000) / 100_000;
}

function hexagon(cx: number, cy: number, r: number): number[][] {
  const pts: number[][] = [];
  for (let i = 0; i <= 6; i++) {
    const a = (Math.PI / 180) * (60 * (i % 6) - 30);
    pts.push([+(cx + r * Math.cos(a)).toFixed(4), +(cy + r * Math.sin(a)).toFixed(4)]);
  }
  return pts;
}

export function cityTiling(ids: readonly string[], cols = 26, rows = 16): FeatureCollection {
  if (ids.length === 0) return { type: 'FeatureCollection', features: [] };
  const r = 1;
  const w = Math.sqrt(3) * r;
  const cells: { x: number; y: number }[] = [];
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const x = col * w + (row % 2 ? w / 2 : 0);
      const y = row * 1.5 * r;
      // A rounded outline: an ellipse with a ragged edge.
      const nx = (x / (cols * w) - 0.5) * 2;
      const ny = (y / (rows * 1.5 * r) - 0.5) * 2;
      const edge = 0.92 + 0.12 * Math.sin(Math.atan2(ny, nx) * 5);
      if (nx * nx + ny * ny <= edge * edge) cells.push({ x, y: -y });
    }
  }
  const xs = cells.map((c) => c.x);
  const ys = cells.map((c) => c.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // Seeds on a jittered sunflower spiral: spread evenly, stable per id.
  const seeds = [...ids].sort().map((id, i, all) => {
    const t = (i + 0.5) / all.length;
    const angle = i * 2.39996 + unit(id, 1) * 0.6;
    const rad = Math.sqrt(t) * 0.85;
    return {
      id,
      x: minX + (maxX - minX) * (0.5 + 0.5 * rad * Math.cos(angle)),
      y: minY + (maxY - minY) * (0.5 + 0.5 * rad * Math.sin(angle)),
    };
  });
  const owned = new Map<string, { x: number; y: number }[]>(seeds.map((s) => [s.id, []]));
  for (const c of cells) {
    let best = seeds[0] as (typeof seeds)[number];
    let bestD = Infinity;
    for (const s of seeds) {
      const d = (s.x - c.x) ** 2 + (s.y - c.y) ** 2;
      if (d < bestD) [best, bestD] = [s, d];
    }
    owned.get(best.id)?.push(c);
  }
  return {
    type: 'FeatureCollection',
    features: seeds
      .filter((s) => (owned.get(s.id) ?? []).length > 0)
      .map((s) => {
        const mine = owned.get(s.id) ?? [];
        return {
          type: 'Feature',
          properties: { name: s.id, cp: labelPoint(mine) },
          geometry: { type: 'MultiPolygon', coordinates: mine.map((c) => [hexagon(c.x, c.y, r * 0.98)]) },
        };
      }),
  };
}

/**
 * The label's place: the patch's cell nearest its centroid, so the label sits in the middle
 * of its own patch (never on a neighbour's, even for a crescent-shaped patch).
 */
function labelPoint(cells: readonly { x: number; y: number }[]): [number, number] {
  const mx = cells.reduce((a, c) => a + c.x, 0) / cells.length;
  const my = cells.reduce((a, c) => a + c.y, 0) / cells.length;
  let best = cells[0] as { x: number; y: number };
  for (const c of cells) if ((c.x - mx) ** 2 + (c.y - my) ** 2 < (best.x - mx) ** 2 + (best.y - my) ** 2) best = c;
  return [+best.x.toFixed(4), +best.y.toFixed(4)];
}
