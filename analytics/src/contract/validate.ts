import type { InboundEvent, InboundType } from './events.ts';
import { SCHEMA_OF_TYPE } from './schemas.ts';
import { TOPIC_OF_TYPE, TYPES_WITHOUT_SCHOOL } from './topics.ts';

// Validation is a pure function from the bytes a source sent to either a typed event or a
// reason it is bad input. It never throws: callers dead-letter the reason and carry on.

export type RejectCode =
  'oversize' | 'invalid_json' | 'not_an_object' | 'unknown_type' | 'wrong_topic' | 'invalid_fields' | 'ts_out_of_range';

export type Validated =
  | { ok: true; event: InboundEvent; /** `ts` as epoch ms, parsed once here. */ tsMs: number }
  | { ok: false; code: RejectCode; reason: string };

export interface ValidationLimits {
  /** Largest accepted message, in bytes. */
  maxEventBytes: number;
  /** How far behind the clock `ts` may be (replays of a past term are legitimate). */
  maxPastMs: number;
  /** How far ahead of the clock `ts` may be (device clocks drift a little, never days). */
  maxFutureMs: number;
}

export const DEFAULT_LIMITS: ValidationLimits = {
  maxEventBytes: 128 * 1024,
  maxPastMs: 400 * 24 * 3600_000,
  maxFutureMs: 3600_000,
};

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Validates one message. `topic` is the Kafka topic it arrived on, or undefined for the HTTP
 * intake, where the type alone decides the topic.
 */
export function validateEvent(
  raw: Uint8Array | string,
  topic: string | undefined,
  now: number,
  limits: ValidationLimits = DEFAULT_LIMITS,
): Validated {
  const tooBig = checkSize(typeof raw === 'string' ? Buffer.byteLength(raw) : raw.byteLength, limits);
  if (tooBig) return tooBig;
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : decoder.decode(raw));
  } catch (err) {
    return reject('invalid_json', `not UTF-8 JSON: ${(err as Error).message}`);
  }
  return validateValue(value, topic, now, limits);
}

/** The size rule, for intakes that measure an event themselves (an item of an HTTP array). */
export function checkSize(bytes: number, limits: ValidationLimits = DEFAULT_LIMITS): Validated | undefined {
  if (bytes <= limits.maxEventBytes) return undefined;
  return reject('oversize', `message is ${bytes} bytes, over the ${limits.maxEventBytes} byte limit`);
}

/** Validates an already parsed value (the HTTP intake parses the array once). */
export function validateValue(
  value: unknown,
  topic: string | undefined,
  now: number,
  limits: ValidationLimits = DEFAULT_LIMITS,
): Validated {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject('not_an_object', 'an event must be a JSON object');
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(TOPIC_OF_TYPE, type)) {
    return reject('unknown_type', `unknown event type ${JSON.stringify(type)}`);
  }
  const expectedTopic = TOPIC_OF_TYPE[type as InboundType];
  if (topic !== undefined && topic !== expectedTopic) {
    return reject('wrong_topic', `type ${type} belongs on ${expectedTopic}, not ${topic}`);
  }
  const parsed = SCHEMA_OF_TYPE[type as InboundType].safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`)
      .join('; ');
    return reject('invalid_fields', `${type}: ${issues}`);
  }
  const event = parsed.data as InboundEvent;
  const ts = Date.parse(event.ts);
  if (ts < now - limits.maxPastMs || ts > now + limits.maxFutureMs) {
    return reject('ts_out_of_range', `ts ${event.ts} is too far from the current time`);
  }
  return { ok: true, event, tsMs: ts };
}

/**
 * The Kafka key of an event: its school, or for school-less registry types the entity, and
 * for a rectification event that concerns no school its notice.
 */
export function eventKey(event: InboundEvent): string {
  if (event.type === 'notice_received' || event.type === 'rectification_submitted') {
    return event.school_id ?? event.notice_id;
  }
  if (TYPES_WITHOUT_SCHOOL.has(event.type) || !('school_id' in event)) {
    return (event as { entity_id: string }).entity_id;
  }
  return event.school_id;
}

function reject(code: RejectCode, reason: string): Validated {
  return { ok: false, code, reason };
}
