import { describe, expect, it } from 'vitest';
import type { Geo } from '../api/types.ts';
import {
  drillTarget,
  formatHash,
  parseHash,
  query,
  rootScope,
  schoolQuery,
  termOfDay,
  termOptions,
  withinScopes,
} from './route.ts';

describe('console route', () => {
  it('reads and writes page, scope and term in the hash', () => {
    const hash = formatHash({ page: 'budget', scope: 'zone:z1', term: '2026-autumn' });
    expect(hash).toBe('#/console/budget?scope=zone%3Az1&term=2026-autumn');
    expect(parseHash(hash)).toEqual({ page: 'budget', scope: 'zone:z1', term: '2026-autumn' });
    expect(parseHash('#/console')).toEqual({ page: null, scope: null, term: null });
    // Anything malformed is ignored, never passed to the API.
    expect(parseHash('#/console/nope?scope=school:<x>&term=2026-winter')).toEqual({
      page: null,
      scope: null,
      term: null,
    });
    expect(parseHash('#/wall')).toEqual({ page: null, scope: null, term: null });
  });

  it('maps a row to the scope one level down', () => {
    expect(drillTarget('city', { kind: 'district', id: 'd1' })).toBe('district:d1');
    expect(drillTarget('district:d1', { kind: 'zone', id: 'z1' })).toBe('zone:z1');
    expect(drillTarget('zone:z1', { kind: 'school', id: 's1' })).toBe('school:s1');
    // A school's own row at school scope, and a row of unregistered schools, lead nowhere.
    expect(drillTarget('school:s1', { kind: 'school', id: 's1' })).toBeNull();
    expect(drillTarget('city', { kind: 'district', id: '' })).toBeNull();
  });

  it('starts staff at their district, everyone else at the city', () => {
    expect(rootScope(['city'])).toBe('city');
    expect(rootScope(['district:d2', 'district:d1'])).toBe('district:d2');
    expect(rootScope([])).toBe('city');
  });

  it('knows the terms around a day', () => {
    expect(termOfDay('2026-11-27')).toBe('2026-autumn');
    expect(termOfDay('2027-01-10')).toBe('2026-autumn');
    expect(termOfDay('2026-03-01')).toBe('2026-spring');
    expect(termOptions('2026-autumn')).toEqual([
      '2027-spring',
      '2026-autumn',
      '2026-spring',
      '2025-autumn',
      '2025-spring',
    ]);
  });

  it('sends only the parameters that are set', () => {
    expect(query({ scope: 'city', term: null, date: '2026-11-27' })).toBe('?scope=city&date=2026-11-27');
    expect(query({ term: null })).toBe('');
    // A school route names its school as the scope (the server checks staff by it).
    expect(schoolQuery('s1', { date: '2026-11-27', term: null })).toBe('?scope=school%3As1&date=2026-11-27');
  });
});

describe('withinScopes', () => {
  const geo: Geo = {
    districts: [
      { id: 'd1', name: '东城区' },
      { id: 'd2', name: '西城区' },
    ],
    zones: [{ id: 'z2', name: '二学区', district_id: 'd2' }],
    schools: [{ id: 's3', name: '第3小学', zone_id: 'z2', district_id: 'd2' }],
  };
  it("keeps staff to their districts' places, so an address from before a change of districts falls back", () => {
    const staff = ['district:d2'];
    expect(
      ['city', 'district:d1', 'district:d2', 'zone:z2', 'school:s3'].map((s) => withinScopes(s, staff, geo)),
    ).toEqual([false, false, true, true, true]);
    expect(withinScopes('school:s3', ['district:d1'], geo)).toBe(false);
    expect(withinScopes('school:s3', ['district:d1'], null)).toBe(true); // the server decides until the registry is in
    expect(withinScopes('district:d1', ['city'], geo)).toBe(true);
  });
});
