import { describe, expect, it } from 'vitest';
import { decisionRefusal, type DecidingUser } from './may-decide.ts';

const staff: DecidingUser = { role: 'staff', dimensions: ['course', 'budget'], districts: ['d1'] };

describe('who may decide what', () => {
  it('lets a leader make every decision anywhere, and an administrator none', () => {
    const leader: DecidingUser = { role: 'leader', dimensions: [], districts: [] };
    const admin: DecidingUser = { role: 'admin', dimensions: [], districts: [] };
    for (const d of ['approved', 'rejected', 'halted', 'voided'] as const) {
      expect(decisionRefusal(leader, d, 'course', ['d1', 'd2'])).toBeNull();
      expect(decisionRefusal(admin, d, 'course')?.code).toBe('admin_not_decider');
    }
  });

  it('lets staff approve and reject within their dimensions and districts only', () => {
    expect(decisionRefusal(staff, 'approved', 'course', ['d1'])).toBeNull();
    expect(decisionRefusal(staff, 'rejected', 'budget')).toBeNull();
    expect(decisionRefusal(staff, 'halted', 'course', ['d1'])?.code).toBe('leader_only');
    expect(decisionRefusal(staff, 'voided', 'course', ['d1'])?.code).toBe('leader_only');
    expect(decisionRefusal(staff, 'rejected', 'material', ['d1'])?.code).toBe('dimension_not_yours');
    // A provider's admission touches every district of the city.
    expect(decisionRefusal(staff, 'approved', 'course', ['d1', 'd2'])?.code).toBe('outside_scope');
    expect(decisionRefusal({ ...staff, districts: ['d1', 'd2'] }, 'approved', 'course', ['d1', 'd2'])).toBeNull();
  });
});
