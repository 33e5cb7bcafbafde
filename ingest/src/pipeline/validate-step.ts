import {
  checkSize,
  toRow,
  validateValue,
  type DeadLetter,
  type InboundEvent,
  type RowFor,
  type ValidationLimits,
} from '@edu/analytics';

// The processing step of the intakes that receive parsed JSON (HTTP, in-process): one event
// in, a value out — a row to store or a dead letter — never an exception. (Kafka batches go
// through validate-batch.ts, with the same rules.)

export interface MessageSource {
  source: 'kafka' | 'http';
  topic?: string;
  partition?: number;
  offset?: string;
  key?: Buffer | null;
}

export type StepResult = { kind: 'row'; row: RowFor; event: InboundEvent } | { kind: 'dead'; letter: DeadLetter };

/** For intakes that already parsed JSON (HTTP arrays, the in-process simulator). */
export function createValueStep(limits: ValidationLimits, clock: () => number = Date.now) {
  return function validateParsed(value: unknown, from: MessageSource, original?: Buffer): StepResult {
    const now = clock();
    // The same size limit as a Kafka message, measured on the event's own JSON (which is also
    // what a dead letter keeps when the intake has no original bytes).
    const json = original ? undefined : (JSON.stringify(value) ?? 'undefined');
    const bytes = original?.byteLength ?? Buffer.byteLength(json ?? '');
    const v = checkSize(bytes, limits) ?? validateValue(value, from.topic, now, limits);
    if (v.ok) return { kind: 'row', row: toRow(v.event, now, v.tsMs), event: v.event };
    return {
      kind: 'dead',
      letter: {
        ...from,
        code: v.code,
        reason: v.reason,
        original: original ?? Buffer.from(json ?? ''),
        receivedAt: new Date(now).toISOString(),
      },
    };
  };
}
