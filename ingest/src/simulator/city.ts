import type { CourseCategory, ProviderChannel, SchoolStage } from '@edu/analytics';
import { ids, widthFor } from './ids.ts';
import { districtNames, providerName, schoolName, zoneName } from './names.ts';
import { RATES } from './rates.ts';
import { allocate, at, Rng } from './rng.ts';

// The city model: districts, zones, schools (with head counts) and the city-wide providers.
// This part is small (a few thousand objects for the full city) and kept whole; what lives
// inside a school (teachers, courses, offerings, students, enrollments) is derived on demand
// by school-plan.ts from the school's own seed, so a 600,000-student city never has to be
// held in memory at once.

export interface CityOptions {
  /** Same seed ⇒ identical city, events and ids. */
  seed?: number;
  /** Defaults scale with `schools`: one zone per 20 schools, one district per 5 zones. */
  districts?: number;
  zones?: number;
  schools?: number;
  students?: number;
  /** Defaults to one provider per 8 schools. */
  providers?: number;
  /** Prefix of every entity id; defaults to `c` + the seed in base 36. */
  idPrefix?: string;
}

export const DEFAULT_CITY = { seed: 20261128, schools: 1200, students: 600_000 } as const;
const MAX_AVERAGE_SCHOOL = 3000;

export interface District {
  index: number;
  id: string;
  name: string;
}
export interface Zone {
  index: number;
  id: string;
  name: string;
  districtIndex: number;
}
export interface School {
  index: number;
  id: string;
  name: string;
  zoneIndex: number;
  districtIndex: number;
  stage: SchoolStage;
  /** Head count (the registry's `students`). */
  students: number;
}
export interface Provider {
  index: number;
  id: string;
  name: string;
  channel: ProviderChannel;
  qualified: boolean;
  /** What the provider teaches: its courses are of this category. */
  category: CourseCategory;
}

export interface City {
  seed: number;
  prefix: string;
  districts: District[];
  zones: Zone[];
  schools: School[];
  providers: Provider[];
  providersByCategory: ReadonlyMap<CourseCategory, readonly Provider[]>;
  /** Zero-padding of student numbers, wide enough for the largest school. */
  studentWidth: number;
  totalStudents: number;
}

const STAGES: readonly (readonly [SchoolStage, number])[] = [
  ['primary', 0.6],
  ['junior', 0.25],
  ['nine_year', 0.15],
];
/** Nine-year schools are bigger than primary ones, junior ones a little. */
const STAGE_SIZE: Record<SchoolStage, number> = { primary: 1, junior: 1.1, nine_year: 1.4 };
const PROVIDER_CATEGORIES: readonly (readonly [CourseCategory, number])[] = [
  ['sports', 0.3],
  ['arts', 0.25],
  ['science', 0.2],
  ['reading', 0.1],
  ['labor', 0.05],
  ['other', 0.1],
];
const CHANNELS: readonly (readonly [ProviderChannel, number])[] = [
  ['bid', 0.5],
  ['recommended', 0.3],
  ['self', 0.2],
];

function checkCount(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${v}`);
  return v;
}

export function createCity(options: CityOptions = {}): City {
  const seed = checkCount('seed', options.seed ?? DEFAULT_CITY.seed, 0);
  const schoolCount = checkCount('schools', options.schools ?? DEFAULT_CITY.schools, 1);
  const studentCount = checkCount('students', options.students ?? DEFAULT_CITY.students, schoolCount);
  // Bigger schools would plan hundreds of courses each, past the contract's 500 budget items.
  if (studentCount > MAX_AVERAGE_SCHOOL * schoolCount) {
    throw new RangeError(
      `at most ${MAX_AVERAGE_SCHOOL} students per school on average (${studentCount} for ${schoolCount})`,
    );
  }
  const zoneCount = checkCount(
    'zones',
    options.zones ?? Math.max(Math.min(schoolCount, 3), Math.round(schoolCount / 20)),
    1,
  );
  const districtCount = checkCount(
    'districts',
    options.districts ?? Math.max(Math.min(zoneCount, 2), Math.round(zoneCount / 5)),
    1,
  );
  if (zoneCount > schoolCount) throw new RangeError(`zones (${zoneCount}) must not exceed schools (${schoolCount})`);
  if (districtCount > zoneCount)
    throw new RangeError(`districts (${districtCount}) must not exceed zones (${zoneCount})`);
  const providerCount = checkCount('providers', options.providers ?? Math.max(4, Math.round(schoolCount / 8)), 1);
  const prefix = options.idPrefix ?? `c${seed.toString(36)}`;
  if (!/^[A-Za-z0-9_]{1,12}$/.test(prefix))
    throw new RangeError(`idPrefix must be 1–12 of [A-Za-z0-9_], got ${prefix}`);

  const rng = Rng.of(seed, 'city');
  const dNames = districtNames(rng, districtCount);
  const districts: District[] = dNames.map((name, i) => ({ index: i, id: ids.district(prefix, i), name }));

  // Zones go to districts evenly and in order, so each district has at least one.
  const perDistrict = new Array<number>(districtCount).fill(0);
  const zones: Zone[] = Array.from({ length: zoneCount }, (_, i) => {
    const d = Math.floor((i * districtCount) / zoneCount);
    perDistrict[d] = at(perDistrict, d) + 1;
    return { index: i, id: ids.zone(prefix, i), name: zoneName(at(dNames, d), at(perDistrict, d)), districtIndex: d };
  });

  // Schools: every zone gets at least one, zone sizes vary; head counts vary by stage and school.
  const perZone = allocate(
    schoolCount,
    zones.map(() => 0.6 + rng.next() * 0.8),
    1,
  );
  const schoolWidth = widthFor(schoolCount + 1, 4);
  const zoneOfSchool: number[] = perZone.flatMap((n, z) => new Array<number>(n).fill(z));
  const stages = zoneOfSchool.map(() => rng.weighted(STAGES));
  const heads = allocate(
    studentCount,
    stages.map((s) => STAGE_SIZE[s] * (0.5 + rng.next() * 1.3)),
    Math.min(30, Math.floor(studentCount / schoolCount)),
  );
  const namesTaken = districts.map(() => new Set<string>());
  const schools: School[] = zoneOfSchool.map((zoneIndex, i) => {
    const districtIndex = at(zones, zoneIndex).districtIndex;
    const stage = at(stages, i);
    return {
      index: i,
      id: ids.school(prefix, i, schoolWidth),
      name: schoolName(rng, at(dNames, districtIndex), stage, at(namesTaken, districtIndex)),
      zoneIndex,
      districtIndex,
      stage,
      students: at(heads, i),
    };
  });

  const providerNames = new Set<string>();
  const providers: Provider[] = Array.from({ length: providerCount }, (_, i) => {
    const category = rng.weighted(PROVIDER_CATEGORIES);
    const channel = rng.weighted(CHANNELS);
    return {
      index: i,
      id: ids.provider(prefix, i),
      name: providerName(rng, category, providerNames),
      channel,
      qualified: rng.chance(RATES.providerQualified[channel]),
      category,
    };
  });
  const providersByCategory = new Map<CourseCategory, Provider[]>();
  for (const p of providers) {
    const list = providersByCategory.get(p.category) ?? [];
    list.push(p);
    providersByCategory.set(p.category, list);
  }

  return {
    seed,
    prefix,
    districts,
    zones,
    schools,
    providers,
    providersByCategory,
    studentWidth: widthFor(Math.max(...heads) + 1, 4),
    totalStudents: studentCount,
  };
}
