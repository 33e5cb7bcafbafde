import { describe, expect, it } from 'vitest';
import { followsMoment, momentPath } from './moment.ts';

// Which reads follow the replayed moment, and how the moment is put in their query.

describe('the console moment', () => {
  it('follows the moment on the routes whose figures have one, on no other', () => {
    for (const p of [
      '/api/v1/dimensions/safety?scope=city',
      '/api/v1/dimensions/safety/schools/s1?scope=school%3As1',
      '/api/v1/dimensions/safety/schools/s1/courses/c1/sessions',
      '/api/v1/dimensions/pipeline?scope=city',
      '/api/v1/dimensions/pipeline/stages/budget/schools',
      '/api/v1/dimensions/process?scope=city&term=2026-autumn',
      '/api/v1/charts/attendance?scope=city',
      '/api/v1/notices?scope=city&state=submitted',
      '/api/v1/overview?scope=city',
      '/api/v1/alerts',
    ])
      expect([p, followsMoment(p)]).toEqual([p, true]);
    for (const p of [
      '/api/v1/dimensions',
      '/api/v1/geo',
      '/api/v1/dimensions/material?scope=city',
      '/api/v1/dimensions/budget/schools/s1',
      '/api/v1/dimensions/process/schools/s1/timetable?date=2026-11-27',
      '/api/v1/charts/totals?scope=city',
      '/api/v1/notices/unmatched?scope=city',
      '/api/v1/notices/n-1',
      '/api/v1/dimensions/safety/schools/s1/sessions/x/report',
      '/api/v1/admin/users',
      '/api/v1/admin/source-keys',
      '/api/v1/audit?days=7',
    ])
      expect([p, followsMoment(p)]).toEqual([p, false]);
  });

  it('names the replayed day and minute, replacing the day a path asked for', () => {
    expect(momentPath('/api/v1/dimensions/safety?scope=city&date=2026-11-20', '2026-11-27', '16:05')).toBe(
      '/api/v1/dimensions/safety?scope=city&date=2026-11-27&at=16%3A05',
    );
    expect(momentPath('/api/v1/notices', '2026-11-27', '16:05')).toBe('/api/v1/notices?date=2026-11-27&at=16%3A05');
    expect(momentPath('/api/v1/admin/users', '2026-11-27', '16:05')).toBe('/api/v1/admin/users');
  });
});
