import { computeOverview, DEADLETTER_TOPIC, DLQ_HEADERS, INBOUND_TOPICS, type Store } from '@edu/analytics';
import {
  FIXTURE_CITY_METRICS,
  FIXTURE_DAY,
  fixtureCityEvents,
  openTestStore,
  disposeTestStore,
  rowCount,
  storedIds,
  TEST_ENGINES,
} from '@edu/analytics/testing';
import { spawnSync } from 'node:child_process';
import { CompressionTypes, type Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngest, type Ingest } from '../service.ts';
import {
  createTestTopics,
  eventually,
  produceEvents,
  produceRaw,
  readTopic,
  removeTestTopics,
  testIngestConfig,
  testKafka,
  testBrokers,
  testPrefix,
} from '../testing/kafka.ts';
import { goodCheckin, hostileMessages } from '../testing/hostile.ts';

// Contract events through the real broker into each engine: exact numbers back, and every
// kind of bad input in the dead-letter topic while the good events around it are stored.

const good = goodCheckin;

describe.each(TEST_ENGINES)('Kafka → ingest → %s', (engine) => {
  let kafka: Kafka;
  let store: Store;
  let ingest: Ingest;
  const prefix = testPrefix(`ingest-${engine}`);
  const checkinTopic = prefix + INBOUND_TOPICS.checkin;

  beforeAll(async () => {
    kafka = testKafka();
    store = await openTestStore(engine, 'ingest');
    await createTestTopics(kafka, prefix);
    ingest = await createIngest({
      config: testIngestConfig(prefix, store.database),
      store,
      kafka,
      log: () => undefined,
    });
    await ingest.start();
  });
  afterAll(async () => {
    await ingest?.stop();
    if (store) await disposeTestStore(store);
    if (kafka) await removeTestTopics(kafka, prefix);
  });

  it('stores the fixture city and computes the hand-worked numbers', async () => {
    await produceEvents(kafka, prefix, fixtureCityEvents());
    const overview = await eventually(
      async () => (await computeOverview(store, { kind: 'city' }, FIXTURE_DAY)).overview.metrics,
      (m) => JSON.stringify(m) === JSON.stringify(FIXTURE_CITY_METRICS),
    );
    expect(overview).toEqual(FIXTURE_CITY_METRICS);
  });

  it('dead-letters each kind of bad input with its bytes, origin and reason, and keeps the good around it', async () => {
    const bad = hostileMessages().map((m) => [m.code, m.value] as const);
    // Unknown extra fields are ignored (contract: forward compatibility): stored, without them.
    const extra = JSON.stringify({ ...good('g-extra'), vendor_field: '<script>x</script>' });
    const values = [JSON.stringify(good('g-before')), ...bad.map(([, v]) => v), extra, JSON.stringify(good('g-after'))];
    await produceRaw(kafka, checkinTopic, values);

    const letters = await readTopic(kafka, prefix + DEADLETTER_TOPIC, bad.length);
    expect(letters.map((l) => l.headers[DLQ_HEADERS.code])).toEqual(bad.map(([code]) => code));
    letters.forEach((l, i) => {
      expect(Buffer.compare(l.value ?? Buffer.alloc(0), Buffer.from(bad[i]![1]))).toBe(0);
      expect(l.headers[DLQ_HEADERS.topic]).toBe(checkinTopic);
      expect(l.headers[DLQ_HEADERS.partition]).toMatch(/^\d+$/);
      expect(l.headers[DLQ_HEADERS.offset]).toMatch(/^\d+$/);
      expect(l.headers[DLQ_HEADERS.reason]?.length).toBeGreaterThan(5);
    });
    const stored = await eventually(
      () => storedIds(store, 'checkins', { ids: ['g-before', 'g-extra', 'g-after'] }),
      (ids) => ids.length === 3,
    );
    expect(stored).toEqual(['g-after', 'g-before', 'g-extra']);
  });

  it('counts a redelivered event once', async () => {
    const before = (await computeOverview(store, { kind: 'school', id: 's2' }, FIXTURE_DAY)).overview.metrics;
    const settled = {
      id: 'redelivered-settlement-1',
      type: 'settled',
      ts: '2026-11-27T18:00:00.000+08:00',
      school_id: 's2',
      settlement_id: 'set-redelivered',
      offering_id: 'o3',
      amount: 12345,
      period: '2026-11',
    };
    const sentinel = { ...settled, id: 'sentinel-1', settlement_id: 'set-sentinel', amount: 1 };
    // One key, one partition: once the sentinel is stored, both copies before it have been.
    const topic = prefix + INBOUND_TOPICS.settlement;
    await produceRaw(kafka, topic, [JSON.stringify(settled), JSON.stringify(settled), JSON.stringify(sentinel)]);
    await eventually(
      () => rowCount(store, 'settlements', 'sentinel-1'),
      (n) => n === 1,
    );
    const after = (await computeOverview(store, { kind: 'school', id: 's2' }, FIXTURE_DAY)).overview.metrics;
    expect(after.settled_amount - before.settled_amount).toBe(12345 + 1);
  });

  it('reads batches in every codec Kafka has: gzip and snappy from kafkajs, lz4 and zstd from librdkafka (kcat)', async () => {
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    for (const [label, compression] of [
      ['gz', CompressionTypes.GZIP],
      ['sn', CompressionTypes.Snappy],
    ] as const) {
      await producer.send({
        topic: checkinTopic,
        compression,
        messages: [1, 2, 3].map((i) => ({ key: 's1', value: JSON.stringify(good(`${label}-${i}`)) })),
      });
    }
    await producer.disconnect();
    // The C client that most school systems' stacks wrap (and Java's defaults, lz4 and zstd).
    for (const [label, codec] of [
      ['kl', 'lz4'],
      ['kz', 'zstd'],
    ] as const) {
      const lines = [1, 2, 3].map((i) => `s1\t${JSON.stringify(good(`${label}-${i}`))}`).join('\n');
      const kcat = spawnSync(
        'kcat',
        ['-P', '-b', testBrokers().join(','), '-t', checkinTopic, '-z', codec, '-K', '\t'],
        {
          input: lines + '\n',
          encoding: 'utf8',
        },
      );
      expect(kcat.status, kcat.stderr).toBe(0);
    }
    const labels = ['gz', 'kl', 'kz', 'sn'];
    const rows = await eventually(
      () => storedIds(store, 'checkins', { prefixes: labels.map((l) => `${l}-`) }),
      (ids) => ids.length === 12,
    );
    expect(rows).toEqual(labels.flatMap((l) => [1, 2, 3].map((i) => `${l}-${i}`)));
  });
});
