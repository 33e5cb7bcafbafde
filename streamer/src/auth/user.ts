import { DIMENSIONS, parseScope, type Dimension, type Role, type Scope } from '@edu/analytics';
import type { Refusal } from '../errors.ts';
import type { Geography } from '../geo.ts';

// A signed-in user as the rest of the streamer sees it (never the password hash), and what
// the user may see: manual ch. 2 — leaders see everything, staff only their department's
// dimensions and districts, admins manage users (and may read everything to check scopes).

export interface User {
  user_id: string;
  phone: string;
  name: string;
  role: Role;
  dimensions: Dimension[];
  districts: string[];
  must_change_password: boolean;
  disabled: boolean;
  version: number;
  /**
   * Set for a wall display's credential (auth/displays.ts): read-only, and only its pinned scope
   * and the places within it. `district` is the pinned scope's district (null for the city).
   */
  display?: { display_id: string; scope: string; district: string | null; rotate: boolean; sound: boolean };
}

/** Whether `inner` lies within `outer` (the same place or one of its parts). */
export function scopeWithin(outer: Scope, inner: Scope, geo: Geography): boolean {
  switch (outer.kind) {
    case 'city':
      return true;
    case 'district':
      return geo.districtOf(inner) === outer.id;
    case 'zone':
      return (
        (inner.kind === 'zone' && inner.id === outer.id) ||
        (inner.kind === 'school' && geo.schools.get(inner.id)?.zone_id === outer.id)
      );
    case 'school':
      return inner.kind === 'school' && inner.id === outer.id;
  }
}

export function allowedScopes(u: User): string[] {
  if (u.disabled) return [];
  if (u.display) return [u.display.scope];
  if (u.role === 'staff') return u.districts.map((d) => `district:${d}`);
  return ['city'];
}

export function allowedDimensions(u: User): readonly Dimension[] {
  return u.role === 'staff' ? u.dimensions : DIMENSIONS;
}

/** Null when the user may look at the scope, otherwise why not (and its code). */
export function scopeRefusal(u: User, scope: Scope, geo: Geography): Refusal | null {
  if (u.disabled) return { code: 'account_disabled', message: 'account disabled' };
  if (u.display) {
    const pinned = parseScope(u.display.scope);
    return !('error' in pinned) && scopeWithin(pinned, scope, geo)
      ? null
      : { code: 'outside_display_scope', message: `outside the display's scope ${u.display.scope}` };
  }
  if (u.role !== 'staff') return null;
  if (scope.kind === 'city')
    return { code: 'city_not_for_staff', message: 'staff may only see their own districts, not the whole city' };
  const district = geo.districtOf(scope);
  if (district === null) return { code: 'unknown_scope', message: `unknown ${scope.kind} ${scope.id}` };
  return u.districts.includes(district)
    ? null
    : { code: 'district_not_yours', message: `district ${district} is not among your districts` };
}

/**
 * The scope of a read that names none: the city for leaders and administrators; for staff
 * their district, and with several the first of their list. The contract's scopes are one
 * place each (city, district, zone, school), so there is no union of districts to answer
 * with; the answer's `scope` says which district it is. Null for staff without districts.
 */
export function ownScope(u: User): Scope | null {
  if (u.display) {
    const pinned = parseScope(u.display.scope);
    return 'error' in pinned ? null : pinned;
  }
  if (u.role !== 'staff') return { kind: 'city' };
  const first = u.districts[0];
  return first === undefined ? null : { kind: 'district', id: first };
}

/** Whether the user may see (and act on) something of this dimension at this school. */
export function canSeeItem(u: User, dimension: Dimension, districtId: string): boolean {
  if (u.disabled) return false;
  if (u.display?.district) return districtId === u.display.district;
  if (u.role !== 'staff') return true;
  return u.dimensions.includes(dimension) && u.districts.includes(districtId);
}

export const isDecider = (u: User) => !u.display && (u.role === 'leader' || u.role === 'staff');
