import type { Alert, AlertGroup, AlertRule } from '../live/protocol.ts';
import type { ScopeKind } from '../metrics/scope.ts';
import { ALERT_RULES, SEVERITY_RANK } from './rules.ts';

// The wall's alert panel, as Alertmanager's group_by: one line per rule × district, with the
// count, worst first (critical above warning above info, then the larger group, then the
// older). A school-level rule (low attendance, low completion) gets a line per school where a
// district has few such schools (≤ schoolsUpTo), one per district where it has many. When the
// panel would still hold more than maxLines lines, rules are folded into one line for the whole
// scope, least severe first (school splits go before that), so a broad outage is a handful of
// lines, never hundreds. The console keeps the full list (the snapshot's `alerts`).

export interface GroupOptions {
  /** A school-level rule gets a line per school in a district with at most this many such schools. */
  schoolsUpTo: number;
  /** Fold lines (least severe rules first) until the panel has at most this many. */
  maxLines: number;
  /** A district's name, for alerts raised before they carried it. */
  districtName?: (districtId: string) => string;
}

export const WALL_GROUPING: Readonly<Omit<GroupOptions, 'districtName'>> = { schoolsUpTo: 3, maxLines: 20 };

/**
 * Members a group carries (its worst and oldest); `count` is always the whole number. The
 * console's full list is the snapshot's `alerts`, so a broad outage stays a small payload.
 */
export const MAX_GROUP_MEMBERS = 100;

/**
 * Whether an alert belongs on the wall of a scope of this kind: active, and — for a rule that
 * goes to its school first (学生未签退) — escalated, unless the wall is the school's own.
 */
export function onWall(a: Alert, scopeKind: ScopeKind): boolean {
  if (a.state === 'resolved') return false;
  return !ALERT_RULES[a.rule].escalates || a.escalated_at !== undefined || scopeKind === 'school';
}

/** Rules whose unescalated alerts are due to reach the wall at `now` (ms), given the minutes. */
export function dueForEscalation(alerts: readonly Alert[], now: number, escalateMinutes: number): Alert[] {
  return alerts.filter(
    (a) =>
      a.state !== 'resolved' &&
      ALERT_RULES[a.rule].escalates &&
      a.escalated_at === undefined &&
      now - Date.parse(a.opened_at) >= escalateMinutes * 60_000,
  );
}

type Level = 'school' | 'district' | 'scope';

const UNKNOWN_SCHOOL = '未登记学校';
const UNKNOWN_DISTRICT = '未登记辖区';
const BUREAU_PLACE = '全市';

const byWorst = (a: Alert, b: Alert) =>
  SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
  (a.opened_at < b.opened_at ? -1 : a.opened_at > b.opened_at ? 1 : 0) ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** `members`: the group's alerts, already in byWorst order. */
function makeGroup(key: string, rule: AlertRule, members: Alert[], opts: GroupOptions): AlertGroup {
  const info = ALERT_RULES[rule];
  const first = members[0] as Alert;
  const schools = new Set(members.map((m) => m.school_id));
  const districts = new Set(members.map((m) => m.district_id));
  const districtName = first.district_name || opts.districtName?.(first.district_id) || '';
  // The bureau's own alerts (orphans_growing) concern no school: the whole city.
  const place =
    info.level === 'bureau'
      ? BUREAU_PLACE
      : schools.size === 1
        ? first.school_name || UNKNOWN_SCHOOL
        : districts.size === 1
          ? districtName || UNKNOWN_DISTRICT
          : `${districts.size}个区`;
  const count = members.length;
  const extra = schools.size > 1 && info.level !== 'school' ? `，${schools.size}所学校` : '';
  const text = count === 1 ? `${place}：${info.title}` : `${place}：${info.title}（${count}${info.unit}${extra}）`;
  let opened = first.opened_at;
  let latest = first.opened_at;
  for (const m of members) {
    if (m.opened_at < opened) opened = m.opened_at;
    if (m.opened_at > latest) latest = m.opened_at;
  }
  return {
    key,
    rule,
    severity: first.severity,
    dimension: info.dimension,
    title: info.title,
    place,
    district_id: districts.size === 1 ? first.district_id : '',
    school_id: schools.size === 1 ? first.school_id : null,
    count,
    schools: schools.size,
    text,
    opened_at: opened,
    latest_at: latest,
    members: members.slice(0, MAX_GROUP_MEMBERS),
  };
}

/** Splits a list by a key, keeping each part in the list's order. */
function groupBy(list: readonly Alert[], key: (a: Alert) => string): Map<string, Alert[]> {
  const out = new Map<string, Alert[]>();
  for (const a of list) {
    const k = key(a);
    let l = out.get(k);
    if (!l) out.set(k, (l = []));
    l.push(a);
  }
  return out;
}

function linesOf(rule: AlertRule, alerts: Alert[], level: Level, opts: GroupOptions): AlertGroup[] {
  if (level === 'scope') return [makeGroup(`${rule}|*`, rule, alerts, opts)];
  const out: AlertGroup[] = [];
  for (const [district, list] of groupBy(alerts, (a) => a.district_id)) {
    const bySchool = level === 'school' ? groupBy(list, (a) => a.school_id) : null;
    if (bySchool && bySchool.size <= opts.schoolsUpTo) {
      for (const [school, mine] of bySchool) out.push(makeGroup(`${rule}|${district}|${school}`, rule, mine, opts));
    } else {
      out.push(makeGroup(`${rule}|${district}`, rule, list, opts));
    }
  }
  return out;
}

const byPanelOrder = (a: AlertGroup, b: AlertGroup) =>
  SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
  b.count - a.count ||
  (a.opened_at < b.opened_at ? -1 : a.opened_at > b.opened_at ? 1 : 0) ||
  (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The active alerts given, as the wall's lines, worst first. Resolved alerts are left out. */
export function groupAlerts(alerts: readonly Alert[], options: Partial<GroupOptions> = {}): AlertGroup[] {
  const opts: GroupOptions = { ...WALL_GROUPING, ...options };
  // Sorted once: every part keeps this order, so each line lists its worst and oldest first.
  const active = alerts.filter((a) => a.state !== 'resolved').sort(byWorst);
  const byRule = groupBy(active, (a) => a.rule) as Map<AlertRule, Alert[]>;
  const level = new Map<AlertRule, Level>();
  const lines = new Map<AlertRule, AlertGroup[]>();
  const set = (rule: AlertRule, lv: Level) => {
    level.set(rule, lv);
    lines.set(rule, linesOf(rule, byRule.get(rule) ?? [], lv, opts));
  };
  const startLevel = (rule: AlertRule): Level =>
    ALERT_RULES[rule].level === 'school' ? 'school' : ALERT_RULES[rule].level === 'bureau' ? 'scope' : 'district';
  for (const rule of byRule.keys()) set(rule, startLevel(rule));
  const total = () => [...lines.values()].reduce((n, l) => n + l.length, 0);
  // Least severe first; among equals, the rule with the most lines first (folding it saves most).
  const foldOrder = () =>
    [...byRule.keys()].sort(
      (a, b) =>
        SEVERITY_RANK[ALERT_RULES[b].severity] - SEVERITY_RANK[ALERT_RULES[a].severity] ||
        (lines.get(b)?.length ?? 0) - (lines.get(a)?.length ?? 0) ||
        (a < b ? -1 : 1),
    );
  for (const rule of foldOrder()) {
    if (total() <= opts.maxLines) break;
    if (level.get(rule) === 'school') set(rule, 'district');
  }
  for (const rule of foldOrder()) {
    if (total() <= opts.maxLines) break;
    if (level.get(rule) !== 'scope') set(rule, 'scope');
  }
  return [...lines.values()].flat().sort(byPanelOrder);
}

/**
 * The groups of a snapshot as one viewer may see them: regrouped from the snapshot's full list
 * of `alerts` (a group carries at most MAX_GROUP_MEMBERS), keeping those `keep` lets through
 * and that belong on a wall of `scopeKind`. District names come from the alerts, or from the
 * district lines of the groups given.
 */
export function groupsFor(
  snapshot: { alerts: readonly Alert[]; alert_groups?: readonly AlertGroup[] },
  scopeKind: ScopeKind,
  keep: (a: Alert) => boolean,
  options: Partial<Omit<GroupOptions, 'districtName'>> = {},
): AlertGroup[] {
  const names = new Map<string, string>();
  for (const g of snapshot.alert_groups ?? [])
    if (g.district_id && g.school_id === null && g.place !== UNKNOWN_DISTRICT) names.set(g.district_id, g.place);
  for (const a of snapshot.alerts) if (a.district_name) names.set(a.district_id, a.district_name);
  return groupAlerts(
    snapshot.alerts.filter((a) => keep(a) && onWall(a, scopeKind)),
    { ...options, districtName: (id) => names.get(id) ?? '' },
  );
}
