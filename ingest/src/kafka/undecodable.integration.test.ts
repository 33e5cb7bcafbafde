import { DEADLETTER_TOPIC, DLQ_HEADERS, INBOUND_TOPICS, type Store } from '@edu/analytics';
import { disposeTestStore, openTestStore, storedIds, TEST_ENGINES } from '@edu/analytics/testing';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CompressionTypes, ConfigResourceTypes, type Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngest, type Ingest } from '../service.ts';
import { goodCheckin } from '../testing/hostile.ts';
import {
  askKafka,
  createTestTopics,
  eventually,
  readTopic,
  removeTestTopics,
  testIngestConfig,
  testKafka,
  testPrefix,
} from '../testing/kafka.ts';

// A record batch whose compressed bytes cannot be decoded, truly in the broker's log: the broker
// refuses such bytes on produce (it decompresses every batch to validate it), so a good gzip
// batch is produced and then damaged where it lies, in the partition's segment file, as a
// failing disk would. Without the guard, kafkajs fails every fetch of that broker, forever.

describe.each(TEST_ENGINES)('an undecodable record batch → %s', (engine) => {
  let kafka: Kafka;
  let store: Store;
  let ingest: Ingest | undefined;
  const logs: string[] = [];
  const prefix = testPrefix(`undecodable-${engine}`);
  const topic = prefix + INBOUND_TOPICS.checkin;

  beforeAll(async () => {
    kafka = testKafka();
    store = await openTestStore(engine, 'undecodable');
    await createTestTopics(kafka, prefix);
  });
  afterAll(async () => {
    await ingest?.stop();
    if (store) await disposeTestStore(store);
    if (kafka) await removeTestTopics(kafka, prefix);
  });

  it('skips it, dead-letters its offset range and reason, counts it, and stores the messages around it', async () => {
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const send = async (partition: number, ids: string[], compression = CompressionTypes.None) => {
      const [r] = await producer.send({
        topic,
        acks: -1,
        compression,
        messages: ids.map((id) => ({ partition, key: 's1', value: JSON.stringify(goodCheckin(id)) })),
      });
      return BigInt(r!.baseOffset!);
    };
    await send(0, ['ub-1', 'ub-2', 'ub-3']);
    const bad = await send(0, ['ux-1', 'ux-2', 'ux-3'], CompressionTypes.GZIP);
    await send(0, ['ua-1', 'ua-2', 'ua-3'], CompressionTypes.GZIP);
    await send(1, ['up-1', 'up-2'], CompressionTypes.GZIP);
    const damaged = await damageBatch(kafka, topic, 0, bad);

    const started = Date.now();
    ingest = await createIngest({
      config: testIngestConfig(prefix, store.database),
      store,
      kafka,
      log: (m) => logs.push(m),
    });
    await ingest.start();

    const good = ['ua-1', 'ua-2', 'ua-3', 'ub-1', 'ub-2', 'ub-3', 'up-1', 'up-2'];
    const stored = await eventually(
      () => storedIds(store, 'checkins', { prefixes: ['ub-', 'ua-', 'up-', 'ux-'] }),
      (ids) => ids.length >= good.length,
    );
    expect(stored).toEqual(good);
    // Not after a crash loop: kafkajs alone retries the same fetch with backoff, crashes,
    // restarts and fails again, and no message of the broker gets through.
    expect(Date.now() - started).toBeLessThan(20_000);

    const [letter] = await readTopic(kafka, prefix + DEADLETTER_TOPIC, 1);
    expect(letter!.headers[DLQ_HEADERS.code]).toBe('undecodable_batch');
    expect(letter!.headers[DLQ_HEADERS.source]).toBe('kafka');
    expect(letter!.headers[DLQ_HEADERS.topic]).toBe(topic);
    expect(letter!.headers[DLQ_HEADERS.partition]).toBe('0');
    expect(letter!.headers[DLQ_HEADERS.offset]).toBe(String(bad));
    expect(letter!.headers[DLQ_HEADERS.lastOffset]).toBe(String(bad + 2n));
    expect(letter!.headers[DLQ_HEADERS.reason]).toMatch(
      new RegExp(
        `offsets ${bad}\\.\\.${bad + 2n} \\(3 records, gzip, .*gzip decompression failed: .*CRC does not match`,
      ),
    );
    // The value is the batch exactly as it lies in the log, damage included.
    expect(letter!.value?.equals(damaged)).toBe(true);

    const metrics = await ingest.metrics.registry.metrics();
    expect(metrics).toContain(`edu_ingest_batches_skipped_total{topic="${topic}",partition="0"} 1`);
    expect(metrics).toContain('edu_ingest_deadlettered_total{code="undecodable_batch",source="kafka"} 1');
    expect(logs.filter((l) => l.includes('skipped an undecodable record batch'))).toHaveLength(1);

    // The partition goes on: later messages are stored, and the group's commit is past the batch.
    await send(0, ['uc-1', 'uc-2']);
    await producer.disconnect();
    await eventually(
      () => storedIds(store, 'checkins', { prefixes: ['uc-'] }),
      (ids) => ids.length === 2,
    );
    const admin = kafka.admin();
    await admin.connect();
    try {
      const end = await askKafka(() => admin.fetchTopicOffsets(topic));
      const committed = await eventually(
        async () => (await admin.fetchOffsets({ groupId: `${prefix}ingest`, topics: [topic] }))[0]!.partitions,
        (ps) => ps.find((p) => p.partition === 0)?.offset === end.find((p) => p.partition === 0)?.high,
      );
      expect(BigInt(committed.find((p) => p.partition === 0)!.offset)).toBe(bad + 3n + 3n + 2n);
    } finally {
      await admin.disconnect();
    }
    expect(await storedIds(store, 'checkins', { prefixes: ['ux-'] })).toEqual([]);
  });
});

/**
 * Overwrites the compressed records of the batch at `baseOffset` in the partition's segment
 * file with junk (header, length and CRC untouched), and returns the batch as it now is. The
 * broker serves fetches from that file, so every reader gets the damaged bytes.
 */
async function damageBatch(kafka: Kafka, topic: string, partition: number, baseOffset: bigint): Promise<Buffer> {
  const admin = kafka.admin();
  await admin.connect();
  let logDirs: string[];
  try {
    const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    const leader = meta!.partitions.find((p) => p.partitionId === partition)!.leader;
    const { resources } = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.BROKER, name: String(leader), configNames: ['log.dirs', 'log.dir'] }],
      includeSynonyms: false,
    });
    logDirs = resources[0]!.configEntries.flatMap((e) => e.configValue?.split(',') ?? []);
  } finally {
    await admin.disconnect();
  }
  const name = `${topic}-${partition}`;
  let dir: string | undefined;
  for (const d of logDirs) if ((await readdir(d).catch((): string[] => [])).includes(name)) dir = join(d, name);
  if (!dir)
    throw new Error(
      `this test damages the broker's log, so it needs the log dirs on this machine: ${logDirs.join(', ')}`,
    );
  // The segment holding the batch: the last whose base offset (its file name) is not after it.
  const segment = (await readdir(dir))
    .filter((f) => f.endsWith('.log'))
    .map((f) => ({ f, base: BigInt(f.slice(0, -4)) }))
    .filter((s) => s.base <= baseOffset)
    .sort((a, b) => (a.base < b.base ? 1 : -1))[0];
  const file = await open(join(dir, segment!.f), 'r+');
  try {
    const content = await file.readFile();
    for (let pos = 0; pos + 12 <= content.length;) {
      const size = 12 + content.readInt32BE(pos + 8);
      if (content.readBigInt64BE(pos) === baseOffset) {
        // After the 61 header bytes (through the record count) come the compressed records.
        const junk = Buffer.alloc(size - 61, 0x5a);
        await file.write(junk, 0, junk.length, pos + 61);
        await file.datasync();
        return Buffer.concat([content.subarray(pos, pos + 61), junk]);
      }
      pos += size;
    }
  } finally {
    await file.close();
  }
  throw new Error(`no batch at offset ${baseOffset} in ${dir}`);
}
