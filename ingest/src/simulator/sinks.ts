import { eventKey, INBOUND_TOPICS, TOPIC_OF_TYPE, type InboundEvent } from '@edu/analytics';
import type { Kafka, Message, Producer } from 'kafkajs';
import { ensureTopics } from '../kafka/client.ts';
import { PartitionSender } from '../kafka/partition-sender.ts';

// Where simulated events go: Kafka (as the schools' systems publish), the HTTP intake (as
// systems that cannot reach Kafka post), or a function in the same process (the embedded
// product's ingest.submit). Every sink sends in the order given and resolves only once the
// events are accepted, so the player's pace is the sink's pace when the sink is the slower.

export interface Sink {
  send(events: readonly InboundEvent[]): Promise<void>;
  /** Flushes and releases connections; the sink is not used afterwards. */
  close(): Promise<void>;
}

/** In-process: hands each batch to `deliver` (e.g. `ingest.submit`) and waits for it. */
export function inProcessSink(deliver: (events: readonly InboundEvent[]) => unknown): Sink {
  return {
    async send(events) {
      await deliver(events);
    },
    async close() {},
  };
}

/** Keeps everything sent, for tests and tools. */
export function memorySink(): Sink & { events: InboundEvent[]; batches: number[] } {
  const events: InboundEvent[] = [];
  const batches: number[] = [];
  return {
    events,
    batches,
    async send(batch) {
      batches.push(batch.length);
      for (const e of batch) events.push(e);
    },
    async close() {},
  };
}

// ---- HTTP ----

export interface HttpRejection {
  index: number;
  id?: string;
  code: string;
  reason: string;
}

export interface HttpSinkOptions {
  /** The intake, e.g. http://127.0.0.1:8091/v1/events. */
  url: string;
  /** Largest request body; the contract's HTTP intake is sized for a few MB. */
  maxBytes?: number;
  /** Most events per request (ingest refuses more than EDU_INGEST_HTTP_MAX_EVENTS, 10,000 by default). */
  maxEvents?: number;
  /** Attempts after a failed request (network error, 429 or 5xx) before giving up. */
  retries?: number;
  retryDelayMs?: number;
  /** The source key the intake wants (contract v1.1), sent as `Authorization: Bearer`. */
  sourceKey?: string;
  /** Called with the items the intake dead-lettered (they are not retried: they are bad input). */
  onRejected?: (rejected: HttpRejection[]) => void;
  fetch?: typeof fetch;
}

export interface HttpSinkStats {
  requests: number;
  accepted: number;
  rejected: number;
  bytes: number;
}

export function httpSink(options: HttpSinkOptions): Sink & { stats(): HttpSinkStats } {
  const maxBytes = options.maxBytes ?? 1_000_000;
  const maxEvents = options.maxEvents ?? 5000;
  const retries = options.retries ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const doFetch = options.fetch ?? fetch;
  const stats: HttpSinkStats = { requests: 0, accepted: 0, rejected: 0, bytes: 0 };

  async function post(body: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let retryable: string;
      try {
        const res = await doFetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(options.sourceKey ? { authorization: `Bearer ${options.sourceKey}` } : {}),
          },
          body,
        });
        const text = await res.text();
        if (res.ok) {
          const answer = JSON.parse(text) as { accepted?: number; rejected?: number; results?: unknown[] };
          stats.requests++;
          stats.bytes += Buffer.byteLength(body);
          stats.accepted += answer.accepted ?? 0;
          stats.rejected += answer.rejected ?? 0;
          if ((answer.rejected ?? 0) > 0 && options.onRejected) {
            options.onRejected(
              (answer.results ?? []).filter((r) => (r as { ok?: boolean }).ok === false) as HttpRejection[],
            );
          }
          return;
        }
        if (res.status !== 429 && res.status < 500) {
          throw new Error(`${options.url} refused the batch: HTTP ${res.status} ${text.slice(0, 300)}`);
        }
        retryable = `HTTP ${res.status} ${text.slice(0, 200)}`;
      } catch (err) {
        // fetch throws TypeError for network failures; anything else (a 4xx above) is final.
        if (!(err instanceof TypeError)) throw err;
        retryable = `${err.message}${err.cause ? ` (${String((err.cause as Error).message ?? err.cause)})` : ''}`;
      }
      if (attempt >= retries) throw new Error(`POST ${options.url} failed after ${attempt + 1} attempts: ${retryable}`);
      await new Promise((r) => setTimeout(r, retryDelayMs * 2 ** attempt));
    }
  }

  return {
    stats: () => ({ ...stats }),
    async send(events) {
      let parts: string[] = [];
      let bytes = 2; // the brackets
      for (const e of events) {
        const json = JSON.stringify(e);
        const size = Buffer.byteLength(json);
        if (parts.length > 0 && (bytes + 1 + size > maxBytes || parts.length >= maxEvents)) {
          await post(`[${parts.join(',')}]`);
          parts = [];
          bytes = 2;
        }
        bytes += size + (parts.length > 0 ? 1 : 0);
        parts.push(json);
      }
      if (parts.length > 0) await post(`[${parts.join(',')}]`);
    },
    async close() {},
  };
}

// ---- Kafka ----

export interface KafkaSinkOptions {
  kafka: Kafka;
  /** Prepended to each contract topic, as ingest's EDU_KAFKA_TOPIC_PREFIX. */
  topicPrefix?: string;
  /** Largest produce request; brokers refuse record batches over 1 MB by default. */
  maxBatchBytes?: number;
  /** Create the inbound topics that do not exist yet (existing ones are left alone). */
  createTopics?: { partitions: number; replicationFactor: number };
}

/** Produces each event to its contract topic, keyed by school (so a school stays in order). */
export function kafkaSink(options: KafkaSinkOptions): Sink {
  const prefix = options.topicPrefix ?? '';
  const maxBatchBytes = options.maxBatchBytes ?? 800_000;
  let producer: Producer | undefined;
  let sender: PartitionSender | undefined;
  let connecting: Promise<PartitionSender> | undefined;

  async function connect(): Promise<PartitionSender> {
    if (options.createTopics) {
      const admin = options.kafka.admin();
      await admin.connect();
      try {
        await ensureTopics(admin, { ...options.createTopics, prefix, topics: Object.values(INBOUND_TOPICS) });
      } finally {
        await admin.disconnect();
      }
    }
    const p = options.kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await p.connect();
    producer = p;
    // One send per partition: a batch spanning brokers could be acknowledged and yet lost when
    // a leader dies (partition-sender.ts).
    return (sender = PartitionSender.of(options.kafka, p));
  }

  return {
    async send(events) {
      const s = sender ?? (await (connecting ??= connect()));
      let byTopic = new Map<string, Message[]>();
      let bytes = 0;
      const flush = async () => {
        if (byTopic.size === 0) return;
        await s.send([...byTopic].map(([topic, messages]) => ({ topic, messages })));
        byTopic = new Map();
        bytes = 0;
      };
      for (const e of events) {
        const value = JSON.stringify(e);
        const key = eventKey(e);
        const size = Buffer.byteLength(value) + key.length + 64; // plus the record's overhead
        if (bytes + size > maxBatchBytes) await flush();
        const topic = prefix + TOPIC_OF_TYPE[e.type];
        let list = byTopic.get(topic);
        if (!list) byTopic.set(topic, (list = []));
        list.push({ key, value });
        bytes += size;
      }
      await flush();
    },
    async close() {
      if (connecting) await connecting.catch(() => undefined);
      await sender?.close();
      if (producer) await producer.disconnect();
      producer = undefined;
      sender = undefined;
      connecting = undefined;
    },
  };
}
