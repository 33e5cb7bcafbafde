import { describe, expect, it } from 'vitest';
import { drillTarget, formatHash, parseHash, query, rootScope, schoolQuery, termOfDay, termOptions } from './route.ts';

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
