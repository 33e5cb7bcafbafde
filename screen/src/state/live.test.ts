import { beforeEach, describe, expect, it } from 'vitest';
import type { Alert, Snapshot } from '../api/types.ts';
import { useLive } from './live.ts';

const snap = (version: number, scope = 'city', present = 1): Snapshot =>
  ({
    version,
    overview: {
      scope,
      date: '2026-11-27',
      term: '2026-autumn',
      period: '2026-11',
      metrics: { students_present: present },
      as_of: null,
      lag_ms: null,
      computed_at: '',
    },
    rankings: {},
    children: [],
    minutes: [],
    alerts: [],
    alert_counts: { critical: 0, warning: 0, info: 0, open: 0 },
    notices: [],
  }) as unknown as Snapshot;

const alert = (id: string, severity: Alert['severity'], state: Alert['state'] = 'open') =>
  ({ id, severity, state }) as Alert;

describe('live store', () => {
  beforeEach(() => useLive.getState().reset());

  it('ignores an update older than what is shown, takes a fresh snapshot always', () => {
    const s = useLive.getState();
    s.apply(snap(5, 'city', 5), true);
    s.apply(snap(4, 'city', 4), false);
    expect(useLive.getState().snapshot?.version).toBe(5);
    s.apply(snap(6, 'city', 6), false);
    expect(useLive.getState().snapshot?.version).toBe(6);
    // After a reconnect the server's snapshot wins, even with a lower version.
    s.apply(snap(2, 'city', 2), true);
    expect(useLive.getState().snapshot?.version).toBe(2);
  });

  it('merges alert changes in place and pops up only new critical ones', () => {
    const s = useLive.getState();
    s.apply(snap(1), true);
    s.alert(alert('a1', 'critical'));
    s.alert(alert('a2', 'warning'));
    s.alert(alert('a1', 'critical', 'acknowledged'));
    const st = useLive.getState();
    expect(st.snapshot?.alerts.map((a) => [a.id, a.state])).toEqual([
      ['a1', 'acknowledged'],
      ['a2', 'open'],
    ]);
    expect(st.critical.map((a) => a.id)).toEqual(['a1']);
    st.dismissCritical('a1');
    expect(useLive.getState().critical).toEqual([]);
  });

  it('keeps the alert list bounded', () => {
    const s = useLive.getState();
    s.apply(snap(1), true);
    for (let i = 0; i < 500; i++) s.alert(alert(`x${i}`, 'info'));
    expect(useLive.getState().snapshot?.alerts.length).toBe(200);
  });
});
