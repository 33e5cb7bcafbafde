import { INBOUND_TOPICS } from '@edu/analytics';
import type { Kafka, Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askKafka, createTestTopics, removeTestTopics, testKafka, testPrefix } from '../testing/kafka.ts';
import { PartitionSender } from './partition-sender.ts';

// On the real broker: a key lands in the partition a plain kafkajs send would have put it in
// (so a school's events stay in one partition, in order, whichever way they were produced).
// The leader-SIGKILL half of its purpose is tested by the cluster fault suite, whose steady load
// produces through it (deploy/src/cluster/faults.ts).

describe('PartitionSender on the broker', () => {
  let kafka: Kafka;
  const prefix = testPrefix('partition-sender');
  const mine = prefix + INBOUND_TOPICS.checkin;
  const plain = prefix + INBOUND_TOPICS.feedback;

  beforeAll(async () => {
    kafka = testKafka();
    await createTestTopics(kafka, prefix, 5);
  });
  afterAll(async () => {
    if (kafka) await removeTestTopics(kafka, prefix);
  });

  it('puts each key where the default partitioner does, every message acknowledged once', async () => {
    // Key k has k+1 messages: equal counts per partition in both topics means equal placement.
    const messages: Message[] = [];
    for (let k = 0; k < 40; k++) for (let i = 0; i <= k; i++) messages.push({ key: `school-${k}`, value: `${k}:${i}` });
    const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sender = PartitionSender.of(kafka, producer);
    try {
      await sender.send([{ topic: mine, messages }]);
      await producer.send({ topic: plain, acks: -1, messages });
    } finally {
      await sender.close();
      await producer.disconnect();
    }
    const admin = kafka.admin();
    await admin.connect();
    try {
      const counts = async (topic: string) =>
        (await askKafka(() => admin.fetchTopicOffsets(topic)))
          .sort((a, b) => a.partition - b.partition)
          .map((p) => Number(p.high) - Number(p.low));
      const viaSender = await counts(mine);
      expect(viaSender).toEqual(await counts(plain));
      expect(viaSender.reduce((a, b) => a + b, 0)).toBe(messages.length);
      expect(viaSender.filter((n) => n > 0).length).toBeGreaterThan(1);
    } finally {
      await admin.disconnect();
    }
  });
});
