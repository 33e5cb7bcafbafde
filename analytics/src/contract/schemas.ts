import { z } from 'zod';
import type * as E from './events.ts';
import { DECISIONS, DIMENSIONS, ROLES, TARGET_TYPES, type SupervisionEvent } from './supervision.ts';

// One zod schema per event type, each tied to its TypeScript type with `satisfies` so the two
// cannot drift. Objects are not strict: unknown extra fields are ignored (contract: forward
// compatibility) and stripped before storage.

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export const idSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1–64 chars of [A-Za-z0-9_.:-]');
/** Reference to another entity: same alphabet as event ids. */
const ref = idSchema;
const text = (max: number) => z.string().max(max);
const name = z.string().min(1).max(200);
export const rfc3339Schema = z
  .string()
  .regex(RFC3339, 'must be RFC 3339 with an offset, e.g. 2026-11-28T16:31:05.120+08:00')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'is not a real date and time');
const fen = z.number().int().min(0).max(1e12);
const count = z.number().int().min(0).max(10_000_000);
const term = z.string().regex(/^\d{4}-(autumn|spring)$/, 'must be like 2026-autumn') as z.ZodType<E.Term>;

const envelope = <T extends string>(type: T) => ({
  id: idSchema,
  type: z.literal(type),
  ts: rfc3339Schema,
});
const schoolEnvelope = <T extends string>(type: T) => ({ ...envelope(type), school_id: ref });

export const districtSchema = z.object({
  ...envelope('district'),
  entity_id: ref,
  name,
}) satisfies z.ZodType<E.DistrictEvent>;

export const zoneSchema = z.object({
  ...envelope('zone'),
  entity_id: ref,
  name,
  district_id: ref,
}) satisfies z.ZodType<E.ZoneEvent>;

export const schoolSchema = z
  .object({
    ...schoolEnvelope('school'),
    entity_id: ref,
    name,
    zone_id: ref,
    district_id: ref,
    stage: z.enum(['primary', 'junior', 'nine_year']),
    students: count,
  })
  .refine((e) => e.entity_id === e.school_id, {
    message: 'entity_id must equal school_id',
    path: ['entity_id'],
  }) satisfies z.ZodType<E.SchoolEvent>;

export const providerSchema = z.object({
  ...envelope('provider'),
  entity_id: ref,
  name,
  channel: z.enum(['bid', 'recommended', 'self']),
  qualified: z.boolean(),
}) satisfies z.ZodType<E.ProviderEvent>;

export const operatorSchema = z.object({
  ...schoolEnvelope('operator'),
  entity_id: ref,
  name,
}) satisfies z.ZodType<E.OperatorEvent>;

export const teacherSchema = z.object({
  ...schoolEnvelope('teacher'),
  entity_id: ref,
  name,
  provider_id: ref.optional(),
  certificate: z.enum(['teacher', 'coach', 'skill', 'none']),
}) satisfies z.ZodType<E.TeacherEvent>;

export const courseSchema = z
  .object({
    ...schoolEnvelope('course'),
    entity_id: ref,
    name,
    kind: z.enum(['school', 'external']),
    category: z.enum(['sports', 'arts', 'science', 'reading', 'labor', 'homework', 'other']),
    provider_id: ref.optional(),
  })
  .refine((e) => e.kind === 'school' || e.provider_id !== undefined, {
    message: 'an external course needs provider_id',
    path: ['provider_id'],
  }) satisfies z.ZodType<E.CourseEvent>;

export const studentSchema = z.object({
  ...schoolEnvelope('student'),
  entity_id: ref,
  grade: z.number().int().min(1).max(9),
  class_name: text(50),
  name,
}) satisfies z.ZodType<E.StudentEvent>;

export const offeringSubmittedSchema = z.object({
  ...schoolEnvelope('offering_submitted'),
  offering_id: ref,
  term,
  course_id: ref,
  teacher_ids: z.array(ref).max(50),
  capacity: count,
  fee_per_student: fen,
  weekly_sessions: z.number().int().min(0).max(50),
  description: text(4000),
}) satisfies z.ZodType<E.OfferingSubmittedEvent>;

const sessionFields = {
  session_id: ref,
  offering_id: ref,
  course_id: ref,
  teacher_id: ref,
  room: text(100),
  planned_start: rfc3339Schema,
  planned_end: rfc3339Schema,
};
const plannedOrder = {
  message: 'planned_end must not be before planned_start',
  path: ['planned_end'],
};
const endAfterStart = (e: { planned_start: string; planned_end: string }) =>
  Date.parse(e.planned_end) >= Date.parse(e.planned_start);

export const sessionScheduledSchema = z
  .object({ ...schoolEnvelope('session_scheduled'), ...sessionFields })
  .refine(endAfterStart, plannedOrder) satisfies z.ZodType<E.SessionScheduledEvent>;
export const sessionCancelledSchema = z
  .object({ ...schoolEnvelope('session_cancelled'), ...sessionFields })
  .refine(endAfterStart, plannedOrder) satisfies z.ZodType<E.SessionCancelledEvent>;

const enrollmentFields = { student_id: ref, offering_id: ref, fee: fen };
export const enrolledSchema = z.object({
  ...schoolEnvelope('enrolled'),
  ...enrollmentFields,
}) satisfies z.ZodType<E.EnrolledEvent>;
export const withdrawnSchema = z.object({
  ...schoolEnvelope('withdrawn'),
  ...enrollmentFields,
}) satisfies z.ZodType<E.WithdrawnEvent>;

export const classStartedSchema = z.object({
  ...schoolEnvelope('class_started'),
  session_id: ref,
  teacher_id: ref,
}) satisfies z.ZodType<E.ClassStartedEvent>;
export const classEndedSchema = z.object({
  ...schoolEnvelope('class_ended'),
  session_id: ref,
  teacher_id: ref,
}) satisfies z.ZodType<E.ClassEndedEvent>;
export const classReportSchema = z.object({
  ...schoolEnvelope('class_report'),
  session_id: ref,
  summary: text(4000),
  students: z
    .array(
      z.object({
        student_id: ref,
        performance: z.number().int().min(1).max(5),
        note: text(1000),
      }),
    )
    .max(200),
}) satisfies z.ZodType<E.ClassReportEvent>;
export const lessonPreparedSchema = z.object({
  ...schoolEnvelope('lesson_prepared'),
  session_id: ref,
  teacher_id: ref,
  title: z.string().min(1).max(500),
  plan_url: z
    .string()
    .max(2000)
    .regex(/^https?:\/\//, 'must be an http(s) URL')
    .optional(),
}) satisfies z.ZodType<E.LessonPreparedEvent>;

const checkinFields = {
  session_id: ref,
  person: z.enum(['student', 'teacher']),
  person_id: ref,
  method: z.enum(['face', 'card', 'manual']),
};
export const checkinSchema = z.object({
  ...schoolEnvelope('checkin'),
  ...checkinFields,
}) satisfies z.ZodType<E.CheckinEvent>;
export const checkoutSchema = z.object({
  ...schoolEnvelope('checkout'),
  ...checkinFields,
}) satisfies z.ZodType<E.CheckoutEvent>;

export const settledSchema = z.object({
  ...schoolEnvelope('settled'),
  settlement_id: ref,
  offering_id: ref,
  provider_id: ref.optional(),
  amount: fen,
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be like 2026-11'),
}) satisfies z.ZodType<E.SettledEvent>;

export const feedbackSchema = z.object({
  ...schoolEnvelope('feedback'),
  from: z.enum(['school', 'teacher', 'parent']),
  target: z.enum(['course', 'teacher', 'provider', 'operator']),
  target_id: ref,
  score: z.number().int().min(1).max(5),
  comment: text(4000),
}) satisfies z.ZodType<E.FeedbackEvent>;

export const materialPublishedSchema = z.object({
  ...schoolEnvelope('material_published'),
  material_id: ref,
  term,
  kind: z.enum(['implementation_plan', 'bid_notice', 'meeting_minutes', 'safety_plan']),
  title: text(500),
  file_url: z
    .string()
    .max(2000)
    .regex(/^https?:\/\//, 'must be an http(s) URL'),
}) satisfies z.ZodType<E.MaterialPublishedEvent>;

export const budgetSubmittedSchema = z.object({
  ...schoolEnvelope('budget_submitted'),
  budget_id: ref,
  term,
  items: z
    .array(
      z.object({
        category: z.enum(['course', 'other']),
        course_id: ref.optional(),
        name,
        amount: fen,
      }),
    )
    .max(500),
}) satisfies z.ZodType<E.BudgetSubmittedEvent>;

// (v1.1) edu.rectification.v1: `school_id` is optional (a notice to a provider or operator may
// concern no school).
export const noticeReceivedSchema = z.object({
  ...envelope('notice_received'),
  school_id: ref.optional(),
  notice_id: idSchema,
  receiver_id: ref,
}) satisfies z.ZodType<E.NoticeReceivedEvent>;

export const rectificationSubmittedSchema = z.object({
  ...envelope('rectification_submitted'),
  school_id: ref.optional(),
  notice_id: idSchema,
  submission_id: idSchema,
  content: text(4000),
  attachments: z
    .array(
      z.object({
        name: z.string().min(1).max(500),
        url: z
          .string()
          .max(2000)
          .regex(/^https?:\/\//, 'must be an http(s) URL'),
      }),
    )
    .max(50),
}) satisfies z.ZodType<E.RectificationSubmittedEvent>;

/** The schema of each inbound type, looked up by the envelope's `type`. */
export const SCHEMA_OF_TYPE: { [T in E.InboundType]: z.ZodType<E.EventOf<T>> } = {
  district: districtSchema,
  zone: zoneSchema,
  school: schoolSchema,
  provider: providerSchema,
  operator: operatorSchema,
  teacher: teacherSchema,
  course: courseSchema,
  student: studentSchema,
  offering_submitted: offeringSubmittedSchema,
  session_scheduled: sessionScheduledSchema,
  session_cancelled: sessionCancelledSchema,
  enrolled: enrolledSchema,
  withdrawn: withdrawnSchema,
  class_started: classStartedSchema,
  class_ended: classEndedSchema,
  class_report: classReportSchema,
  lesson_prepared: lessonPreparedSchema,
  checkin: checkinSchema,
  checkout: checkoutSchema,
  settled: settledSchema,
  feedback: feedbackSchema,
  material_published: materialPublishedSchema,
  budget_submitted: budgetSubmittedSchema,
  notice_received: noticeReceivedSchema,
  rectification_submitted: rectificationSubmittedSchema,
};

export const supervisionSchema = z.object({
  type: z.enum(['notice_issued', 'decision']),
  notice_id: idSchema,
  ts: rfc3339Schema,
  issuer_id: ref,
  issuer_role: z.enum(ROLES),
  target_type: z.enum(TARGET_TYPES),
  target_id: ref,
  dimension: z.enum(DIMENSIONS),
  subject_id: ref,
  decision: z.enum(DECISIONS),
  content: z.string().min(1).max(4000),
  deadline: rfc3339Schema.optional(),
}) satisfies z.ZodType<SupervisionEvent>;
