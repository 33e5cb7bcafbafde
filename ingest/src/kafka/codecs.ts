// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- packages that compile this file from its source (deploy, screen/e2e) must see the declarations too
/// <reference path="./codec-modules.d.ts" />
import { decompress as zstdDecompress } from 'fzstd';
import kafkajs from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';
import * as lz4 from 'lz4js';
import { guardCodec } from './undecodable.ts';

// School systems may compress their batches with any codec Kafka has, and Java producers are
// often set to lz4 or zstd. kafkajs reads gzip on its own; snappy, lz4 and zstd are registered
// here, all in plain JavaScript, so no machine needs a native build. lz4 and zstd are read only:
// we never produce them (lz4js writes frames whose blocks may depend on each other, which the
// broker refuses), and a producer asking for them gets an error that says so.
// (From the default export: Node's ESM loader does not see these as named exports.)

const readOnly = (name: string, decompress: (b: Buffer) => Uint8Array) => () => ({
  async compress(): Promise<Buffer> {
    throw new Error(`${name} compression is not supported for producing; use gzip or snappy`);
  },
  async decompress(buffer: Buffer): Promise<Buffer> {
    return Buffer.from(decompress(buffer));
  },
});

// Every codec, kafkajs's own gzip too, is guarded: once the ingest consumer turns skipping on,
// a batch one of them cannot decode is handed on as markers the consumer skips and
// dead-letters, instead of failing the fetch for good (undecodable.ts).
const { CompressionCodecs: codecs, CompressionTypes: types } = kafkajs;
codecs[types.GZIP] = guardCodec(types.GZIP, 'gzip', codecs[types.GZIP]);
codecs[types.Snappy] = guardCodec(types.Snappy, 'snappy', SnappyCodec);
codecs[types.LZ4] = guardCodec(types.LZ4, 'lz4', readOnly('lz4', lz4.decompress));
codecs[types.ZSTD] = guardCodec(types.ZSTD, 'zstd', readOnly('zstd', zstdDecompress));
