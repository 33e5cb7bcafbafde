// Event contract v1: the TypeScript shape of every event a school-side system may send.
// This is the single source of truth; `schemas.ts` ties a zod schema to each type with
// `satisfies`, and the JSON Schema files in `analytics/schema/` are generated from those.

/** RFC 3339 timestamp with an explicit offset, as sent by the source. */
export type Rfc3339 = string;
/** An integer amount of fen (分). */
export type Fen = number;
/** `2026-autumn` / `2027-spring`. */
export type Term = `${number}-${'autumn' | 'spring'}`;

export interface Envelope<T extends string> {
  id: string;
  type: T;
  ts: Rfc3339;
}
interface SchoolEnvelope<T extends string> extends Envelope<T> {
  school_id: string;
}

// --- edu.registry.v1: master data, upserts where the latest `ts` for an entity wins ---
export interface DistrictEvent extends Envelope<'district'> {
  entity_id: string;
  name: string;
}
export interface ZoneEvent extends Envelope<'zone'> {
  entity_id: string;
  name: string;
  district_id: string;
}
export type SchoolStage = 'primary' | 'junior' | 'nine_year';
export interface SchoolEvent extends SchoolEnvelope<'school'> {
  entity_id: string;
  name: string;
  zone_id: string;
  district_id: string;
  stage: SchoolStage;
  students: number;
}
export type ProviderChannel = 'bid' | 'recommended' | 'self';
export interface ProviderEvent extends Envelope<'provider'> {
  entity_id: string;
  name: string;
  channel: ProviderChannel;
  qualified: boolean;
}
export interface OperatorEvent extends SchoolEnvelope<'operator'> {
  entity_id: string;
  name: string;
}
export type TeacherCertificate = 'teacher' | 'coach' | 'skill' | 'none';
export interface TeacherEvent extends SchoolEnvelope<'teacher'> {
  entity_id: string;
  name: string;
  /** The teacher belongs to a provider (external) when set; otherwise to `school_id`. */
  provider_id?: string;
  certificate: TeacherCertificate;
}
export type CourseKind = 'school' | 'external';
export type CourseCategory = 'sports' | 'arts' | 'science' | 'reading' | 'labor' | 'homework' | 'other';
export interface CourseEvent extends SchoolEnvelope<'course'> {
  entity_id: string;
  name: string;
  kind: CourseKind;
  category: CourseCategory;
  provider_id?: string;
}
export interface StudentEvent extends SchoolEnvelope<'student'> {
  entity_id: string;
  grade: number;
  class_name: string;
  name: string;
}
export type RegistryEvent =
  DistrictEvent | ZoneEvent | SchoolEvent | ProviderEvent | OperatorEvent | TeacherEvent | CourseEvent | StudentEvent;

// --- edu.course.v1 ---
export interface OfferingSubmittedEvent extends SchoolEnvelope<'offering_submitted'> {
  offering_id: string;
  term: Term;
  course_id: string;
  teacher_ids: string[];
  capacity: number;
  fee_per_student: Fen;
  weekly_sessions: number;
  description: string;
}

// --- edu.schedule.v1 ---
interface SessionFields {
  session_id: string;
  offering_id: string;
  course_id: string;
  teacher_id: string;
  room: string;
  planned_start: Rfc3339;
  planned_end: Rfc3339;
}
export interface SessionScheduledEvent extends SchoolEnvelope<'session_scheduled'>, SessionFields {}
export interface SessionCancelledEvent extends SchoolEnvelope<'session_cancelled'>, SessionFields {}

// --- edu.enrollment.v1 ---
interface EnrollmentFields {
  student_id: string;
  offering_id: string;
  fee: Fen;
}
export interface EnrolledEvent extends SchoolEnvelope<'enrolled'>, EnrollmentFields {}
export interface WithdrawnEvent extends SchoolEnvelope<'withdrawn'>, EnrollmentFields {}

// --- edu.class.v1 ---
export interface ClassStartedEvent extends SchoolEnvelope<'class_started'> {
  session_id: string;
  teacher_id: string;
}
export interface ClassEndedEvent extends SchoolEnvelope<'class_ended'> {
  session_id: string;
  teacher_id: string;
}
export interface StudentReport {
  student_id: string;
  /** 1–5 */
  performance: number;
  note: string;
}
export interface ClassReportEvent extends SchoolEnvelope<'class_report'> {
  session_id: string;
  summary: string;
  students: StudentReport[];
}
/**
 * (v1.1) 教师备课: the teacher has prepared the session. A session is *prepared* when it has
 * one with `ts` before its `planned_start`.
 */
export interface LessonPreparedEvent extends SchoolEnvelope<'lesson_prepared'> {
  session_id: string;
  teacher_id: string;
  title: string;
  plan_url?: string;
}

// --- edu.checkin.v1 ---
export type CheckinPerson = 'student' | 'teacher';
export type CheckinMethod = 'face' | 'card' | 'manual';
interface CheckinFields {
  session_id: string;
  person: CheckinPerson;
  person_id: string;
  method: CheckinMethod;
}
export interface CheckinEvent extends SchoolEnvelope<'checkin'>, CheckinFields {}
export interface CheckoutEvent extends SchoolEnvelope<'checkout'>, CheckinFields {}

// --- edu.settlement.v1 ---
export interface SettledEvent extends SchoolEnvelope<'settled'> {
  settlement_id: string;
  offering_id: string;
  /** Absent for school-run courses. */
  provider_id?: string;
  amount: Fen;
  /** `2026-11` */
  period: string;
}

// --- edu.feedback.v1 ---
export type FeedbackFrom = 'school' | 'teacher' | 'parent';
export type FeedbackTarget = 'course' | 'teacher' | 'provider' | 'operator';
export interface FeedbackEvent extends SchoolEnvelope<'feedback'> {
  from: FeedbackFrom;
  target: FeedbackTarget;
  target_id: string;
  /** 1–5 */
  score: number;
  comment: string;
}

// --- edu.material.v1 ---
export type MaterialKind = 'implementation_plan' | 'bid_notice' | 'meeting_minutes' | 'safety_plan';
export interface MaterialPublishedEvent extends SchoolEnvelope<'material_published'> {
  material_id: string;
  term: Term;
  kind: MaterialKind;
  title: string;
  file_url: string;
}

// --- edu.budget.v1 ---
export interface BudgetItem {
  category: 'course' | 'other';
  course_id?: string;
  name: string;
  amount: Fen;
}
export interface BudgetSubmittedEvent extends SchoolEnvelope<'budget_submitted'> {
  budget_id: string;
  term: Term;
  items: BudgetItem[];
}

// --- (v1.1) edu.rectification.v1: the school's side of 督办 ---
// `school_id` is the notice's target school; for a notice to a provider or an operator, the
// school it concerned, or absent when none.
export interface NoticeReceivedEvent extends Envelope<'notice_received'> {
  school_id?: string;
  notice_id: string;
  receiver_id: string;
}
export interface RectificationAttachment {
  name: string;
  url: string;
}
export interface RectificationSubmittedEvent extends Envelope<'rectification_submitted'> {
  school_id?: string;
  notice_id: string;
  /** Idempotency key of the submission: the same submission delivered twice counts once. */
  submission_id: string;
  content: string;
  attachments: RectificationAttachment[];
}
export type RectificationEvent = NoticeReceivedEvent | RectificationSubmittedEvent;

/** Every inbound event. */
export type InboundEvent =
  | RegistryEvent
  | OfferingSubmittedEvent
  | SessionScheduledEvent
  | SessionCancelledEvent
  | EnrolledEvent
  | WithdrawnEvent
  | ClassStartedEvent
  | ClassEndedEvent
  | ClassReportEvent
  | LessonPreparedEvent
  | CheckinEvent
  | CheckoutEvent
  | SettledEvent
  | FeedbackEvent
  | MaterialPublishedEvent
  | BudgetSubmittedEvent
  | RectificationEvent;

export type InboundType = InboundEvent['type'];
export type EventOf<T extends InboundType> = Extract<InboundEvent, { type: T }>;
