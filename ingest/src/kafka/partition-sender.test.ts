import { Partitioners, type Message, type PartitionMetadata, type ProducerRecord } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { PartitionSender, type ProduceSink, type TopicMetadataSource } from './partition-sender.ts';

const partitionsOf = (n: number): PartitionMetadata[] =>
  Array.from({ length: n }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: partitionId % 3,
    replicas: [0, 1, 2],
    isr: [0, 1, 2],
  }));

function fakes(counts: Record<string, number>, failPartition?: number) {
  const sent: ProducerRecord[] = [];
  const reads: string[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const producer: ProduceSink = {
    async send(record) {
      sent.push(record);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      if (record.messages[0]?.partition === failPartition) throw new Error('leader not available');
      return [];
    },
  };
  const admin: TopicMetadataSource = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    async fetchTopicMetadata(opts) {
      reads.push([...(opts?.topics ?? [])]);
      return { topics: (opts?.topics ?? []).map((name) => ({ name, partitions: partitionsOf(counts[name] ?? 0) })) };
    },
  };
  return { sent, reads, producer, admin, maxInFlight: () => maxInFlight };
}

const messages = (n: number): Message[] =>
  Array.from({ length: n }, (_, i) => ({ key: `school-${i % 40}`, value: `v${i}` }));

describe('PartitionSender', () => {
  it('sends each partition on its own, with the partition kafkajs would choose for the key', async () => {
    const f = fakes({ a: 6, b: 3 });
    const sender = new PartitionSender(f.producer, f.admin);
    await sender.send([
      { topic: 'a', messages: messages(200) },
      { topic: 'b', messages: messages(50) },
    ]);
    const choose = Partitioners.DefaultPartitioner();
    for (const r of f.sent) {
      // One topic and one partition per produce call: one leader per attempt.
      const partitions = new Set(r.messages.map((m) => m.partition));
      expect(partitions.size).toBe(1);
      expect(r.acks).toBe(-1);
      for (const m of r.messages) {
        const expected = choose({
          topic: r.topic,
          partitionMetadata: partitionsOf(r.topic === 'a' ? 6 : 3),
          message: m,
        });
        expect(m.partition).toBe(expected);
      }
    }
    expect(f.sent.filter((r) => r.topic === 'a')).toHaveLength(6);
    expect(f.sent.filter((r) => r.topic === 'b')).toHaveLength(3);
    // Every message once, in its original order within its key.
    const values = f.sent.flatMap((r) => r.messages.map((m) => String(m.value)));
    expect(values.sort()).toEqual([...messages(200), ...messages(50)].map((m) => String(m.value)).sort());
    const ofKey = f.sent
      .filter((r) => r.topic === 'a')
      .flatMap((r) => r.messages)
      .filter((m) => m.key === 'school-7')
      .map((m) => String(m.value));
    expect(ofKey).toEqual(['v7', 'v47', 'v87', 'v127', 'v167']);
    // In parallel, not one after another.
    expect(f.maxInFlight()).toBeGreaterThan(1);
  });

  it("reads a topic's partitions once per ttl, and again after a failed send", async () => {
    let now = 0;
    const f = fakes({ a: 3 });
    const sender = new PartitionSender(f.producer, f.admin, { metadataTtlMs: 1000, clock: () => now });
    await sender.send([{ topic: 'a', messages: messages(10) }]);
    await sender.send([{ topic: 'a', messages: messages(10) }]);
    expect(f.reads).toEqual([['a']]);
    now = 1500;
    await sender.send([{ topic: 'a', messages: messages(10) }]);
    expect(f.reads).toEqual([['a'], ['a']]);

    const failing = fakes({ a: 3 }, 1);
    const s2 = new PartitionSender(failing.producer, failing.admin, { clock: () => now });
    await expect(s2.send([{ topic: 'a', messages: messages(30) }])).rejects.toThrow('leader not available');
    // The other partitions' sends had settled before the call rejected: a retry cannot overlap them.
    expect(failing.sent).toHaveLength(3);
    await expect(s2.send([{ topic: 'a', messages: messages(30) }])).rejects.toThrow();
    expect(failing.reads).toEqual([['a'], ['a']]);
  });

  it('refuses a topic with no partitions, and sends nothing for empty batches', async () => {
    const f = fakes({});
    const sender = new PartitionSender(f.producer, f.admin);
    await expect(sender.send([{ topic: 'missing', messages: messages(1) }])).rejects.toThrow(
      'topic missing has no partitions',
    );
    await sender.send([{ topic: 'missing', messages: [] }]);
    await sender.send([]);
    expect(f.sent).toHaveLength(0);
  });
});
