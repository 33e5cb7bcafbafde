import { deadLetterHeaders, DEADLETTER_TOPIC, type DeadLetter, type Store } from '@edu/analytics';
import type { Producer } from 'kafkajs';
import type { IngestMetrics } from '../metrics.ts';

// Where bad input goes. On the full stack: the dead-letter topic, original bytes as the value
// and the reason in headers. In the embedded default (no Kafka): the dead_letters table.
// Either way `send` resolves only once the letters are durable, so the offsets of the bad
// messages are committed after, never before.

/** A dead letter as ingest writes it: the contract's (undecodable batches included). */
export type IngestDeadLetter = DeadLetter;

export interface DeadLetterSink {
  send(letters: readonly IngestDeadLetter[]): Promise<void>;
}

function headersOf(d: IngestDeadLetter, prefix: string): Record<string, string> {
  return deadLetterHeaders({ ...d, topic: d.topic === undefined ? undefined : prefix + d.topic });
}

export function kafkaDeadLetterSink(producer: Producer, prefix = '', metrics?: IngestMetrics): DeadLetterSink {
  return {
    async send(letters) {
      if (letters.length === 0) return;
      await producer.send({
        topic: prefix + DEADLETTER_TOPIC,
        acks: -1,
        messages: letters.map((d) => ({
          key: d.key ?? null,
          value: d.original,
          headers: headersOf(d, prefix),
        })),
      });
      for (const d of letters) metrics?.deadLettered.inc({ code: d.code, source: d.source });
    },
  };
}

export function storeDeadLetterSink(store: Store, metrics?: IngestMetrics): DeadLetterSink {
  return {
    async send(letters) {
      if (letters.length === 0) return;
      await store.insert(
        'dead_letters',
        letters.map((d) => ({
          received_ms: Date.parse(d.receivedAt),
          code: d.code,
          reason: d.reason,
          source: d.source,
          topic: d.topic ?? '',
          partition: d.partition ?? -1,
          offset: d.lastOffset === undefined ? (d.offset ?? '') : `${d.offset ?? ''}..${d.lastOffset}`,
          original_base64: d.original.toString('base64'),
        })),
      );
      for (const d of letters) metrics?.deadLettered.inc({ code: d.code, source: d.source });
    },
  };
}
