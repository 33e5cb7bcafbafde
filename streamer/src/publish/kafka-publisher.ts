import { asLogger, createLogger, kafkaLogCreator, kafkaLogLevel, type LogSink } from '@edu/analytics/log';
import { Kafka, Partitioners, type Producer } from 'kafkajs';
import { supervisionSchema, type SupervisionEvent } from '@edu/analytics';
import type { SupervisionPublisher } from './publisher.ts';

export interface KafkaPublisherOptions {
  brokers: string[];
  clientId: string;
  topic: string;
  /** kafkajs's lines (the `streamer.publish` child; a function gets warnings and errors only). */
  log?: LogSink;
}

/** Publishes to edu.supervision.v1: key = target id, acks = -1 (all in-sync replicas). */
export async function createKafkaSupervisionPublisher(opts: KafkaPublisherOptions): Promise<SupervisionPublisher> {
  const log = asLogger(opts.log ?? createLogger({ name: 'streamer' }).child({ component: 'streamer.publish' }), 'warn');
  const kafka = new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    logLevel: kafkaLogLevel(log),
    logCreator: kafkaLogCreator(log),
  });
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  return new KafkaSupervisionPublisher(producer, opts.topic);
}

class KafkaSupervisionPublisher implements SupervisionPublisher {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  async publish(event: SupervisionEvent): Promise<void> {
    // What leaves the bureau must satisfy the published contract.
    const checked = supervisionSchema.parse(event);
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [{ key: checked.target_id, value: JSON.stringify(checked) }],
    });
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}
