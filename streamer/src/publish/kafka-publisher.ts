import { asLogger, createLogger, kafkaLogCreator, kafkaLogLevel, type LogSink } from '@edu/analytics/log';
import { Kafka, Partitioners, type Producer, type SASLOptions } from 'kafkajs';
import { supervisionSchema, type SupervisionEvent } from '@edu/analytics';
import type { SupervisionPublisher } from './publisher.ts';

export interface KafkaPublisherOptions {
  brokers: string[];
  clientId: string;
  topic: string;
  /** kafkajs's lines (the `streamer.publish` child; a function gets warnings and errors only). */
  log?: LogSink;
  /** SASL/SCRAM login for a broker with EDU_KAFKA_AUTH=scram; the streamer's principal may write only this topic. */
  sasl?: { mechanism: 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

/** kafkajs types its SASL options as a union per mechanism: narrowed here, without a cast. */
function saslOptions(s: NonNullable<KafkaPublisherOptions['sasl']>): SASLOptions {
  const { username, password } = s;
  return s.mechanism === 'scram-sha-256'
    ? { mechanism: 'scram-sha-256', username, password }
    : { mechanism: 'scram-sha-512', username, password };
}

/** Publishes to edu.supervision.v1: key = target id, acks = -1 (all in-sync replicas). */
export async function createKafkaSupervisionPublisher(opts: KafkaPublisherOptions): Promise<SupervisionPublisher> {
  const log = asLogger(opts.log ?? createLogger({ name: 'streamer' }).child({ component: 'streamer.publish' }), 'warn');
  const kafka = new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    ...(opts.sasl ? { sasl: saslOptions(opts.sasl) } : {}),
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
