import type { Term } from '@edu/analytics';

// Ids of the simulated city. Entity ids carry the city's prefix (from the seed, so two seeds
// never merge into one city in a store) and nest: a school's teachers, courses, offerings and
// students start with the school's id, so ids stay unique without a registry of them. Event
// ids are a function of what the event is about, never a counter: replaying a day after a
// restart produces the same ids, which the store counts once. All stay within the contract's
// 64 chars of [A-Za-z0-9_.:-]; '-' nests entities, ':' separates an event's parts.

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Digits needed to number `count` things (at least `min`). */
export const widthFor = (count: number, min: number) => Math.max(min, String(Math.max(0, count - 1)).length);

/** `26a` / `27s`: a term inside offering ids. */
export function termTag(term: Term): string {
  const [year, season] = term.split('-') as [string, string];
  return `${year.slice(2)}${season === 'autumn' ? 'a' : 's'}`;
}

export interface IdWidths {
  schools: number;
  students: number;
}

export const ids = {
  district: (prefix: string, i: number) => `${prefix}-d${pad(i + 1, 2)}`,
  zone: (prefix: string, i: number) => `${prefix}-z${pad(i + 1, 3)}`,
  school: (prefix: string, i: number, width: number) => `${prefix}-s${pad(i + 1, width)}`,
  provider: (prefix: string, i: number) => `${prefix}-p${pad(i + 1, 3)}`,
  operator: (school: string) => `${school}-op`,
  teacher: (school: string, i: number) => `${school}-t${pad(i + 1, 3)}`,
  course: (school: string, i: number) => `${school}-c${pad(i + 1, 3)}`,
  offering: (school: string, term: Term, i: number) => `${school}-${termTag(term)}-o${pad(i + 1, 3)}`,
  student: (school: string, i: number, width: number) => `${school}-st${pad(i + 1, width)}`,
  session: (offering: string, compactDay: string) => `${offering}-${compactDay}`,
  budget: (school: string, term: Term) => `${school}-${termTag(term)}-b`,
  material: (school: string, term: Term, kind: string) => `${school}-${termTag(term)}-m-${kind}`,
  settlement: (offering: string, period: string) => `${offering}-${period.replace('-', '')}`,
} as const;
