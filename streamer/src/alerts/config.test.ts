import { ALERT_RULE_IDS, DEFAULT_ALERT_SETTINGS } from '@edu/analytics';
import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_VARS, loadConfig } from '../config.ts';

// The alert rules' settings (analytics/src/alerts/rules.ts): defaults, one environment
// variable per rule's pending period, and a bad value named at start-up.

describe('alert settings', () => {
  it('default to analytics’ DEFAULT_ALERT_SETTINGS', () => {
    const { evaluateEveryMs, ...settings } = loadConfig().alerts;
    expect(evaluateEveryMs).toBe(30_000);
    expect(settings).toEqual({
      ...DEFAULT_ALERT_SETTINGS,
      pendingMinutes: { orphans_growing: 0, ...DEFAULT_ALERT_SETTINGS.pendingMinutes },
    });
  });

  it('have a pending period per rule id, each its own variable', () => {
    for (const rule of ALERT_RULE_IDS)
      expect(ENV_VARS[`EDU_ALERTS_${rule.toUpperCase()}_PENDING_MINUTES`]?.path).toBe(`alerts.pendingMinutes.${rule}`);
    const c = loadConfig({
      EDU_ALERTS_LOW_ATTENDANCE_PENDING_MINUTES: '12',
      EDU_ALERTS_CHECKOUT_ESCALATE_MINUTES: '0',
      EDU_ALERTS_ATTENDANCE_MIN_SESSIONS: '4',
    });
    expect(c.alerts.pendingMinutes).toMatchObject({ ...DEFAULT_ALERT_SETTINGS.pendingMinutes, low_attendance: 12 });
    expect([c.alerts.escalateCheckoutMinutes, c.alerts.attendanceMinSessions]).toEqual([0, 4]);
  });

  it('refuse a bad value, naming the variable', () => {
    expect(() => loadConfig({ EDU_ALERTS_OVER_BUDGET_PENDING_MINUTES: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ EDU_ALERTS_OVER_BUDGET_PENDING_MINUTES: 'soon' })).toThrow(
      /EDU_ALERTS_OVER_BUDGET_PENDING_MINUTES="soon"/,
    );
    expect(() => loadConfig({ EDU_ALERTS_ATTENDANCE_BELOW: '1.5' })).toThrow(/EDU_ALERTS_ATTENDANCE_BELOW/);
  });
});
