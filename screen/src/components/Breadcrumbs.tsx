import type { Geo } from '../api/types.ts';

export interface Crumb {
  scope: string;
  name: string;
}

/** City → district → zone → school, from the geography the user may see. */
export function crumbsOf(scope: string, geo: Geo | null): Crumb[] {
  const out: Crumb[] = [{ scope: 'city', name: '全市' }];
  if (!geo || scope === 'city') return out;
  const [kind, id] = scope.split(':') as [string, string];
  const school = kind === 'school' ? geo.schools.find((s) => s.id === id) : undefined;
  const zoneId = kind === 'zone' ? id : school?.zone_id;
  const zone = geo.zones.find((z) => z.id === zoneId);
  const districtId = kind === 'district' ? id : (zone?.district_id ?? school?.district_id);
  const district = geo.districts.find((d) => d.id === districtId);
  if (district) out.push({ scope: `district:${district.id}`, name: district.name });
  if (zone) out.push({ scope: `zone:${zone.id}`, name: zone.name });
  if (school) out.push({ scope: `school:${school.id}`, name: school.name });
  return out;
}

export function Breadcrumbs({ crumbs, onPick }: { crumbs: Crumb[]; onPick: (scope: string) => void }) {
  return (
    <nav className="crumbs" data-testid="breadcrumb">
      {crumbs.map((c, i) => (
        <span key={c.scope}>
          {i > 0 && <span className="sep">›</span>}
          {i < crumbs.length - 1 ? (
            <button className="link" onClick={() => onPick(c.scope)}>
              {c.name}
            </button>
          ) : (
            <b>{c.name}</b>
          )}
        </span>
      ))}
    </nav>
  );
}
