import { describe, expect, it } from 'vitest';
import type { Alert, AlertRule } from '../live/protocol.ts';
import { dueForEscalation, groupAlerts, groupsFor, onWall } from './group.ts';
import { ALERT_RULES } from './rules.ts';

const DISTRICTS: Record<string, string> = { d1: '东城区', d2: '西城区', d3: '南城区' };
let n = 0;
function alert(rule: AlertRule, school: string, district: string, over: Partial<Alert> = {}): Alert {
  n++;
  const info = ALERT_RULES[rule];
  return {
    id: `${rule}:2026-11-27:x${n}`,
    rule,
    severity: info.severity,
    state: 'open',
    dimension: info.dimension,
    school_id: school,
    school_name: `第${school.slice(1)}小学`,
    zone_id: 'z',
    district_id: district,
    district_name: DISTRICTS[district],
    subject_id: `x${n}`,
    title: info.title,
    detail: '…',
    opened_at: `2026-11-27T16:${String(n % 60).padStart(2, '0')}:00+08:00`,
    updated_at: '',
    ...over,
  };
}

describe('alert groups', () => {
  it("the bureau's own alerts (orphans_growing) make one line for the whole city, never 未登记学校", () => {
    const bureau = (type: string) =>
      alert('orphans_growing', '', '', { school_name: '', district_name: '', subject_id: type });
    const groups = groupAlerts([bureau('checkin'), bureau('enrolled'), alert('teacher_not_checked_in', 's1', 'd1')]);
    expect(groups.map((g) => [g.key, g.count, g.text])).toEqual([
      ['orphans_growing|*', 2, '全市：未登记数据增多（2类数据）'],
      ['teacher_not_checked_in|d1', 1, '第1小学：教师未签到'],
    ]);
    expect(groupAlerts([bureau('checkin')])[0]?.text).toBe('全市：未登记数据增多');
  });

  it('one line per rule × district, with its count, critical above warning, larger first', () => {
    const alerts = [
      alert('teacher_not_checked_in', 's1', 'd1'),
      alert('teacher_not_checked_in', 's2', 'd1'),
      alert('teacher_not_checked_in', 's2', 'd1'),
      alert('teacher_not_checked_in', 's7', 'd2'),
      alert('student_not_checked_out', 's7', 'd2', { escalated_at: 'x' }),
      alert('class_not_started', 's1', 'd1', { state: 'resolved' }),
    ];
    const groups = groupAlerts(alerts);
    expect(groups.map((g) => [g.key, g.count, g.text])).toEqual([
      ['student_not_checked_out|d2', 1, '第7小学：学生未签退'],
      ['teacher_not_checked_in|d1', 3, '东城区：教师未签到（3节课，2所学校）'],
      ['teacher_not_checked_in|d2', 1, '第7小学：教师未签到'],
    ]);
    const d1 = groups[1]!;
    expect(d1).toMatchObject({ district_id: 'd1', school_id: null, schools: 2, severity: 'warning' });
    // The line expands into its members, oldest first.
    expect(d1.members.map((m) => m.school_id)).toEqual(['s1', 's2', 's2']);
    expect(d1.opened_at <= d1.latest_at).toBe(true);
  });

  it('a school-level rule: a line per school when few in the district, one per district when many', () => {
    const few = ['s1', 's2'].map((s) => alert('low_attendance', s, 'd1'));
    const many = ['s3', 's4', 's5', 's6'].map((s) => alert('low_attendance', s, 'd2'));
    const groups = groupAlerts([...few, ...many]);
    expect(groups.map((g) => [g.key, g.text])).toEqual([
      ['low_attendance|d2', '西城区：学生出勤率低（4所学校）'],
      ['low_attendance|d1|s1', '第1小学：学生出勤率低'],
      ['low_attendance|d1|s2', '第2小学：学生出勤率低'],
    ]);
  });

  it('folds the least severe rules into one line for the scope before the panel overflows', () => {
    const alerts: Alert[] = [];
    for (const d of ['d1', 'd2', 'd3']) {
      alerts.push(alert('student_not_checked_out', `s${d}`, d, { escalated_at: 'x' }));
      alerts.push(alert('teacher_not_checked_in', `s${d}`, d));
      alerts.push(alert('low_completion', `s${d}`, d));
      alerts.push(alert('low_completion', `t${d}`, d));
    }
    expect(groupAlerts(alerts)).toHaveLength(12); // within 20: 3 + 3 + 6 school lines
    const folded = groupAlerts(alerts, { maxLines: 7 });
    // School lines go first (6 → 3 district lines), then low completion (info) folds into one.
    expect(folded.map((g) => g.key)).toEqual([
      'student_not_checked_out|d1',
      'student_not_checked_out|d2',
      'student_not_checked_out|d3',
      'teacher_not_checked_in|d1',
      'teacher_not_checked_in|d2',
      'teacher_not_checked_in|d3',
      'low_completion|*',
    ]);
    expect(folded.at(-1)?.text).toBe('3个区：完课率低（6所学校）');
    expect(folded.at(-1)?.district_id).toBe('');
    // Critical lines fold last.
    expect(groupAlerts(alerts, { maxLines: 2 }).map((g) => g.key)).toEqual([
      'student_not_checked_out|*',
      'teacher_not_checked_in|*',
      'low_completion|*',
    ]);
  });

  it('names a district from the geography when an old alert lacks its name', () => {
    const old = ['s1', 's2'].map((s) => alert('class_not_started', s, 'd1', { district_name: undefined }));
    expect(groupAlerts(old, { districtName: (id) => DISTRICTS[id] ?? '' })[0]?.text).toBe(
      '东城区：课程未开课（2节课，2所学校）',
    );
    expect(groupAlerts(old)[0]?.place).toBe('未登记辖区');
  });

  it('a viewer sees the lines of what they may see, regrouped from the full list', () => {
    const alerts = [
      alert('low_feedback', 's1', 'd1'),
      alert('over_budget', 's1', 'd1'),
      alert('over_budget', 's8', 'd2'),
      alert('student_not_checked_out', 's1', 'd1'),
    ];
    const snapshot = { alerts, alert_groups: groupAlerts(alerts) };
    const d1Budget = groupsFor(snapshot, 'district', (a) => a.district_id === 'd1' && a.dimension === 'budget');
    expect(d1Budget.map((g) => [g.key, g.count])).toEqual([['over_budget|d1', 1]]);
    // The unescalated child is on the school's wall only.
    expect(groupsFor(snapshot, 'city', () => true).map((g) => g.rule)).not.toContain('student_not_checked_out');
    expect(groupsFor(snapshot, 'school', () => true).map((g) => g.rule)).toContain('student_not_checked_out');
    // A district name comes from the alerts, or from the snapshot's district lines.
    const unnamed = alerts.map((a) => ({ ...a, district_name: undefined }));
    const named = groupsFor(
      { alerts: unnamed, alert_groups: groupAlerts(alerts) },
      'city',
      (a) => a.rule === 'over_budget',
    );
    expect(named.map((g) => g.text)).toEqual(['第1小学：结算超出预算', '第8小学：结算超出预算']);
  });

  it('a group carries at most 100 members, its count all of them', () => {
    const many = Array.from({ length: 150 }, (_, i) => alert('teacher_not_checked_in', `s${i}`, 'd1'));
    const [g] = groupAlerts(many);
    expect([g?.count, g?.schools, g?.members.length]).toEqual([150, 150, 100]);
    const oldest = [...many].sort((a, b) => (a.opened_at < b.opened_at ? -1 : a.opened_at > b.opened_at ? 1 : 0))[0];
    expect(g?.members[0]?.opened_at).toBe(oldest?.opened_at);
  });
});

describe('escalation', () => {
  const now = Date.parse('2026-11-27T17:30:00+08:00');
  const child = alert('student_not_checked_out', 's1', 'd1', { opened_at: '2026-11-27T17:15:00+08:00' });

  it('学生未签退 goes to the school first, to the bureau once escalated', () => {
    expect(onWall(child, 'school')).toBe(true);
    expect(onWall(child, 'zone')).toBe(false);
    expect(onWall(child, 'city')).toBe(false);
    expect(onWall({ ...child, escalated_at: '2026-11-27T17:25:00+08:00' }, 'city')).toBe(true);
    expect(onWall({ ...child, state: 'resolved' }, 'school')).toBe(false);
    // Other rules are on every wall at once.
    expect(onWall(alert('teacher_not_checked_in', 's1', 'd1'), 'city')).toBe(true);
  });

  it('is due after the setting’s minutes, once', () => {
    expect(dueForEscalation([child], now, 16)).toEqual([]);
    expect(dueForEscalation([child], now, 15)).toEqual([child]);
    expect(dueForEscalation([{ ...child, escalated_at: 'x' }], now, 15)).toEqual([]);
    expect(dueForEscalation([{ ...child, state: 'resolved' }], now, 15)).toEqual([]);
    expect(dueForEscalation([alert('low_attendance', 's1', 'd1', { opened_at: child.opened_at })], now, 0)).toEqual([]);
  });
});
