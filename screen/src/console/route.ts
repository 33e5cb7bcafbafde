import type { Geo } from '../api/types.ts';
import type { Child, PageId } from './types.ts';

// Where the console is: page, scope and term live in the hash (`#/console/budget?scope=zone:z1
// &term=2026-autumn`), so a reload or a shared link opens the same view, and the app's router
// only has to look at the `#/console` prefix. The day stays in `?date=` as on the wall.

export const PAGES: readonly PageId[] = [
  'material',
  'budget',
  'process',
  'course',
  'safety',
  'feedback',
  'charts',
  'pipeline',
  'notices',
];

export interface ConsoleRoute {
  page: PageId | null;
  scope: string | null;
  term: string | null;
}

const SCOPE_RE = /^(city|(district|zone|school):[\w.-]{1,64})$/;
const TERM_RE = /^(\d{4})-(autumn|spring)$/;

export function parseHash(hash: string): ConsoleRoute {
  const m = /^#\/console(?:\/([a-z]+))?(?:\?(.*))?$/.exec(hash);
  if (!m) return { page: null, scope: null, term: null };
  const q = new URLSearchParams(m[2] ?? '');
  const page = PAGES.find((p) => p === m[1]) ?? null;
  const scope = q.get('scope');
  const term = q.get('term');
  return {
    page,
    scope: scope && SCOPE_RE.test(scope) ? scope : null,
    term: term && TERM_RE.test(term) ? term : null,
  };
}

export function formatHash(r: { page: PageId; scope: string; term: string | null }): string {
  const q = new URLSearchParams({ scope: r.scope });
  if (r.term) q.set('term', r.term);
  return `#/console/${r.page}?${q.toString()}`;
}

/** The widest scope the user may look at: the city, or a staff member's (first) district. */
export function rootScope(scopes: readonly string[]): string {
  return scopes.includes('city') ? 'city' : (scopes[0] ?? 'city');
}

/**
 * Whether an asked scope (from the address) is within the user's scopes: anything for whoever
 * sees the city; for staff one of their districts, or a zone or school of one. The address can
 * outlive a change of districts (an administrator's, 用户管理): the console then opens the
 * user's own scope instead of a page the server refuses. While the registry is not loaded a
 * zone or school is let through (the server still decides).
 */
export function withinScopes(scope: string, scopes: readonly string[], geo: Geo | null): boolean {
  if (scopes.includes('city')) return true;
  const kind = scopeKind(scope);
  if (kind === 'district') return scopes.includes(scope);
  if (kind !== 'zone' && kind !== 'school') return false;
  if (!geo) return true;
  const district = districtOfPlace(scope, geo);
  return district !== undefined && scopes.includes(`district:${district}`);
}

/** The district a district, zone or school scope lies in, as the registry knows it. */
export function districtOfPlace(scope: string, geo: Geo): string | undefined {
  const id = scopeId(scope);
  switch (scopeKind(scope)) {
    case 'district':
      return geo.districts.find((d) => d.id === id)?.id;
    case 'zone':
      return geo.zones.find((z) => z.id === id)?.district_id;
    case 'school':
      return geo.schools.find((s) => s.id === id)?.district_id;
    default:
      return undefined;
  }
}

/**
 * Where clicking a row leads: the row's child as a scope. A row without an id (numbers of a
 * school the registry does not know) and the row of the scope itself (a school's own row at
 * school scope) lead nowhere.
 */
export function drillTarget(scope: string, child: Pick<Child, 'kind' | 'id'>): string | null {
  if (!child.id) return null;
  const target = `${child.kind}:${child.id}`;
  return target === scope ? null : target;
}

export const scopeKind = (scope: string) => scope.split(':')[0] as 'city' | 'district' | 'zone' | 'school';
export const scopeId = (scope: string) => scope.split(':')[1] ?? '';

/** The term a day belongs to (as analytics' termOfDay): autumn runs August–January. */
export function termOfDay(day: string): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  if (month >= 8) return `${year}-autumn`;
  if (month === 1) return `${year - 1}-autumn`;
  return `${year}-spring`;
}

/** The term after and the three before `term`, newest first: what the picker offers. */
export function termOptions(term: string): string[] {
  const m = TERM_RE.exec(term);
  if (!m) return [];
  // Count terms as half-years: 2026-spring = 2026·2, 2026-autumn = 2026·2 + 1.
  const index = Number(m[1]) * 2 + (m[2] === 'autumn' ? 1 : 0);
  return [1, 0, -1, -2, -3].map((d) => {
    const i = index + d;
    return `${Math.floor(i / 2)}-${i % 2 === 1 ? 'autumn' : 'spring'}`;
  });
}

/** 2026年秋季学期: one formatter for the wall and the console. */
export { termLabel } from '../lib/format.ts';

/** Query string of a read: only what is set, so the server's defaults apply to the rest. */
export function query(params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Query string of a school route (…/schools/:school…). It names the school as the scope too:
 * the streamer means to take the scope from the path, but under Express 5 `req.query` cannot
 * be reassigned, so without `scope` the read is checked as a city read, which staff are
 * refused. Naming it costs nothing for leaders and makes the routes work for staff.
 */
export function schoolQuery(school: string, params: Record<string, string | null | undefined>): string {
  return query({ scope: `school:${school}`, ...params });
}

/**
 * The operations pages beside the dimensions, outside scopes and terms: #/console/keys
 * (数据源密钥, administrators), #/console/quality (数据质量, administrators and leaders),
 * #/console/users (用户管理, administrators) and #/console/audit (操作日志, administrators and leaders).
 */
export type AdminPageId = 'keys' | 'quality' | 'users' | 'audit';

export function adminPageOf(hash: string): AdminPageId | null {
  const m = /^#\/console\/(keys|quality|users|audit)(?:\?.*)?$/.exec(hash);
  return m ? (m[1] as AdminPageId) : null;
}

/** Who may open an operations page (the server refuses anyone else anyway). */
export function mayOpenAdminPage(page: AdminPageId, role: string): boolean {
  return page === 'keys' || page === 'users' ? role === 'admin' : role === 'admin' || role === 'leader';
}
