import type { InboundType } from './events.ts';

// Topic names are part of the public contract: a breaking change is a new `.v2` topic.

export const INBOUND_TOPICS = {
  registry: 'edu.registry.v1',
  course: 'edu.course.v1',
  schedule: 'edu.schedule.v1',
  enrollment: 'edu.enrollment.v1',
  class: 'edu.class.v1',
  checkin: 'edu.checkin.v1',
  settlement: 'edu.settlement.v1',
  feedback: 'edu.feedback.v1',
  material: 'edu.material.v1',
  budget: 'edu.budget.v1',
  rectification: 'edu.rectification.v1',
} as const;

export type InboundTopic = (typeof INBOUND_TOPICS)[keyof typeof INBOUND_TOPICS];

export const SUPERVISION_TOPIC = 'edu.supervision.v1';
export const DEADLETTER_TOPIC = 'edu.deadletter.v1';

export const ALL_TOPICS: readonly string[] = [...Object.values(INBOUND_TOPICS), SUPERVISION_TOPIC, DEADLETTER_TOPIC];

/** The topic each event type belongs on; an event on another topic is bad input. */
export const TOPIC_OF_TYPE: Record<InboundType, InboundTopic> = {
  district: INBOUND_TOPICS.registry,
  zone: INBOUND_TOPICS.registry,
  school: INBOUND_TOPICS.registry,
  provider: INBOUND_TOPICS.registry,
  operator: INBOUND_TOPICS.registry,
  teacher: INBOUND_TOPICS.registry,
  course: INBOUND_TOPICS.registry,
  student: INBOUND_TOPICS.registry,
  offering_submitted: INBOUND_TOPICS.course,
  session_scheduled: INBOUND_TOPICS.schedule,
  session_cancelled: INBOUND_TOPICS.schedule,
  enrolled: INBOUND_TOPICS.enrollment,
  withdrawn: INBOUND_TOPICS.enrollment,
  class_started: INBOUND_TOPICS.class,
  class_ended: INBOUND_TOPICS.class,
  class_report: INBOUND_TOPICS.class,
  lesson_prepared: INBOUND_TOPICS.class,
  checkin: INBOUND_TOPICS.checkin,
  checkout: INBOUND_TOPICS.checkin,
  settled: INBOUND_TOPICS.settlement,
  feedback: INBOUND_TOPICS.feedback,
  material_published: INBOUND_TOPICS.material,
  budget_submitted: INBOUND_TOPICS.budget,
  notice_received: INBOUND_TOPICS.rectification,
  rectification_submitted: INBOUND_TOPICS.rectification,
};

export const INBOUND_TYPES = Object.keys(TOPIC_OF_TYPE) as InboundType[];

/** Types that carry no `school_id`; their Kafka key is the entity id. */
export const TYPES_WITHOUT_SCHOOL: ReadonlySet<InboundType> = new Set(['district', 'zone', 'provider']);
