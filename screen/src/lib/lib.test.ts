import { describe, expect, it } from 'vitest';
import { cityTiling } from './city-geometry.ts';
import { escapeHtml } from './escape.ts';
import { age, countdown, count, fitFontSize, money, NO_DATA, pct, termLabel, textEms } from './format.ts';
import { parseOptions } from './options.ts';
import { fitCanvas } from './scale.ts';

describe('format', () => {
  it('tells "no data" from zero', () => {
    expect(pct(null)).toBe(NO_DATA);
    expect(pct(0)).toBe('0.0%');
    expect(pct(2 / 3)).toBe('66.7%');
    expect(money(undefined)).toBe(NO_DATA);
    expect(money(0)).toBe('0元');
    expect(count(null)).toBe(NO_DATA);
    expect(count(0)).toBe('0');
  });
  it('shows fen as yuan, large sums in 万元', () => {
    expect(money(90_000)).toBe('900元');
    expect(money(12_345)).toBe('123.45元');
    expect(money(140_000_000)).toBe('140.00万元');
    expect(money(1_234_567_800)).toBe('1234.57万元');
    expect(money(12_345_678_900)).toBe('1.23亿元');
  });
  it('names a term as the bureau writes it', () => {
    expect(termLabel('2026-autumn')).toBe('2026年秋季学期');
    expect(termLabel('2027-spring')).toBe('2027年春季学期');
    expect(termLabel('2026-winter')).toBe('未知学期');
    expect(termLabel(null)).toBe('');
  });
  it('sizes a value to fit its box, long or short', () => {
    // A KPI card's flop is 196 px wide; 38 px is the wall's largest figure.
    for (const text of ['26.89万元', '1234.56万元', '45099.96万元', '9999.99亿元', '100.0%', '1,234,567']) {
      const size = fitFontSize(text, 196, 38);
      expect([text, size * textEms(text) <= 196]).toEqual([text, true]);
      expect(size).toBeGreaterThanOrEqual(20);
    }
    expect(fitFontSize('66.7%', 196, 38)).toBe(38);
    expect(fitFontSize('', 196, 38)).toBe(38);
    // CJK counts a full em, digits a little over half.
    expect(textEms('万元')).toBe(2);
    expect(textEms('12')).toBeCloseTo(1.2);
  });
  it('says how old data is and how long is left', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(age('2026-11-27T09:59:48Z', now)).toBe('12秒前');
    expect(age('2026-11-27T09:57:00Z', now)).toBe('3分钟前');
    expect(age(null, now)).toBe(NO_DATA);
    expect(countdown('2026-11-27T15:12:00Z', now)).toEqual({ text: '剩余 5小时12分', overdue: false });
    expect(countdown('2026-11-27T08:00:00Z', now)).toEqual({ text: '已超期 2小时0分', overdue: true });
  });
});

describe('escapeHtml', () => {
  it('renders hostile names inert', () => {
    expect(escapeHtml('<img src=x onerror="alert(1)">第一小学')).toBe(
      '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;第一小学',
    );
    expect(escapeHtml("a & b ' `")).toBe('a &amp; b &#39; &#96;');
    expect(escapeHtml(undefined)).toBe('');
  });
});

describe('fitCanvas', () => {
  it('scales 1080p to 1 and 4K to 2 without offset', () => {
    expect(fitCanvas(1920, 1080)).toEqual({ scale: 1, left: 0, top: 0 });
    expect(fitCanvas(3840, 2160)).toEqual({ scale: 2, left: 0, top: 0 });
  });
  it('letterboxes an ultra-wide splice instead of stretching', () => {
    expect(fitCanvas(5760, 1080)).toEqual({ scale: 1, left: 1920, top: 0 });
    expect(fitCanvas(1920, 1200)).toEqual({ scale: 1, left: 0, top: 60 });
    const odd = fitCanvas(1536, 864); // 125% OS scaling of a 1080p panel
    expect(odd.scale).toBeCloseTo(0.8);
  });
  it('survives a zero-sized window', () => {
    expect(fitCanvas(0, 0).scale).toBe(1);
  });
});

describe('parseOptions', () => {
  it('pins a scope and switches from the URL, refusing junk', () => {
    expect(parseOptions('?scope=district:d1&rotate=0&sound=0&date=2026-11-27')).toEqual({
      scope: 'district:d1',
      date: '2026-11-27',
      rotate: false,
      sound: false,
    });
    expect(parseOptions('?scope=district:D01').rotate).toBe(false);
    expect(parseOptions('?scope=district:D01&rotate=1').rotate).toBe(true);
    expect(parseOptions('').rotate).toBe(true);
    expect(parseOptions('?rotate=0').rotate).toBe(false);
    expect(parseOptions('?scope=<script>&date=tomorrow')).toEqual({
      scope: 'city',
      date: undefined,
      rotate: true,
      sound: true,
    });
  });
});

describe('cityTiling', () => {
  it('gives every child a patch, the same for the same ids', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `district:d${i}`);
    const a = cityTiling(ids);
    expect(a.features.map((f) => f.properties.name).sort()).toEqual([...ids].sort());
    for (const f of a.features) expect(f.geometry.coordinates.length).toBeGreaterThan(3);
    expect(cityTiling([...ids].reverse())).toEqual(a);
    expect(cityTiling([]).features).toEqual([]);
  });
  it('puts each label inside its own patch', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `district:d${i}`);
    for (const f of cityTiling(ids).features) {
      const [x, y] = f.properties.cp;
      // The label point is the centre of one of the patch's own hexagons.
      const centres = f.geometry.coordinates.map(([ring]) => {
        const pts = (ring ?? []).slice(0, 6);
        return [pts.reduce((a, p) => a + (p[0] ?? 0), 0) / 6, pts.reduce((a, p) => a + (p[1] ?? 0), 0) / 6];
      });
      expect(centres.some(([cx, cy]) => Math.hypot((cx ?? 0) - x, (cy ?? 0) - y) < 0.01)).toBe(true);
    }
  });
  it('keeps district labels apart, whatever the ids', () => {
    // The simulator's ids are `<seeded prefix>-dNN`; a district name is 3 characters at 15 px,
    // on a map of about 14.5 px per hexagon unit: a label box of 3.6 × 1.4 units is generous.
    let n = 7;
    const prefix = () => ((n = (n * 48271) % 2147483647), n.toString(36).slice(0, 6));
    for (let round = 0; round < 40; round++) {
      const p = prefix();
      const ids = Array.from({ length: 12 }, (_, i) => `district:${p}-d${String(i + 1).padStart(2, '0')}`);
      const cps = cityTiling(ids).features.map((f) => f.properties.cp);
      for (let i = 0; i < cps.length; i++)
        for (let j = i + 1; j < cps.length; j++) {
          const [ax, ay] = cps[i] as [number, number];
          const [bx, by] = cps[j] as [number, number];
          const apart = Math.abs(ax - bx) >= 3.6 || Math.abs(ay - by) >= 1.4;
          expect([p, i, j, apart]).toEqual([p, i, j, true]);
        }
    }
  });
});
