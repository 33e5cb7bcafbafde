import {
  DEADLETTER_TOPIC,
  DLQ_HEADERS,
  INBOUND_TOPICS,
  loadLoopRows,
  type InboundEvent,
  type Store,
} from '@edu/analytics';
import { disposeTestStore, openTestStore, TEST_ENGINES } from '@edu/analytics/testing';
import type { Kafka } from 'kafkajs';
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
  testPrefix,
} from '../testing/kafka.ts';

// (v1.1) edu.rectification.v1 through the real broker into each engine: receipts and
// rectifications stored as they came — a redelivery read once, an event for a notice nobody
// issued and one without a school kept — and a malformed one dead-lettered.

const T = Date.now() - 3600_000;
const ts = (min: number) => new Date(T + min * 60_000).toISOString();

describe.each(TEST_ENGINES)('Kafka → ingest → %s: rectifications', (engine) => {
  let kafka: Kafka;
  let store: Store;
  let ingest: Ingest;
  const prefix = testPrefix(`rect-${engine}`);

  beforeAll(async () => {
    kafka = testKafka();
    store = await openTestStore(engine, 'rect');
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

  it('stores receipts and rectifications, each event once, none lost', async () => {
    const submitted: InboundEvent = {
      id: 'rs-1',
      type: 'rectification_submitted',
      ts: ts(20),
      school_id: 's1',
      notice_id: 'n-1',
      submission_id: 'sub-1',
      content: '已完成整改',
      attachments: [
        { name: '整改报告.pdf', url: 'https://files.example/r.pdf' },
        { name: '现场.jpg', url: 'https://files.example/p.jpg' },
      ],
    };
    const events: InboundEvent[] = [
      submitted,
      { id: 'rr-1', type: 'notice_received', ts: ts(5), school_id: 's1', notice_id: 'n-1', receiver_id: 'head-1' },
      submitted, // redelivered
      // A provider's notice that concerned no school, and a notice this bureau never issued.
      { id: 'rr-2', type: 'notice_received', ts: ts(6), notice_id: 'n-provider', receiver_id: 'p-office' },
      { ...submitted, id: 'rs-9', notice_id: 'n-unknown', submission_id: 'sub-9' },
    ];
    await produceEvents(kafka, prefix, events);
    const bad = JSON.stringify({ ...submitted, id: 'rs-bad', attachments: [{ name: 'x', url: 'file:///etc/passwd' }] });
    await produceRaw(kafka, prefix + INBOUND_TOPICS.rectification, [bad]);

    const rows = await eventually(
      () => loadLoopRows(store, 0),
      (r) => [...r.events.values()].flat().length >= 4,
    );
    const ids = (n: string) => (rows.events.get(n) ?? []).map((e) => e.id).sort();
    expect([ids('n-1'), ids('n-provider'), ids('n-unknown')]).toEqual([['rr-1', 'rs-1'], ['rr-2'], ['rs-9']]);
    expect(rows.events.get('n-1')?.find((e) => e.id === 'rs-1')).toMatchObject({
      type: 'rectification_submitted',
      school_id: 's1',
      submission_id: 'sub-1',
      content: '已完成整改',
      attachments: submitted.type === 'rectification_submitted' ? submitted.attachments : [],
    });
    expect(rows.events.get('n-provider')?.[0]).toMatchObject({ school_id: '', receiver_id: 'p-office' });

    const [letter] = await readTopic(kafka, prefix + DEADLETTER_TOPIC, 1);
    expect(letter?.headers[DLQ_HEADERS.code]).toBe('invalid_fields');
    expect(String(letter?.value)).toBe(bad);
  });
});
