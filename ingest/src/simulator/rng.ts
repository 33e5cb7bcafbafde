// Seeded randomness. Everything the simulator invents comes from here, never Math.random, so a
// seed reproduces a city event for event. Each entity or session gets its own generator,
// seeded by hashing (city seed, what, indexes…): generating a school or a session never
// depends on what was generated before it, so the city can be produced lazily, in any order,
// and a day replayed after a restart yields identical events and ids.

/** A 32-bit finaliser (murmur3's fmix32): spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes numbers and strings into one 32-bit seed. */
export function hash32(...parts: readonly (number | string)[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    if (typeof p === 'number') {
      // Fold in both halves so that numbers above 2^32 (epoch days are not, ms would be) differ.
      h = fmix32(h ^ (p >>> 0)) + Math.floor(p / 4294967296);
    } else {
      for (let i = 0; i < p.length; i++) h = Math.imul(h ^ p.charCodeAt(i), 0x01000193);
      h = fmix32(h ^ p.length);
    }
  }
  return fmix32(h);
}

/** A uniform number in [0, 1) from a hash: one-off decisions without a generator. */
export function unit(...parts: readonly (number | string)[]): number {
  return hash32(...parts) / 4294967296;
}

/** Element `i` of an array that must have it (noUncheckedIndexedAccess, but proven). */
export function at<T>(items: readonly T[], i: number): T {
  const v = items[i];
  if (v === undefined) throw new RangeError(`index ${i} out of ${items.length}`);
  return v;
}

/** mulberry32: tiny, fast and good enough for simulated behaviour (not for secrets). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A generator for one named thing: `Rng.of(seed, 'session', school, offering, day)`. */
  static of(...parts: readonly (number | string)[]): Rng {
    return new Rng(hash32(...parts));
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max], both included. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return at(items, this.int(items.length));
  }

  /** One key of a [key, weight] table, in proportion to the weights. */
  weighted<K>(table: readonly (readonly [K, number])[]): K {
    let total = 0;
    for (const [, w] of table) total += w;
    let r = this.next() * total;
    for (const [k, w] of table) {
      r -= w;
      if (r < 0) return k;
    }
    return at(table, table.length - 1)[0];
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }
}

/**
 * Splits `total` into integers proportional to `weights`, each at least `min`, summing exactly
 * to `total` (largest remainder; ties go to the lower index, so the split is deterministic).
 */
export function allocate(total: number, weights: readonly number[], min = 0): number[] {
  const n = weights.length;
  if (n === 0) return [];
  if (min * n > total) throw new RangeError(`cannot give ${n} parts at least ${min} out of ${total}`);
  const rest = total - min * n;
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (sum > 0 ? (w / sum) * rest : rest / n));
  const out = raw.map((x) => min + Math.floor(x));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) {
    const i = at(order, k)[1];
    out[i] = at(out, i) + 1;
  }
  return out;
}
