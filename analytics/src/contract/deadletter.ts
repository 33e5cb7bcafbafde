import type { RejectCode } from './validate.ts';

// A dead-lettered message keeps the original bytes verbatim as its value (even when they are
// not UTF-8), and says where it came from and why in headers, as Kafka Connect's DLQ does.
// Replaying a fixed message is then "take the value, send it back to x-dlq-topic".

export const DLQ_HEADERS = {
  code: 'x-dlq-code',
  reason: 'x-dlq-reason',
  source: 'x-dlq-source',
  topic: 'x-dlq-topic',
  partition: 'x-dlq-partition',
  offset: 'x-dlq-offset',
  /** undecodable_batch: the skipped batch's last offset (`offset` is its first). */
  lastOffset: 'x-dlq-last-offset',
  receivedAt: 'x-dlq-received-at',
} as const;

export interface DeadLetter {
  /**
   * forbidden_school: a valid event its source key may not post (contract v1.1 source keys).
   * undecodable_batch: a Kafka record batch whose bytes could not be decoded, skipped whole so
   * that its partition goes on; the value is the batch as it is in the log.
   */
  code: RejectCode | 'store_rejected' | 'forbidden_school' | 'undecodable_batch';
  reason: string;
  source: 'kafka' | 'http';
  /** Where the message was read from (Kafka only). */
  topic?: string;
  partition?: number;
  offset?: string;
  /** undecodable_batch only: the last offset of the skipped range. */
  lastOffset?: string;
  key?: Buffer | null;
  original: Buffer;
  receivedAt: string;
}

export function deadLetterHeaders(d: DeadLetter): Record<string, string> {
  const h: Record<string, string> = {
    [DLQ_HEADERS.code]: d.code,
    [DLQ_HEADERS.reason]: d.reason,
    [DLQ_HEADERS.source]: d.source,
    [DLQ_HEADERS.receivedAt]: d.receivedAt,
  };
  if (d.topic !== undefined) h[DLQ_HEADERS.topic] = d.topic;
  if (d.partition !== undefined) h[DLQ_HEADERS.partition] = String(d.partition);
  if (d.offset !== undefined) h[DLQ_HEADERS.offset] = d.offset;
  if (d.lastOffset !== undefined) h[DLQ_HEADERS.lastOffset] = d.lastOffset;
  return h;
}
