import { randomBytes } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import type { IngestDeadLetter } from '../pipeline/dead-letters.ts';

// A record batch whose compressed bytes cannot be decoded (damaged on disk or in transit, or
// written by a producer whose codec this reader cannot follow) makes kafkajs fail the whole
// fetch response that holds it: the codec throws inside the response decoder, the runner
// retries the same fetch, crashes, restarts the consumer and fetches the same offset again,
// forever. Every partition of that broker stops, not only the one with the bad batch, and the
// error names neither topic, partition nor offset.
//
// So the decoding is guarded where it fails: in the codec. kafkajs hands the codec the
// compressed records of one batch as a view into the fetch response, so the 61 bytes of the
// batch header lie just before them (base offset, length, magic, CRC, attributes, last offset
// delta, ..., record count). When a codec throws, or what it returns is not the record count
// the header announces (well-formed records with offsets inside the batch), the guard returns
// instead as many marker records as the header announces: the last one, at the batch's last
// offset, carries the whole batch as it is in the log and why it was undecodable. The fetch
// then succeeds, the consumer receives the markers with their topic, partition and offsets,
// and writes one dead letter for the batch and commits past it, in order with the rest
// (consumer.ts). Markers carry a random token of this process in a header: no producer can
// forge one.
//
// Only a failure to decode bytes that were received counts. The guard is never reached by a
// broker, network or ClickHouse error, and a codec running out of memory is rethrown (kafkajs
// retries it as before). If the header cannot be found and checked, the error is rethrown too:
// nothing is ever skipped on a guess.

/** Bytes of a v2 record batch header up to and including the record count. */
const HEADER_BYTES = 61;
const LENGTH_AT = 8;
const MAGIC_AT = 16;
const CRC_AT = 17;
const ATTRIBUTES_AT = 21;
const LAST_OFFSET_DELTA_AT = 23;
const RECORD_COUNT_AT = 57;
/** The batch length counts from the leader epoch on: 49 header bytes, then the records. */
const LENGTH_OVERHEAD = HEADER_BYTES - 12;
const CODEC_MASK = 0x07;
/** Beyond this many records the header itself is not believed (markers would not fit memory). */
const MAX_RECORDS = 1_000_000;

const MARKER_HEADER = 'x-edu-undecodable';
const INFO_HEADER = 'x-edu-undecodable-batch';

// One switch and one token per process, even if this module is evaluated more than once (test
// runners load it per file while kafkajs and its codec table stay shared).
const state: { skipping: boolean; token: Buffer } = ((globalThis as Record<symbol, unknown>)[
  Symbol.for('edu.ingest.undecodable')
] ??= { skipping: false, token: randomBytes(16) }) as { skipping: boolean; token: Buffer };
const TOKEN = state.token;
const GUARDED = Symbol.for('edu.ingest.undecodable.guarded');

/** What the guard learnt about one skipped batch. */
export interface UndecodableBatch {
  baseOffset: string;
  lastOffset: string;
  /** Records the header announces. */
  records: number;
  codec: string;
  /** Why it could not be decoded. */
  error: string;
  /** The header's CRC over the batch: true if the bytes are as their producer wrote them. */
  crcOk: boolean;
}

/**
 * Turns the guard on for this process (the ingest consumer does, on start). Off, the codecs
 * behave exactly as kafkajs's: a batch that cannot be decoded fails the fetch.
 */
export function skipUndecodableBatches(on = true): void {
  state.skipping = on;
}

interface Codec {
  compress(encoder: unknown): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

/** Wraps a kafkajs codec factory so that the batches it cannot decode become markers. */
export function guardCodec(type: number, name: string, factory: () => Codec): () => Codec {
  if ((factory as { [GUARDED]?: true })[GUARDED]) return factory;
  const guarded = (): Codec => {
    const inner = factory();
    return {
      compress: (encoder) => inner.compress(encoder),
      async decompress(compressed) {
        if (!state.skipping) return inner.decompress(compressed);
        let out: Buffer | undefined;
        let failure: unknown;
        try {
          out = await inner.decompress(compressed);
        } catch (err) {
          if (outOfMemory(err)) throw err;
          failure = err;
        }
        const header = batchHeader(compressed, type);
        if (!header) {
          if (failure !== undefined) throw failure;
          return out!;
        }
        const why =
          failure !== undefined
            ? `${name} decompression failed: ${(failure as Error)?.message ?? String(failure)}`
            : recordsProblem(out!, header.records, header.lastOffsetDelta);
        if (why === undefined) return out!;
        // Only now, off the path of every good batch: the CRC, and a copy of the batch.
        const bytes = Buffer.from(header.view);
        return markers(header, bytes, {
          baseOffset: header.baseOffset.toString(),
          lastOffset: (header.baseOffset + BigInt(header.lastOffsetDelta)).toString(),
          records: header.records,
          codec: name,
          error: why,
          crcOk: crc32c(bytes, ATTRIBUTES_AT) === bytes.readUInt32BE(CRC_AT),
        });
      },
    };
  };
  return Object.assign(guarded, { [GUARDED]: true as const });
}

function outOfMemory(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  return (
    e?.code === 'ERR_MEMORY_ALLOCATION_FAILED' ||
    e?.code === 'Z_MEM_ERROR' ||
    (typeof e?.message === 'string' && /allocation failed|out of memory/i.test(e.message))
  );
}

interface BatchHeader {
  baseOffset: bigint;
  lastOffsetDelta: number;
  records: number;
  /** The whole batch, a view into the fetch response. */
  view: Buffer;
}

/**
 * The header of the batch whose compressed records `compressed` is, read from the bytes just
 * before it in the fetch response; undefined unless every field agrees with it.
 */
export function batchHeader(compressed: Buffer, type: number): BatchHeader | undefined {
  if (compressed.byteOffset < HEADER_BYTES) return undefined;
  const view = Buffer.from(compressed.buffer, compressed.byteOffset - HEADER_BYTES, HEADER_BYTES + compressed.length);
  if (view.readInt32BE(LENGTH_AT) !== LENGTH_OVERHEAD + compressed.length) return undefined;
  if (view.readInt8(MAGIC_AT) !== 2) return undefined;
  if ((view.readInt16BE(ATTRIBUTES_AT) & CODEC_MASK) !== type) return undefined;
  const lastOffsetDelta = view.readInt32BE(LAST_OFFSET_DELTA_AT);
  const records = view.readInt32BE(RECORD_COUNT_AT);
  if (records < 1 || records > MAX_RECORDS || lastOffsetDelta < records - 1) return undefined;
  return {
    baseOffset: view.readBigInt64BE(0),
    lastOffsetDelta,
    records,
    view,
  };
}

/**
 * Why `buf` is not `count` well-formed records whose offsets lie in the batch (the form Kafka
 * writes: DefaultRecord), or undefined if it is. kafkajs's own decoder reads past ends and
 * invents values where this one stops. It runs on every compressed batch: a plain loop.
 */
export function recordsProblem(buf: Buffer, count: number, lastOffsetDelta: number): string | undefined {
  const r = new RecordWalk(buf);
  let previous = -1;
  for (let i = 0; i < count; i++) {
    r.end = buf.length;
    const size = r.varint();
    if (size < 1 || r.pos + size > r.end)
      return problem(count, `record ${i} of ${size} bytes where ${r.end - r.pos} remain`);
    r.end = r.pos + size;
    r.pos += 1; // attributes
    r.skipVarlong(); // timestamp delta
    const delta = r.varint();
    if (r.broken) return problem(count, `record ${i} is cut short`);
    if (delta <= previous || delta > lastOffsetDelta)
      return problem(
        count,
        `record ${i} has offset delta ${delta}, outside the batch (after ${previous}, up to ${lastOffsetDelta})`,
      );
    previous = delta;
    r.skipBytes(true); // key
    r.skipBytes(true); // value
    const headers = r.varint();
    for (let h = 0; h < headers && !r.broken; h++) {
      r.skipBytes(false);
      r.skipBytes(true);
    }
    if (r.broken || headers < 0) return problem(count, `record ${i} is cut short or has a negative length`);
    if (r.pos !== r.end) return problem(count, `record ${i} ends ${r.end - r.pos} bytes before its length says`);
  }
  return undefined;
}

const problem = (count: number, what: string) =>
  `decompressed to something other than the ${count} records its header announces: ${what}`;

class RecordWalk {
  pos = 0;
  end: number;
  /** Set once a read went past `end` or a length was impossible; reads then return 0. */
  broken = false;
  constructor(private readonly buf: Buffer) {
    this.end = buf.length;
  }
  /** A zigzag varint of at most 5 bytes. */
  varint(): number {
    let raw = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) break;
      const b = this.buf[this.pos++]!;
      raw += (b & 0x7f) * scale;
      if (b < 0x80) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
      scale *= 128;
    }
    this.broken = true;
    return 0;
  }
  skipVarlong(): void {
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) break;
      if (this.buf[this.pos++]! < 0x80) return;
    }
    this.broken = true;
  }
  skipBytes(nullable: boolean): void {
    const n = this.varint();
    if (n === -1 && nullable) return;
    if (n < 0 || this.pos + n > this.end) this.broken = true;
    else this.pos += n;
  }
}

/** The header's count of marker records in the form kafkajs decodes; the last carries `bytes` and `info`. */
function markers(header: BatchHeader, bytes: Buffer, info: UndecodableBatch): Buffer {
  // attributes 0, timestamp delta 0, offset delta i, key and value null, the token header.
  const rest = Buffer.concat([varintBytes(-1), varintBytes(-1), varintBytes(1), headerBytes(MARKER_HEADER, TOKEN)]);
  const parts: Buffer[] = [];
  for (let i = 0; i < header.records - 1; i++) {
    const body = Buffer.concat([Buffer.from([0, 0]), varintBytes(i), rest]);
    parts.push(varintBytes(body.length), body);
  }
  const infoJson = Buffer.from(JSON.stringify(info));
  const last = Buffer.concat([
    Buffer.from([0, 0]),
    varintBytes(header.lastOffsetDelta),
    varintBytes(-1), // key
    varintBytes(bytes.length),
    bytes,
    varintBytes(2),
    headerBytes(MARKER_HEADER, TOKEN),
    headerBytes(INFO_HEADER, infoJson),
  ]);
  parts.push(varintBytes(last.length), last);
  return Buffer.concat(parts);
}

function headerBytes(key: string, value: Buffer): Buffer {
  const k = Buffer.from(key);
  return Buffer.concat([varintBytes(k.length), k, varintBytes(value.length), value]);
}

function varintBytes(n: number): Buffer {
  let v = n >= 0 ? n * 2 : -n * 2 - 1; // zigzag
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Buffer.from(out);
}

/** True for a marker the guard of this process made (a message to skip, not to validate). */
export function isUndecodableMarker(m: KafkaMessage): boolean {
  const h = m.headers?.[MARKER_HEADER];
  return Buffer.isBuffer(h) && h.equals(TOKEN);
}

/** The skipped batch a marker stands for, on the one marker (the last) that carries it. */
export function undecodableBatchOf(m: KafkaMessage): SkippedBatch | undefined {
  if (!isUndecodableMarker(m)) return undefined;
  const info = m.headers?.[INFO_HEADER];
  if (!Buffer.isBuffer(info)) return undefined;
  return { ...(JSON.parse(info.toString()) as UndecodableBatch), bytes: m.value ?? Buffer.alloc(0) };
}

export type SkippedBatch = UndecodableBatch & { bytes: Buffer };

/** Batches larger than this are described in the dead letter, not copied into it. */
const MAX_KEPT_BYTES = 1_000_000;

/**
 * The dead letter of a skipped batch: the whole batch as it is in the log (header, CRC and
 * compressed records: enough to inspect it, or to repair and replay it), or, above 1 MB, a
 * JSON description of it; its first and last offsets; the reason.
 */
export function undecodableDeadLetter(
  topic: string,
  partition: number,
  b: SkippedBatch,
  receivedAt: string,
): IngestDeadLetter & { reason: string } {
  const crc = b.crcOk
    ? 'its CRC matches: its producer wrote it so, in a form this reader cannot decode'
    : 'its CRC does not match: it was damaged after its producer wrote it';
  const kept = b.bytes.length <= MAX_KEPT_BYTES;
  const reason =
    `record batch at offsets ${b.baseOffset}..${b.lastOffset} (${b.records} records, ${b.codec}, ` +
    `${b.bytes.length} bytes) skipped: ${b.error}; ${crc}` +
    (kept ? '' : '; the batch is too large to keep, the value describes it');
  const { bytes, ...described } = b;
  return {
    source: 'kafka',
    topic,
    partition,
    offset: b.baseOffset,
    lastOffset: b.lastOffset,
    key: null,
    code: 'undecodable_batch',
    reason,
    original: kept ? bytes : Buffer.from(JSON.stringify({ topic, partition, ...described, bytes: bytes.length })),
    receivedAt,
  };
}

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC-32C (Castagnoli) of `buf` from `from` on: the checksum of a v2 record batch. */
export function crc32c(buf: Buffer, from = 0): number {
  let c = 0xffffffff;
  for (let i = from; i < buf.length; i++) c = CRC32C_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
