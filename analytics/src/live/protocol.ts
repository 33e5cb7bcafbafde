import type { Decision, Dimension, Role, TargetType } from '../contract/supervision.ts';
import type { ErrorCode } from './errors.ts';
import type { DueFigures, Metrics, MetricName } from '../metrics/definitions.ts';
import type { Overview } from '../metrics/overview.ts';
import type { RankingRow, RankMetric } from '../metrics/rankings.ts';

// What the streamer sends to the screens, and what the screens may ask: the read API's JSON
// shapes and the typed Socket.IO event maps. Both the streamer (`Server<…>`) and the screen
// (`io<…>`) are typed with these, so neither can change a payload alone. Types only: this
// module is imported by the browser bundle.

// ---- Alerts ----
export type AlertSeverity = 'critical' | 'warning' | 'info';
export type AlertState = 'open' | 'acknowledged' | 'notice_issued' | 'resolved';
export type AlertRule =
  | 'teacher_not_checked_in'
  | 'class_not_started'
  | 'student_not_checked_out'
  | 'low_attendance'
  | 'low_completion'
  | 'low_feedback'
  | 'over_budget'
  | 'orphans_growing'
  | 'class_after_halt';

export interface Alert {
  /** Stable per rule and subject: one alert per rule and subject, never a flood. */
  id: string;
  rule: AlertRule;
  severity: AlertSeverity;
  state: AlertState;
  dimension: Dimension;
  school_id: string;
  school_name: string;
  zone_id: string;
  district_id: string;
  /** The session, school, course, provider or offering concerned. */
  subject_id: string;
  /** Chinese, one line, for the wall. */
  title: string;
  detail: string;
  opened_at: string;
  updated_at: string;
  ack?: { by: string; at: string; comment: string };
  notice_id?: string;
  resolved_at?: string;
  /** The district's name when the alert was raised (older alerts may lack it). */
  district_name?: string;
  /**
   * When a rule that goes to its school first (学生未签退) reached the bureau's wall: set once
   * the alert stayed unresolved for the escalation setting's minutes. Absent: school list only.
   */
  escalated_at?: string;
}

/**
 * One line of the wall's alert panel (Alertmanager's group_by): the alerts of one rule in one
 * district — or of one school, when a school-level rule has few in the district, or of the
 * whole scope, when the panel would otherwise have too many lines. Lines are sent worst first
 * (critical above warning above info, then more members first, then the oldest). `key` is
 * stable while the group lasts: a screen pops a critical group up once, when its key is new.
 */
export interface AlertGroup {
  /** `rule|district` (`rule|district|school` for a school's own line, `rule|*` for the scope). */
  key: string;
  rule: AlertRule;
  severity: AlertSeverity;
  dimension: Dimension;
  /** The rule's Chinese title, e.g. 教师未签到. */
  title: string;
  /** Where: a school's name, a district's name, or e.g. 3个区. */
  place: string;
  /** The one district of every member; '' when they span several. */
  district_id: string;
  /** The one school of every member, or null. */
  school_id: string | null;
  /** Members (alerts) in the group. */
  count: number;
  /** Distinct schools among the members. */
  schools: number;
  /** The whole line in Chinese, e.g. 东城区：教师未签到（12节课，5所学校）. */
  text: string;
  /** The earliest and the newest member's opened_at. */
  opened_at: string;
  latest_at: string;
  /** The member alerts, worst and oldest first, for the line to expand into. */
  members: Alert[];
}

export interface AlertCounts {
  critical: number;
  warning: number;
  info: number;
  open: number;
}

// ---- Supervision notices (一键监管) and their 督办 loop (contract v1.1) ----
/**
 * Where a notice stands, derived from stored events (analytics/src/supervision/loop.ts):
 * issued → received (签收) → submitted (整改反馈) → closed (销号), or submitted → returned
 * (退回重改) → submitted … Overdue is not a state but a flag beside it: not closed by the deadline.
 */
export const NOTICE_STATES = ['issued', 'received', 'submitted', 'returned', 'closed'] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];

/** One step of a notice's timeline, in the order the loop applied it. */
export interface LoopStep {
  kind: NoticeState;
  /** When it happened at its source (RFC 3339). */
  at: string;
  /** The event's id (the school's event, or the bureau's published decision). */
  event_id: string;
  /** Who: a bureau user's id (issued, closed, returned) or the school's receiver (received). */
  by_id: string;
  /** Their name, filled in by the streamer ('' when unknown). */
  by_name: string;
  /** The notice's text, the rectification, or the decision's reason. */
  content: string;
  submission_id?: string;
  attachments?: { name: string; url: string }[];
  /**
   * What was odd about it; such steps are shown, never dropped: `before_notice` (its time is
   * before the notice's), `duplicate` (a submission id seen before), `late` (after the
   * deadline), `no_effect` (it did not move the state, e.g. a receipt after a submission).
   */
  notes: ('before_notice' | 'duplicate' | 'late' | 'no_effect')[];
}

/** A notice with its whole timeline: the 督办 page's detail. */
export interface NoticeDetail {
  notice: Notice;
  steps: LoopStep[];
}

/** Rectification events whose notice is unknown here: kept and shown, never lost. */
export interface UnmatchedRectification {
  notice_id: string;
  school_id: string;
  school_name: string;
  steps: LoopStep[];
}

/** Notices per state, and how many are overdue: the wall's 督办事项 panel. */
export type NoticeCounts = Record<NoticeState, number> & { overdue: number };

export interface Notice {
  notice_id: string;
  ts: string;
  issuer_id: string;
  issuer_role: Role;
  target_type: TargetType;
  target_id: string;
  target_name: string;
  dimension: Dimension;
  subject_id: string;
  decision: Decision;
  content: string;
  deadline: string | null;
  state: NoticeState;
  /** Not closed by the deadline (a closed notice is never overdue, though it may have been late). */
  overdue: boolean;
  /** When the state was last moved (the issue, a receipt, a submission, a decision). */
  state_at: string;
  /** The school the notice concerns, by name ('' when none or unknown). */
  school_name: string;
  /** Rectifications submitted (distinct submission ids). */
  submissions: number;
}

export interface NoticeRequest {
  target_type: TargetType;
  target_id: string;
  dimension: Dimension;
  subject_id: string;
  content: string;
  deadline?: string;
}

// ---- Screen snapshot ----
/** The metrics the wall ranks schools by (top-10 / bottom-10). */
export const RANKED_METRICS = [
  'attendance_rate',
  'enrollment_rate',
  'settled_amount',
] as const satisfies readonly MetricName[];
export type RankedMetric = (typeof RANKED_METRICS)[number];

/**
 * What each wall ranking is ranked by: attendance by the figure due so far (contract v1.1), so
 * a school whose classes have not begun is not at the bottom at 15:40; for a past day the due
 * figures equal the day's.
 */
export const RANK_BY: Record<RankedMetric, RankMetric> = {
  attendance_rate: 'due.attendance_rate',
  enrollment_rate: 'enrollment_rate',
  settled_amount: 'settled_amount',
};

export interface Rankings {
  top: RankingRow[];
  bottom: RankingRow[];
}

/** One child of the scope (a district of the city, a zone of a district, a school of a zone). */
export interface ChildSummary {
  scope: string;
  name: string;
  metrics: Metrics;
  /** The child's figures due so far: what the map is coloured by during the day. */
  due: DueFigures;
  alerts: AlertCounts;
}

/** Check-ins per minute of the day (Asia/Shanghai), for the attendance curve. */
export interface MinutePoint {
  minute: number;
  students: number;
  teachers: number;
}

export interface Snapshot {
  /** Increases with every recomputation of this scope; updates carry it too. */
  version: number;
  /** When `minutes` was drawn (epoch ms): a `curve` push newer than it wins over it. */
  curve_at: number;
  overview: Overview;
  rankings: Record<RankedMetric, Rankings>;
  children: ChildSummary[];
  minutes: MinutePoint[];
  /** Every alert of the scope, resolved ones of the day too: the console's full list. */
  alerts: Alert[];
  alert_counts: AlertCounts;
  /** The wall's alert panel: active alerts grouped, worst first (analytics/src/alerts/group.ts). */
  alert_groups: AlertGroup[];
  notices: Notice[];
}

/**
 * What a screen is pushed (`snapshot`, `update`): the snapshot without `alerts`, the scope's full
 * list. The server keeps that list to regroup the wall's lines per permission view; no screen
 * draws it (the wall draws `alert_groups`, the console reads GET /api/v1/alerts), and on a city's
 * afternoon it was nine tenths of every update (about 1 MB at 120 schools), parsed by every wall
 * twice a second. GET /api/v1/snapshot still returns the whole Snapshot.
 */
export type PushedSnapshot = Omit<Snapshot, 'alerts'> & {
  /**
   * On an `update`: the version of the snapshot whose alert groups these are (the room's push in
   * which this view's groups last changed). Absent on a `snapshot` frame.
   */
  alert_groups_at?: number;
};

/**
 * An `update` may leave out `alert_groups` when they are the ones this socket was last sent
 * (its `alert_groups_at` is the same): at a city's afternoon they were 72.6 of a 95 KB update
 * (the full-city wall bench, README), sent to every wall on every push while they change far
 * less often than the figures.
 */
export type PushedUpdate = Omit<PushedSnapshot, 'alert_groups'> & { alert_groups?: AlertGroup[] };

/**
 * An update made whole with the groups the screen holds, or null when it cannot be: the groups
 * held are not those the update refers to (a frame the screen dropped, a snapshot since), and
 * the screen must join again for a full snapshot.
 */
export function withHeldGroups(held: PushedSnapshot | null, u: PushedUpdate): PushedSnapshot | null {
  // Without a version to refer to (an older server), an update is whole as it came.
  if (u.alert_groups || u.alert_groups_at === undefined) return u as PushedSnapshot;
  if (!held || held.alert_groups_at === undefined || held.alert_groups_at !== u.alert_groups_at) return null;
  if (held.overview.scope !== u.overview.scope || held.overview.date !== u.overview.date) return null;
  return { ...u, alert_groups: held.alert_groups };
}

/**
 * A landed redraw of the joined room's attendance curve: the minutes from `from` on (those
 * before it are unchanged). Sent alone, not as a whole snapshot: a redraw moves nothing else.
 */
export interface CurveUpdate {
  scope: string;
  date: string;
  from: number;
  minutes: MinutePoint[];
  /** When it was drawn (epoch ms, the server's clock). */
  at: number;
}

export interface JoinRequest {
  /** `city`, `district:<id>`, `zone:<id>` or `school:<id>`. */
  scope: string;
  /** YYYY-MM-DD; today in Asia/Shanghai when absent. */
  date?: string;
}

/** A refused join says why in English (logs) and by `code` (what the screen shows). */
export type Ack = { ok: true } | { ok: false; error: string; code: ErrorCode };

export interface ServerToClientEvents {
  /** The full state of the joined scope: first after join, and after every reconnect. */
  snapshot: (s: PushedSnapshot) => void;
  /**
   * A newer snapshot of the joined scope, whole but for the alert groups when this socket holds
   * them already (PushedUpdate, withHeldGroups).
   */
  update: (s: PushedUpdate) => void;
  /** The attendance curve was redrawn from a minute on (applied to the current snapshot). */
  curve: (c: CurveUpdate) => void;
  /** An alert changed (raised, acknowledged, noticed, resolved). */
  alert: (a: Alert) => void;
  notice: (n: Notice) => void;
  /** The user's permissions changed: the screen must re-join or show the refusal. */
  access: (a: { scopes: string[]; reason: string; code: ErrorCode }) => void;
}

export interface ClientToServerEvents {
  join: (req: JoinRequest, ack: (res: Ack) => void) => void;
}

// ---- Read API error body ----
export interface ApiError {
  error: string;
  /** Machine-readable code, one of ERROR_CODES (live/errors.ts): what the screens translate. */
  code: ErrorCode;
}

/**
 * (issue 12) How long a live wall may go without a push before it says on screen that its data
 * is stale. The streamer pushes every room of today at least every live.dueTickMs (15 s by
 * default) even without events, so four missed pushes mean something is wrong.
 */
export const WALL_STALE_AFTER_MS = 60_000;
