import { eventKey, TOPIC_OF_TYPE, type DeadLetter, type InboundEvent, type RowFor } from '@edu/analytics';
import express, { type Request, type Response, type Router } from 'express';
import type { Producer } from 'kafkajs';
import type { IngestMetrics } from '../metrics.ts';
import type { BatchWriter } from '../pipeline/batch-writer.ts';
import type { DeadLetterSink } from '../pipeline/dead-letters.ts';
import type { StepResult, MessageSource } from '../pipeline/validate-step.ts';

// POST /v1/events: a JSON array of contract events from systems that cannot reach Kafka.
// Each item is validated exactly as a Kafka message is; the answer lists a result per item,
// bad items are dead-lettered (nothing is lost), and the good ones are accepted only once
// they are durable (in Kafka on the full stack, in ClickHouse in the embedded default).

/** Where accepted events go. */
export interface AcceptedSink {
  accept(events: readonly InboundEvent[], rows: readonly RowFor[]): Promise<void>;
}

/** Full stack: forward to the event's own topic, keyed as the contract says. */
export function kafkaAcceptedSink(producer: Producer, prefix = ''): AcceptedSink {
  return {
    async accept(events) {
      const byTopic = new Map<string, { key: string; value: string }[]>();
      for (const e of events) {
        const topic = prefix + TOPIC_OF_TYPE[e.type];
        let list = byTopic.get(topic);
        if (!list) byTopic.set(topic, (list = []));
        list.push({ key: eventKey(e), value: JSON.stringify(e) });
      }
      if (byTopic.size === 0) return;
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    },
  };
}

/** Embedded default: straight into the batch writer. */
export function writerAcceptedSink(writer: BatchWriter): AcceptedSink {
  return { accept: (_events, rows) => writer.add(rows) };
}

export interface IntakeDeps {
  step: (value: unknown, from: MessageSource, original?: Buffer) => StepResult;
  accepted: AcceptedSink;
  deadLetters: DeadLetterSink;
  maxBodyBytes: number;
  maxEvents: number;
  metrics?: IngestMetrics;
}

export type ItemResult =
  { index: number; id?: string; ok: true } | { index: number; id?: string; ok: false; code: string; reason: string };

export function intakeRouter(deps: IntakeDeps): Router {
  const router = express.Router();
  router.post(
    '/v1/events',
    express.raw({ type: () => true, limit: deps.maxBodyBytes }),
    async (req: Request, res: Response) => {
      const body = req.body as Buffer | undefined;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        res.status(400).json({ error: 'the body must be a JSON array of events', code: 'bad_request' });
        return;
      }
      let items: unknown;
      try {
        items = JSON.parse(body.toString('utf8'));
      } catch (err) {
        // The whole body is unreadable: keep it as one dead letter, then refuse it.
        await deps.deadLetters.send([letter(body, 'invalid_json', `body is not JSON: ${(err as Error).message}`)]);
        res.status(400).json({ error: `the body is not valid JSON: ${(err as Error).message}`, code: 'invalid_json' });
        return;
      }
      if (!Array.isArray(items)) {
        res.status(400).json({ error: 'the body must be a JSON array of events', code: 'bad_request' });
        return;
      }
      if (items.length > deps.maxEvents) {
        res.status(413).json({
          error: `at most ${deps.maxEvents} events per request, got ${items.length}`,
          code: 'too_many_events',
        });
        return;
      }
      const results: ItemResult[] = [];
      const events: InboundEvent[] = [];
      const rows: RowFor[] = [];
      const dead: DeadLetter[] = [];
      items.forEach((item, index) => {
        const r = deps.step(item, { source: 'http' });
        const id = typeof (item as { id?: unknown })?.id === 'string' ? (item as { id: string }).id : undefined;
        if (r.kind === 'row') {
          events.push(r.event);
          rows.push(r.row);
          results.push({ index, id, ok: true });
        } else {
          dead.push(r.letter);
          results.push({ index, id, ok: false, code: r.letter.code, reason: r.letter.reason });
        }
      });
      deps.metrics?.consumed.inc({ topic: 'http' }, items.length);
      try {
        await Promise.all([deps.accepted.accept(events, rows), deps.deadLetters.send(dead)]);
      } catch (err) {
        res
          .status(503)
          .json({ error: `events not stored, retry later: ${(err as Error).message}`, code: 'unavailable' });
        return;
      }
      res.status(200).json({ accepted: events.length, rejected: dead.length, results });
    },
  );
  return router;
}

function letter(original: Buffer, code: DeadLetter['code'], reason: string): DeadLetter {
  return { source: 'http', code, reason, original, receivedAt: new Date().toISOString() };
}
