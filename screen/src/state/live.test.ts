import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serviceNow } from '../lib/service-time.ts';
import type { AlertGroup } from '@edu/analytics/live';
import type { Alert, Notice, PushedSnapshot } from '../api/types.ts';
import { useLive } from './live.ts';

const snap = (version: number, scope = 'city', present = 1, curveAt = 0): PushedSnapshot =>
  ({
    version,
    curve_at: curveAt,
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
    alert_counts: { critical: 0, warning: 0, info: 0, open: 0 },
    notices: [],
  }) as unknown as PushedSnapshot;

const group = (key: string, severity: Alert['severity'], count: number) =>
  ({ key, severity, count, members: [] }) as unknown as AlertGroup;

describe('live store', () => {
  beforeEach(() => useLive.getState().want({ scope: 'city' }));

  it("shares an update's unchanged parts with the snapshot shown: the tiles keep their references", () => {
    const s = useLive.getState();
    const ranking = (present: number) => ({
      attendance_rate: {
        top: [{ scope: 'school:s1', name: '第1小学', value: 0.9 }],
        bottom: [{ scope: 'school:s2', name: '第2小学', value: present / 10 }],
      },
    });
    const first = { ...snap(1, 'city', 1, 100), rankings: ranking(1) } as unknown as PushedSnapshot;
    first.minutes = [{ minute: 930, students: 5, teachers: 1 }];
    s.apply(first, true);
    // Parsed afresh from the wire: equal parts are new objects until the store shares them.
    const second = JSON.parse(JSON.stringify({ ...snap(2, 'city', 3, 100), rankings: ranking(3) })) as PushedSnapshot;
    second.minutes = [{ minute: 930, students: 5, teachers: 1 }];
    s.apply(second, false);
    const shown = useLive.getState().snapshot!;
    expect(shown.version).toBe(2);
    expect(shown.overview.metrics.students_present).toBe(3);
    expect(shown.minutes).toBe(first.minutes);
    const rankings = shown.rankings as unknown as ReturnType<typeof ranking>;
    const before = first.rankings as unknown as ReturnType<typeof ranking>;
    expect(rankings.attendance_rate.top).toBe(before.attendance_rate.top);
    expect(rankings.attendance_rate.bottom).not.toBe(before.attendance_rate.bottom);
    expect(rankings.attendance_rate.bottom[0]?.value).toBe(0.3);
    // Another scope shares nothing.
    s.want({ scope: 'district:d1' });
    const other = { ...snap(1, 'district:d1', 1, 100), minutes: [{ minute: 930, students: 5, teachers: 1 }] };
    s.apply(other as PushedSnapshot, true);
    expect(useLive.getState().snapshot?.minutes).toBe(other.minutes);
  });

  it('splices a pushed curve redraw in, and keeps it over an update computed before it', () => {
    const s = useLive.getState();
    const first = snap(1, 'city', 1, 100);
    first.minutes = [
      { minute: 930, students: 5, teachers: 1 },
      { minute: 931, students: 2, teachers: 0 },
    ];
    s.apply(first, true);
    s.curve({
      scope: 'city',
      date: '2026-11-27',
      from: 931,
      minutes: [{ minute: 931, students: 7, teachers: 0 }],
      at: 200,
    });
    const drawn = [
      { minute: 930, students: 5, teachers: 1 },
      { minute: 931, students: 7, teachers: 0 },
    ];
    expect(useLive.getState().snapshot?.minutes).toEqual(drawn);
    // An update whose curve is older than the push keeps the pushed curve, takes the figures.
    s.apply({ ...snap(2, 'city', 9, 150), minutes: first.minutes }, false);
    expect(useLive.getState().snapshot?.minutes).toEqual(drawn);
    expect(useLive.getState().snapshot?.overview.metrics.students_present).toBe(9);
    // A push for another scope, or older than what is shown, changes nothing.
    s.curve({ scope: 'district:d1', date: '2026-11-27', from: 0, minutes: [], at: 300 });
    s.curve({ scope: 'city', date: '2026-11-27', from: 0, minutes: [], at: 100 });
    expect(useLive.getState().snapshot?.minutes).toEqual(drawn);
  });

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

  it('pops up once per new critical group, not per member, nor for the groups there at join', () => {
    const s = useLive.getState();
    const withGroups = (version: number, ...groups: AlertGroup[]) => ({ ...snap(version), alert_groups: groups });
    s.apply(withGroups(1, group('student_not_checked_out|d1', 'critical', 2)), true);
    expect(useLive.getState().critical).toEqual([]);
    // More members in a group already shown: no pop-up. A warning group: none either.
    s.apply(
      withGroups(2, group('student_not_checked_out|d1', 'critical', 5), group('low_attendance|d1', 'warning', 3)),
      false,
    );
    expect(useLive.getState().critical).toEqual([]);
    // A new critical group: one pop-up, whatever its member count, and it follows its group.
    s.apply(
      withGroups(
        3,
        group('student_not_checked_out|d1', 'critical', 5),
        group('student_not_checked_out|d2', 'critical', 4),
      ),
      false,
    );
    s.apply(
      withGroups(
        4,
        group('student_not_checked_out|d1', 'critical', 5),
        group('student_not_checked_out|d2', 'critical', 6),
      ),
      false,
    );
    expect(useLive.getState().critical.map((g) => [g.key, g.count])).toEqual([['student_not_checked_out|d2', 6]]);
    useLive.getState().dismissCritical('student_not_checked_out|d2');
    expect(useLive.getState().critical).toEqual([]);
    // A group that ends and comes back is new again; one that ends before it was seen leaves the queue.
    s.apply(withGroups(5, group('student_not_checked_out|d1', 'critical', 5)), false);
    s.apply(
      withGroups(
        6,
        group('student_not_checked_out|d1', 'critical', 5),
        group('student_not_checked_out|d2', 'critical', 1),
      ),
      false,
    );
    expect(useLive.getState().critical.map((g) => g.key)).toEqual(['student_not_checked_out|d2']);
    s.apply(withGroups(7, group('student_not_checked_out|d1', 'critical', 5)), false);
    expect(useLive.getState().critical).toEqual([]);
    // Another scope: its groups at join are not new.
    s.want({ scope: 'district:d3' });
    s.apply(
      {
        ...withGroups(1, group('student_not_checked_out|d3', 'critical', 1)),
        overview: { ...snap(1, 'district:d3').overview },
      },
      true,
    );
    expect(useLive.getState().critical).toEqual([]);
  });

  it('keeps the alert groups it holds for an update that leaves them out, and asks to join again when it does not hold them', () => {
    const s = useLive.getState();
    const groups = [group('teacher_not_checked_in|d1', 'warning', 3)];
    s.apply(snap(1), true);
    // The first update after a snapshot brings the groups whole, with their version.
    expect(s.apply({ ...snap(2), alert_groups: groups, alert_groups_at: 2 }, false)).toBe('applied');
    const slim = (version: number, at: number) => {
      const { alert_groups: _g, ...u } = { ...snap(version, 'city', version), alert_groups_at: at };
      return u;
    };
    const held = useLive.getState().snapshot?.alert_groups;
    expect(s.apply(slim(3, 2), false)).toBe('applied');
    expect(useLive.getState().snapshot?.overview.metrics.students_present).toBe(3);
    // The same lines, the same references: the alert panel does not redraw.
    expect(useLive.getState().snapshot?.alert_groups).toBe(held);
    expect(held).toEqual(groups);
    // Groups of another version than those held (a frame this screen dropped): not applied.
    expect(s.apply(slim(4, 3), false)).toBe('rejoin');
    expect(useLive.getState().snapshot?.version).toBe(3);
    // After a snapshot (its groups' version unknown) the same: the server sends them whole next.
    s.apply({ ...snap(5), alert_groups: groups }, true);
    expect(s.apply(slim(6, 2), false)).toBe('rejoin');
    // An old update is ignored before anything else.
    expect(s.apply(slim(5, 9), false)).toBe('ignored');
  });

  it('drops a late update of the scope it just left', () => {
    const s = useLive.getState();
    s.apply(snap(9, 'city'), true);
    s.want({ scope: 'district:D01' });
    expect(useLive.getState().snapshot).toBeNull();
    // Sent by the server before it saw the new join: it must not paint the old scope.
    s.apply(snap(10, 'city'), false);
    expect(useLive.getState().snapshot).toBeNull();
    s.apply(snap(1, 'district:D01'), true);
    s.apply(snap(11, 'city'), false);
    expect(useLive.getState().snapshot?.overview.scope).toBe('district:D01');
  });

  it('lists a new notice on the city wall only; elsewhere updates the ones it has', () => {
    const notice = (id: string, state: Notice['state'] = 'issued') =>
      ({ notice_id: id, target_type: 'school', target_id: 's9', state }) as Notice;
    const s = useLive.getState();
    s.want({ scope: 'district:D01' });
    s.apply({ ...snap(1, 'district:D01'), notices: [notice('n1')] }, true);
    // Leaders get every notice of the city: one elsewhere must not join this district's list.
    s.notice(notice('n-elsewhere'));
    s.notice(notice('n1', 'submitted'));
    expect(useLive.getState().snapshot?.notices.map((n) => [n.notice_id, n.state])).toEqual([['n1', 'submitted']]);
    // Closed, it stays for the panel's count of the day's 销号.
    s.notice(notice('n1', 'closed'));
    expect(useLive.getState().snapshot?.notices.map((n) => [n.notice_id, n.state])).toEqual([['n1', 'closed']]);
    s.want({ scope: 'city' });
    s.apply(snap(1, 'city'), true);
    s.notice(notice('n2'));
    expect(useLive.getState().snapshot?.notices.map((n) => n.notice_id)).toEqual(['n2']);
  });
});

describe('the service clock', () => {
  const at = (hhmmss: string) => Date.parse(`2026-11-27T${hhmmss}+08:00`);
  const computed = (version: number, scope: string, hhmmss: string) =>
    ({
      ...snap(version, scope),
      overview: { ...snap(version, scope).overview, computed_at: new Date(at(hhmmss)).toISOString() },
    }) as PushedSnapshot;
  const clock = () => serviceNow(useLive.getState().serviceTime, Date.now());
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(at('16:00:00'));
    useLive.setState({ serviceTime: null });
    useLive.getState().want({ scope: 'city' });
  });
  afterEach(() => vi.useRealTimers());

  it('is not turned back by a cached snapshot shown on a (re)join', () => {
    const s = useLive.getState();
    s.apply(computed(5, 'city', '16:00:00'), true);
    vi.setSystemTime(at('16:05:00'));
    expect(clock()).toBe(at('16:05:00'));
    // The officer drills into a district whose room's cached snapshot was computed at 15:58.
    s.want({ scope: 'district:d1' });
    s.apply(computed(2, 'district:d1', '15:58:00'), true);
    expect(useLive.getState().snapshot?.overview.scope).toBe('district:d1');
    expect(clock()).toBe(at('16:05:00'));
    // The fresh one computed right after moves it on as usual.
    vi.setSystemTime(at('16:05:02'));
    s.apply(computed(3, 'district:d1', '16:05:01'), false);
    expect(clock()).toBe(at('16:05:02'));
  });

  it('follows a service clock that runs faster than the browser (the simulated day)', () => {
    const s = useLive.getState();
    s.apply(computed(1, 'city', '16:00:00'), true);
    vi.setSystemTime(at('16:00:01'));
    s.apply(computed(2, 'city', '16:00:10'), false);
    expect(clock()).toBe(at('16:00:10'));
    vi.setSystemTime(at('16:00:02'));
    expect(clock()).toBe(at('16:00:11'));
  });
});
