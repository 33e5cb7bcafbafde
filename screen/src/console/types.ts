// The console's view of the HTTP API (streamer/src/http/routes/dimensions.ts and decisions.ts).
// Row types are the analytics queries' own, imported as types only: the browser bundle must
// never pull @edu/analytics' runtime (ClickHouse client, chdb) in.
import type { MayDecide } from './may-decide.ts';
import type {
  Admission,
  AdmissionRow,
  AttendanceCharts,
  Budget,
  BudgetRow,
  ChartTotals,
  Child,
  ClassReport,
  NamedCourseBudgetCheck,
  CoursesRow,
  Decision,
  Dimension,
  EnrollmentCharts,
  FeedbackItem,
  FeedbackRow,
  FeedbackTarget,
  FeedbackTargetRow,
  LowScoreRun,
  Material,
  MaterialsRow,
  OfferingDetail,
  ParticipationRow,
  RegistryCharts,
  SafetyChildRow,
  SafetyCourseRow,
  SafetySession,
  SchedulingCharts,
  SelectionCharts,
  SessionDay,
  SettlementCharts,
  StudentTimetable,
  SupervisionEvent,
  TargetType,
  TeacherTimetable,
  Timetable,
} from '@edu/analytics';

export type {
  Admission,
  AdmissionRow,
  AttendanceCharts,
  Budget,
  BudgetRow,
  ChartTotals,
  Child,
  ClassReport,
  NamedCourseBudgetCheck,
  CoursesRow,
  Decision,
  Dimension,
  EnrollmentCharts,
  FeedbackItem,
  FeedbackRow,
  FeedbackTarget,
  FeedbackTargetRow,
  LowScoreRun,
  Material,
  MaterialsRow,
  OfferingDetail,
  ParticipationRow,
  RegistryCharts,
  SafetyChildRow,
  SafetyCourseRow,
  SafetySession,
  SchedulingCharts,
  SelectionCharts,
  SessionDay,
  SettlementCharts,
  StudentTimetable,
  SupervisionEvent,
  TargetType,
  TeacherTimetable,
  Timetable,
};
export type { RankingRow, Share } from '@edu/analytics';
export type { StudentList, TeacherList, TeacherListItem } from '@edu/analytics';

/** The console's pages: the six dimensions and 图表. */
/** A console page: a dimension's, 图表, (v1.1) 督办, the loop of every notice, or 流程全景. */
export type PageId = Dimension | 'charts' | 'notices' | 'pipeline';

/** Every row of a per-child table names its child (a district, zone or school). */
export interface ChildRow {
  child: Child;
  schools: number;
}

export interface TermRows<R> {
  term: string;
  rows: R[];
}
export interface SchoolMaterials {
  term: string;
  materials: Material[];
}
export interface SchoolBudgets {
  term: string;
  budgets: Budget[];
  settled_vs_budget: NamedCourseBudgetCheck[];
}
export interface SchoolOfferings {
  term: string;
  offerings: OfferingDetail[];
}
export interface SafetyRows {
  date: string;
  rows: SafetyChildRow[];
}
export interface SchoolSafety {
  date: string;
  courses: SafetyCourseRow[];
}
export interface CourseSessions {
  date: string;
  sessions: SafetySession[];
}
export interface FeedbackRows extends TermRows<FeedbackRow> {
  /** Every target the scope's feedback of the term names, with its name (lowest average first). */
  targets: FeedbackTargetRow[];
  low_score_runs: (LowScoreRun & { name: string })[];
}
export interface FeedbackDetail {
  term: string;
  items: FeedbackItem[];
}

export const CHART_GROUPS = [
  'totals',
  'registry',
  'selection',
  'scheduling',
  'enrollment',
  'attendance',
  'settlement',
] as const;
export type ChartGroup = (typeof CHART_GROUPS)[number];
export interface ChartData {
  totals: ChartTotals;
  registry: RegistryCharts;
  selection: SelectionCharts;
  scheduling: SchedulingCharts;
  enrollment: EnrollmentCharts;
  attendance: AttendanceCharts;
  settlement: SettlementCharts;
}
export interface ChartResponse<G extends ChartGroup> {
  chart: G;
  term: string;
  date: string;
  data: ChartData[G];
}

/**
 * A decision the console may ask for on a dimension page (`notice` is 一键监管, a separate
 * route; `closed` / `returned` decide on a notice, on the 督办 page).
 */
export type DecisionKind = Exclude<Decision, 'notice' | 'closed' | 'returned'>;

/** What a decision or notice is about: the body of POST /api/v1/decisions minus the verdict. */
export interface Subject {
  target_type: TargetType;
  target_id: string;
  dimension: Dimension;
  subject_id: string;
  /** How the dialog names the subject, e.g. 经费预算 b1（第1小学）. */
  label: string;
}

/** What every page is given by the console. */
export interface PageProps {
  scope: string;
  /** The picked term, or null for the server's default (the term of `date`). */
  term: string | null;
  /** `?date=` of the URL, or null for the server's today. */
  date: string | null;
  /** 喊停 / 否定 are shown to leaders only (the server refuses them to anyone else anyway). */
  leader: boolean;
  /** Leaders and staff decide and issue notices; an administrator only looks. */
  decider: boolean;
  /**
   * Which decisions the user may make (the server's rule, may-decide.ts): the console passes
   * it, and a decision button the rule refuses is not shown.
   */
  mayDecide?: MayDecide;
  drill(scope: string): void;
  /** The name of a scope's place from /api/v1/geo (the id when unknown). */
  placeName(scope: string): string;
  /** The scope's children as /api/v1/geo knows them (for pages without a per-child table). */
  childScopes: readonly { scope: string; name: string }[];
  /** The term the server answered with, so the term picker shows it when none is picked. */
  onTerm(term: string): void;
  /**
   * Moves the console's day (`?date=`; null: the server's today): the timetables' week and the
   * day views' navigation. Absent outside the console: no navigation is offered.
   */
  onDate?(date: string | null): void;
}
