import { eventKey, TOPIC_OF_TYPE, type InboundEvent } from '@edu/analytics';
import { Partitioners, type Admin, type Kafka, type Message, type PartitionMetadata, type Producer } from 'kafkajs';

// Produce so that an acknowledgement means the write is kept, whatever broker dies meanwhile.
//
// kafkajs (2.2.4) sends a batch as one produce request per leader broker and, when one of them
// fails, retries only the brokers it has no response from yet. If a failed broker's partitions
// move, on the metadata refresh, to a broker that already answered, they are never sent again
// and the call still resolves (tulios/kafkajs#1303, #1798; seen in the cluster fault suite as
// check-ins acknowledged and never stored after a partition leader's SIGKILL). A send whose
// messages all go to one partition has one leader per attempt, so that cannot happen: every
// partition gets its own send here, all of them in parallel. The partition is the one kafkajs's
// default (Java-compatible, murmur2 of the key) partitioner would choose, so a key — a school —
// still lands in the partition it always did, and stays in order.

export interface TopicMessages {
  topic: string;
  messages: Message[];
}

/** Contract events as messages of their own topics (with `prefix`), keyed as the contract says. */
export function contractMessages(events: Iterable<InboundEvent>, prefix = ''): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const e of events) {
    const topic = prefix + TOPIC_OF_TYPE[e.type];
    let list = byTopic.get(topic);
    if (!list) byTopic.set(topic, (list = []));
    list.push({ key: eventKey(e), value: JSON.stringify(e) });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** The subset of kafkajs's admin client used here (tests pass a counting fake). */
export type TopicMetadataSource = Pick<Admin, 'connect' | 'disconnect' | 'fetchTopicMetadata'>;
export type ProduceSink = Pick<Producer, 'send'>;

export interface PartitionSenderOptions {
  /** How long a topic's partition list is trusted before it is read again (partitions are only ever added). */
  metadataTtlMs?: number;
  clock?: () => number;
}

export class PartitionSender {
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly partitions = new Map<string, { at: number; list: PartitionMetadata[] }>();
  private connecting?: Promise<void>;
  private readonly ttlMs: number;
  private readonly clock: () => number;

  constructor(
    private readonly producer: ProduceSink,
    private readonly admin: TopicMetadataSource,
    options: PartitionSenderOptions = {},
  ) {
    this.ttlMs = options.metadataTtlMs ?? 60_000;
    this.clock = options.clock ?? Date.now;
  }

  /** For a kafkajs client: its own admin connection, opened on the first send. */
  static of(kafka: Kafka, producer: ProduceSink, options?: PartitionSenderOptions): PartitionSender {
    return new PartitionSender(producer, kafka.admin(), options);
  }

  /** Resolves once every message is acknowledged by all in-sync replicas (acks -1); rejects otherwise. */
  async send(batches: readonly TopicMessages[]): Promise<void> {
    const sends: Promise<unknown>[] = [];
    const nonEmpty = batches.filter((b) => b.messages.length > 0);
    const metadata = await this.metadata(nonEmpty.map((b) => b.topic));
    for (const { topic, messages } of nonEmpty) {
      const partitionMetadata = metadata.get(topic) as PartitionMetadata[];
      const byPartition = new Map<number, Message[]>();
      for (const message of messages) {
        const partition = message.partition ?? this.partitioner({ topic, partitionMetadata, message });
        let list = byPartition.get(partition);
        if (!list) byPartition.set(partition, (list = []));
        list.push({ ...message, partition });
      }
      for (const group of byPartition.values()) sends.push(this.producer.send({ topic, messages: group, acks: -1 }));
    }
    // allSettled, not all: the caller's retry must not overlap sends of this call still in flight.
    const settled = await Promise.allSettled(sends);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      // A partition that moved or was added shows in the next read.
      for (const b of nonEmpty) this.partitions.delete(b.topic);
      throw failed.reason;
    }
  }

  async close(): Promise<void> {
    if (!this.connecting) return;
    this.connecting = undefined;
    await this.admin.disconnect().catch(() => undefined);
  }

  private async metadata(topics: readonly string[]): Promise<Map<string, PartitionMetadata[]>> {
    const now = this.clock();
    const stale = [...new Set(topics)].filter((t) => {
      const known = this.partitions.get(t);
      return !known || now - known.at > this.ttlMs;
    });
    if (stale.length > 0) {
      try {
        await (this.connecting ??= this.admin.connect());
      } catch (err) {
        this.connecting = undefined;
        throw err;
      }
      const { topics: read } = await this.admin.fetchTopicMetadata({ topics: stale });
      for (const t of read) this.partitions.set(t.name, { at: now, list: t.partitions });
    }
    const out = new Map<string, PartitionMetadata[]>();
    for (const t of topics) {
      const list = this.partitions.get(t)?.list;
      if (!list?.length) throw new Error(`topic ${t} has no partitions (does it exist?)`);
      out.set(t, list);
    }
    return out;
  }
}
