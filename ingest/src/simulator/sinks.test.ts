import { INBOUND_TOPICS, TOPIC_OF_TYPE, type InboundEvent } from '@edu/analytics';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kafka, ProducerRecord } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { createCity } from './city.ts';
import { planDay } from './day-plan.ts';
import { cityRegistryEvents } from './setup.ts';
import { httpSink, inProcessSink, kafkaSink } from './sinks.ts';

const DAY = '2026-11-27';
const city = createCity({ seed: 9, schools: 4, students: 1200 });
const events = [...cityRegistryEvents(city, DAY), ...planDay(city, DAY).events()];

// ---- HTTP: a real server on the loopback interface ----

interface Received {
  bytes: number;
  items: InboundEvent[];
}
let server: Server | undefined;

async function intake(
  answer: (req: IncomingMessage, body: Buffer, res: ServerResponse, n: number) => void,
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  let n = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer(req, Buffer.concat(chunks), res, n++));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/events`, received };
}

function accept(received: Received[]) {
  return (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const items = JSON.parse(body.toString('utf8')) as InboundEvent[];
    received.push({ bytes: body.length, items });
    expect(req.headers['content-type']).toBe('application/json');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ accepted: items.length, rejected: 0, results: [] }));
  };
}

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

describe('httpSink', () => {
  it('posts JSON arrays in chunks no larger than maxBytes, in order, losing nothing', async () => {
    const received: Received[] = [];
    const { url } = await intake((req, body, res) => accept(received)(req, body, res));
    const sink = httpSink({ url, maxBytes: 20_000 });
    await sink.send(events);
    await sink.close();
    expect(received.length).toBeGreaterThan(5);
    for (const r of received) expect(r.bytes).toBeLessThanOrEqual(20_000);
    expect(received.flatMap((r) => r.items)).toEqual(JSON.parse(JSON.stringify(events)));
    expect(sink.stats()).toMatchObject({ requests: received.length, accepted: events.length, rejected: 0 });
  });

  it('respects maxEvents per request and the default 1 MB limit', async () => {
    const received: Received[] = [];
    const { url } = await intake((req, body, res) => accept(received)(req, body, res));
    const sink = httpSink({ url, maxEvents: 1000 });
    await sink.send(events);
    expect(received.map((r) => r.items.length).every((n) => n <= 1000)).toBe(true);
    expect(received.every((r) => r.bytes <= 1_000_000)).toBe(true);
    expect(received.reduce((n, r) => n + r.items.length, 0)).toBe(events.length);
  });

  it('retries 503s, then reports what the intake rejected', async () => {
    const received: Received[] = [];
    const { url } = await intake((req, body, res, n) => {
      if (n < 2) {
        res.writeHead(503).end('{"error":"store down"}');
        return;
      }
      const items = JSON.parse(body.toString('utf8')) as InboundEvent[];
      received.push({ bytes: body.length, items });
      res.writeHead(200).end(
        JSON.stringify({
          accepted: items.length - 1,
          rejected: 1,
          results: [{ index: 0, id: items[0]?.id, ok: false, code: 'ts_out_of_range', reason: 'too far' }],
        }),
      );
    });
    const rejected: string[] = [];
    const sink = httpSink({ url, retryDelayMs: 5, onRejected: (r) => rejected.push(...r.map((x) => x.code)) });
    await sink.send(events.slice(0, 10));
    expect(received).toHaveLength(1);
    expect(rejected).toEqual(['ts_out_of_range']);
    expect(sink.stats()).toMatchObject({ requests: 1, accepted: 9, rejected: 1 });
  });

  it('presents its source key, and stops at once when the intake refuses it', async () => {
    const seen: (string | undefined)[] = [];
    const { url } = await intake((req, _body, res) => {
      seen.push(req.headers.authorization);
      if (req.headers.authorization !== 'Bearer edu_sk_good') {
        res.writeHead(401).end('{"code":"source_key_unknown"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ accepted: 3, rejected: 0, results: [] }));
    });
    await httpSink({ url, sourceKey: 'edu_sk_good' }).send(events.slice(0, 3));
    await expect(httpSink({ url, retryDelayMs: 1 }).send(events.slice(0, 3))).rejects.toThrow(
      /HTTP 401.*source_key_unknown/,
    );
    expect(seen).toEqual(['Bearer edu_sk_good', undefined]);
  });

  it('gives up on a 4xx at once, and on an unreachable intake after its retries', async () => {
    const { url } = await intake((_req, _body, res) => res.writeHead(413).end('{"error":"too many"}'));
    await expect(httpSink({ url }).send(events.slice(0, 3))).rejects.toThrow(/HTTP 413/);
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    await expect(httpSink({ url, retries: 2, retryDelayMs: 1 }).send(events.slice(0, 3))).rejects.toThrow(
      /failed after 3 attempts/,
    );
  });
});

describe('kafkaSink', () => {
  it('produces to each type’s topic with the prefix, keyed by school (or entity), within the byte budget', async () => {
    const records: ProducerRecord[] = [];
    const created: string[] = [];
    let disconnected = false;
    const kafka = {
      admin: () => ({
        connect: async () => undefined,
        disconnect: async () => undefined,
        listTopics: async () => [],
        createTopics: async ({ topics }: { topics: { topic: string }[] }) => {
          created.push(...topics.map((t) => t.topic));
          return true;
        },
        // ensureTopics waits until every new partition has a leader.
        fetchTopicMetadata: async ({ topics }: { topics: string[] }) => ({
          topics: topics.map((name) => ({ name, partitions: [{ partitionId: 0, leader: 1 }] })),
        }),
      }),
      producer: () => ({
        connect: async () => undefined,
        disconnect: async () => {
          disconnected = true;
        },
        send: async (r: ProducerRecord) => {
          records.push(r);
          return [];
        },
      }),
    } as unknown as Kafka;
    const sink = kafkaSink({
      kafka,
      topicPrefix: 'test.sim.',
      maxBatchBytes: 50_000,
      createTopics: { partitions: 3, replicationFactor: 1 },
    });
    await sink.send(events);
    await sink.close();
    expect(disconnected).toBe(true);
    expect(created.sort()).toEqual(
      Object.values(INBOUND_TOPICS)
        .map((t) => `test.sim.${t}`)
        .sort(),
    );
    expect(records.length).toBeGreaterThan(3);
    const sent: { topic: string; key: string; value: InboundEvent }[] = [];
    for (const r of records) {
      // One partition per produce call (partition-sender.ts: an acknowledged batch is kept).
      expect(r.acks).toBe(-1);
      expect(new Set(r.messages.map((m) => m.partition))).toEqual(new Set([0]));
      let bytes = 0;
      for (const m of r.messages) {
        bytes += Buffer.byteLength(m.value as string);
        sent.push({ topic: r.topic, key: m.key as string, value: JSON.parse(m.value as string) as InboundEvent });
      }
      expect(bytes).toBeLessThanOrEqual(50_000);
    }
    expect(sent).toHaveLength(events.length);
    for (const s of sent) {
      expect(s.topic).toBe(`test.sim.${TOPIC_OF_TYPE[s.value.type]}`);
      const key = 'school_id' in s.value ? s.value.school_id : (s.value as { entity_id: string }).entity_id;
      expect(s.key).toBe(key);
    }
    // Within a school, the order is the order sent (one key, one partition, in order).
    const school = city.schools[0]?.id;
    const mine = (list: InboundEvent[]) =>
      list.filter((e) => 'school_id' in e && e.school_id === school).map((e) => e.id);
    const perTopic = (topic: string) => mine(sent.filter((s) => s.topic === `test.sim.${topic}`).map((s) => s.value));
    expect(perTopic(INBOUND_TOPICS.checkin)).toEqual(
      mine(events.filter((e) => TOPIC_OF_TYPE[e.type] === INBOUND_TOPICS.checkin)),
    );
  });
});

describe('inProcessSink', () => {
  it('hands each batch over and waits for it', async () => {
    const got: number[] = [];
    const sink = inProcessSink(async (batch) => {
      await new Promise((r) => setTimeout(r, 5));
      got.push(batch.length);
      return { accepted: batch.length, rejected: 0 };
    });
    await sink.send(events.slice(0, 7));
    expect(got).toEqual([7]);
  });
});
