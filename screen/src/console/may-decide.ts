import { decisionRefusal } from '@edu/analytics/may-decide';
import type { Geo, PublicUser } from '../api/types.ts';
import { districtOfPlace } from './route.ts';
import type { DecisionKind, Dimension } from './types.ts';

// Which decision buttons a user sees: those the server would accept (POST /api/v1/decisions
// answers 403 to the others), by the one rule both apply (@edu/analytics/may-decide), read from
// the signed-in user's role, dimensions and districts.

/**
 * Whether the user may make `decision` in `dimension` on a subject of `place`: a scope (`city`
 * for a subject that touches every school, e.g. a provider's admission; `school:<id>` for one
 * school's item).
 */
export type MayDecide = (decision: DecisionKind, dimension: Dimension, place: string) => boolean;

/** The districts a place lies in, as the geography knows them; null when it is unknown. */
function districtsOf(place: string, geo: Geo | null): string[] | null {
  if (!geo) return null;
  if (place === 'city') return geo.districts.map((d) => d.id);
  const district = districtOfPlace(place, geo);
  return district === undefined ? null : [district];
}

export function mayDecideFor(user: PublicUser, geo: Geo | null): MayDecide {
  return (decision, dimension, place) => {
    // A place not (yet) known cannot be checked: only a user who sees the whole city passes.
    const districts = districtsOf(place, geo) ?? [''];
    return decisionRefusal(user, decision, dimension, districts) === null;
  };
}
