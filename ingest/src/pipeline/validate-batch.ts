import { toRow, validateEvent, type RejectCode, type RowFor, type ValidationLimits } from '@edu/analytics';
import { encodeRows, type EncodedRows } from './encoded.ts';

// One partition's batch of Kafka messages, validated and encoded in one call: the unit of work
// a validation worker thread does (or the main thread, with EDU_INGEST_WORKERS=0). Input and output
// are plain data so they cross a thread boundary cheaply: the messages packed into one byte
// array, the rows as JSONEachRow text, the bad messages by index (the caller still holds their
// bytes, key and offset for the dead letter).

export interface BatchInput {
  /** The contract topic the messages arrived on (without a deployment's prefix). */
  topic: string;
  /** The clock at receipt: the ts range check and every row's ingested_ms. */
  now: number;
  /** The messages' bytes back to back; message i is data[ends[i-1] ?? 0 .. ends[i]). */
  data: Uint8Array;
  ends: Uint32Array;
}

export interface Rejection {
  index: number;
  code: RejectCode;
  reason: string;
}

export interface BatchOutput {
  encoded: EncodedRows;
  rejected: Rejection[];
}

export function packMessages(topic: string, now: number, values: readonly (Uint8Array | null)[]): BatchInput {
  let total = 0;
  for (const v of values) total += v?.byteLength ?? 0;
  // A buffer of its own (not a slice of kafkajs' fetch response), so only these bytes cross.
  const data = new Uint8Array(total);
  const ends = new Uint32Array(values.length);
  let at = 0;
  values.forEach((v, i) => {
    if (v) data.set(v, at);
    at += v?.byteLength ?? 0;
    ends[i] = at;
  });
  return { topic, now, data, ends };
}

export function validateBatch(input: BatchInput, limits: ValidationLimits): BatchOutput {
  const rows: RowFor[] = [];
  const rejected: Rejection[] = [];
  let start = 0;
  for (let i = 0; i < input.ends.length; i++) {
    const end = input.ends[i] as number;
    const v = validateEvent(input.data.subarray(start, end), input.topic, input.now, limits);
    start = end;
    if (v.ok) rows.push(toRow(v.event, input.now, v.tsMs));
    else rejected.push({ index: i, code: v.code, reason: v.reason });
  }
  return { encoded: encodeRows(rows), rejected };
}
