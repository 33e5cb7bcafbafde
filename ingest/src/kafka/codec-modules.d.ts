// The two codec packages ship no types; only what codecs.ts uses is declared.
declare module 'kafkajs-snappy' {
  import type { Codec } from 'kafkajs';
  const SnappyCodec: () => ReturnType<Codec>;
  export default SnappyCodec;
}

declare module 'lz4js' {
  /** The bytes of one LZ4 frame (the format Kafka's lz4 codec uses). */
  export function decompress(src: Uint8Array): Uint8Array;
}
