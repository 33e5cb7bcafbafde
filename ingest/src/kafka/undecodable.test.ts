import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import kafkajs, { type KafkaMessage } from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';
import * as lz4 from 'lz4js';
import { afterEach, describe, expect, it } from 'vitest';
import './codecs.ts';
import { crc32c, guardCodec, isUndecodableMarker, skipUndecodableBatches, undecodableBatchOf } from './undecodable.ts';

// The guard against kafkajs's own record batch decoder (the one its fetch uses), for every
// codec: good batches come out unchanged, undecodable ones as markers with their offsets.

const require = createRequire(import.meta.url);
const Decoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => unknown;
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  d: unknown,
) => Promise<{ records: KafkaMessage[] }>;
const { CompressionTypes: T } = kafkajs;

const zigzag = (n: number): Buffer => {
  let v = n >= 0 ? n * 2 : -n * 2 - 1;
  const out: number[] = [];
  for (; v >= 0x80; v = Math.floor(v / 0x80)) out.push((v % 0x80) | 0x80);
  return Buffer.from([...out, v]);
};

function records(values: string[]): Buffer {
  return Buffer.concat(
    values.flatMap((v, i) => {
      const value = Buffer.from(v);
      const body = Buffer.concat([Buffer.from([0, 0]), zigzag(i), zigzag(-1), zigzag(value.length), value, zigzag(0)]);
      return [zigzag(body.length), body];
    }),
  );
}

/** A v2 record batch as the broker stores it, CRC included. */
function batch(base: bigint, type: number, count: number, compressed: Buffer): Buffer {
  const h = Buffer.alloc(61);
  h.writeBigInt64BE(base, 0);
  h.writeInt32BE(49 + compressed.length, 8);
  h.writeInt8(2, 16);
  h.writeInt16BE(type, 21);
  h.writeInt32BE(count - 1, 23);
  h.writeBigInt64BE(1_700_000_000_000n, 27);
  h.writeBigInt64BE(1_700_000_000_000n, 35);
  h.writeBigInt64BE(-1n, 43);
  h.writeInt16BE(-1, 51);
  h.writeInt32BE(-1, 53);
  h.writeInt32BE(count, 57);
  const b = Buffer.concat([h, compressed]);
  b.writeUInt32BE(crc32c(b, 21), 17);
  return b;
}

/** A zstd frame of raw blocks (no compressor is installed; every decoder reads these). */
function zstdRaw(data: Buffer): Buffer {
  const h = Buffer.alloc(9);
  h.writeUInt32LE(0xfd2fb528, 0);
  h[4] = 0xa0; // single segment, 4-byte content size
  h.writeUInt32LE(data.length, 5);
  const block = Buffer.alloc(3);
  block.writeUIntLE((data.length << 3) | 1, 0, 3); // last block, raw
  return Buffer.concat([h, block, data]);
}

const codecs: [string, number, (b: Buffer) => Promise<Buffer>][] = [
  ['gzip', T.GZIP, async (b) => gzipSync(b)],
  ['snappy', T.Snappy, (b) => SnappyCodec().compress({ buffer: b })],
  // lz4js writes frames the broker refuses (codecs.ts), but reads its own.
  ['lz4', T.LZ4, async (b) => Buffer.from((lz4 as unknown as { compress(b: Uint8Array): Uint8Array }).compress(b))],
  ['zstd', T.ZSTD, async (b) => zstdRaw(b)],
];

const decode = (b: Buffer) => decodeBatch(new Decoder(b));
const values = ['{"a":1}', '{"b":2}', '{"c":3}'];

afterEach(() => skipUndecodableBatches(false));

describe.each(codecs)('the %s codec, guarded', (name, type, compress) => {
  it('decodes a good batch unchanged', async () => {
    skipUndecodableBatches();
    const good = batch(40n, type, 3, await compress(records(values)));
    const out = (await decode(good)).records;
    expect(out.map((m) => [m.offset, String(m.value)])).toEqual(values.map((v, i) => [String(40 + i), v]));
    expect(out.some(isUndecodableMarker)).toBe(false);
  });

  it('turns compressed bytes it cannot decode into markers, the last carrying the batch and why', async () => {
    skipUndecodableBatches();
    const compressed = await compress(records(values));
    const damaged = batch(40n, type, 3, Buffer.alloc(compressed.length, 0x5a));
    damaged.writeUInt32BE(0, 17); // the CRC no longer matches either
    const out = (await decode(damaged)).records;
    expect(out.map((m) => m.offset)).toEqual(['40', '41', '42']);
    expect(out.every(isUndecodableMarker)).toBe(true);
    expect(out.slice(0, 2).map(undecodableBatchOf)).toEqual([undefined, undefined]);
    const skipped = undecodableBatchOf(out[2]!)!;
    expect(skipped).toMatchObject({ baseOffset: '40', lastOffset: '42', records: 3, codec: name, crcOk: false });
    expect(skipped.error.length).toBeGreaterThan(10);
    expect(skipped.bytes.equals(damaged)).toBe(true);
  });

  it('treats bytes that decompress to something else than the records announced as undecodable', async () => {
    skipUndecodableBatches();
    const other = batch(7n, type, 3, await compress(Buffer.from('not three records')));
    const [, , last] = (await decode(other)).records;
    expect(undecodableBatchOf(last!)).toMatchObject({ baseOffset: '7', lastOffset: '9', crcOk: true });
    expect(undecodableBatchOf(last!)!.error).toMatch(/other than the 3 records/);
  });

  it('fails as kafkajs does while skipping is off', async () => {
    const compressed = await compress(records(values));
    await expect(decode(batch(40n, type, 3, Buffer.alloc(compressed.length, 0x5a)))).rejects.toThrow();
  });
});

describe('the guard', () => {
  const failing = (err: Error) => () => ({
    compress: () => Promise.reject(err),
    decompress: () => Promise.reject(err),
  });

  it('rethrows a codec running out of memory: that is no reason to skip anything', async () => {
    skipUndecodableBatches();
    const codec = guardCodec(T.LZ4, 'lz4', failing(new RangeError('Array buffer allocation failed')))();
    const b = batch(0n, T.LZ4, 1, Buffer.alloc(20, 1));
    await expect(codec.decompress(b.subarray(61))).rejects.toThrow(/allocation failed/);
  });

  it('rethrows when the batch header cannot be found before the bytes', async () => {
    skipUndecodableBatches();
    const codec = guardCodec(T.LZ4, 'lz4', failing(new Error('bad frame')))();
    const b = batch(0n, T.LZ4, 1, Buffer.alloc(20, 1));
    await expect(codec.decompress(Buffer.from(b.subarray(61)))).rejects.toThrow('bad frame');
    // A header of another codec is not believed either.
    await expect(codec.decompress(batch(0n, T.ZSTD, 1, Buffer.alloc(20, 1)).subarray(61))).rejects.toThrow('bad frame');
  });

  it('is not fooled by a producer that sends the marker header itself', async () => {
    skipUndecodableBatches();
    const m = { headers: { 'x-edu-undecodable': Buffer.alloc(16) } } as unknown as KafkaMessage;
    expect(isUndecodableMarker(m)).toBe(false);
  });

  it('computes CRC-32C', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });
});
