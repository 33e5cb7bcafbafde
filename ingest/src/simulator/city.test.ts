import { describe, expect, it } from 'vitest';
import { createCity } from './city.ts';
import { allocate, hash32, Rng } from './rng.ts';

describe('createCity', () => {
  it('builds the default city at full scale', () => {
    const city = createCity();
    expect(city.districts).toHaveLength(12);
    expect(city.zones).toHaveLength(60);
    expect(city.schools).toHaveLength(1200);
    expect(city.schools.reduce((s, x) => s + x.students, 0)).toBe(600_000);
    expect(city.providers).toHaveLength(150);
    // Every district has zones and every zone has schools.
    expect(new Set(city.zones.map((z) => z.districtIndex)).size).toBe(12);
    expect(new Set(city.schools.map((s) => s.zoneIndex)).size).toBe(60);
    // Head counts look like schools: none empty, none absurd.
    const heads = city.schools.map((s) => s.students);
    expect(Math.min(...heads)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...heads)).toBeLessThan(5 * 500);
  });

  it('scales down for small cities, honouring the numbers asked for', () => {
    const city = createCity({ seed: 7, schools: 20, students: 5000 });
    expect(city.schools).toHaveLength(20);
    expect(city.schools.reduce((s, x) => s + x.students, 0)).toBe(5000);
    expect(city.zones.length).toBe(3);
    expect(city.districts.length).toBe(2);
    const custom = createCity({ seed: 7, schools: 50, students: 10_000, districts: 4, zones: 10 });
    expect([custom.districts.length, custom.zones.length]).toEqual([4, 10]);
  });

  it('has unique ids and names, in the contract alphabet', () => {
    const city = createCity({ seed: 3, schools: 300, students: 90_000 });
    const all = [...city.districts, ...city.zones, ...city.schools, ...city.providers];
    expect(new Set(all.map((x) => x.id)).size).toBe(all.length);
    for (const x of all) expect(x.id).toMatch(/^[A-Za-z0-9_.:-]{1,64}$/);
    expect(new Set(city.schools.map((s) => s.name)).size).toBe(300);
    expect(new Set(city.providers.map((p) => p.name)).size).toBe(city.providers.length);
    expect(city.schools[0]?.name).toMatch(/区.+(小学|中学|学校)/);
  });

  it('is a function of its seed', () => {
    expect(createCity({ seed: 5, schools: 40, students: 8000 })).toEqual(
      createCity({ seed: 5, schools: 40, students: 8000 }),
    );
    const other = createCity({ seed: 6, schools: 40, students: 8000 });
    expect(other.schools.map((s) => s.name)).not.toEqual(
      createCity({ seed: 5, schools: 40, students: 8000 }).schools.map((s) => s.name),
    );
  });

  it('refuses impossible options', () => {
    expect(() => createCity({ schools: 10, students: 5 })).toThrow(RangeError);
    expect(() => createCity({ schools: 2, students: 10_000 })).toThrow(/per school/);
    expect(() => createCity({ schools: 10, students: 500, zones: 11 })).toThrow(/zones/);
    expect(() => createCity({ schools: 10, students: 500, zones: 2, districts: 3 })).toThrow(/districts/);
    expect(() => createCity({ idPrefix: 'bad prefix' })).toThrow(/idPrefix/);
  });
});

describe('randomness helpers', () => {
  it('allocate splits exactly, respects the minimum and the weights', () => {
    const parts = allocate(1000, [1, 2, 3, 4], 10);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(Math.min(...parts)).toBeGreaterThanOrEqual(10);
    expect(parts).toEqual([...parts].sort((a, b) => a - b));
    expect(() => allocate(5, [1, 1, 1], 2)).toThrow(RangeError);
  });

  it('Rng and hash32 are deterministic and roughly uniform', () => {
    const a = Rng.of(1, 'x');
    const b = Rng.of(1, 'x');
    const xs = Array.from({ length: 10_000 }, () => a.next());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.next()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    expect(hash32(1, 'a')).not.toBe(hash32(1, 'b'));
    expect(hash32(1, 2)).not.toBe(hash32(2, 1));
  });
});
