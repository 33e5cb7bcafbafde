import { supervisionSchema, SUPERVISION_TOPIC, type SupervisionEvent } from '@edu/analytics';
import type { Kafka } from 'kafkajs';

// The simulator's schools reading the bureau's decisions from Kafka (edu.supervision.v1), as a
// school system would: their own consumer group, from the newest message on (a notice issued
// before the simulator started is not theirs to answer). A message that is not a valid
// supervision event is skipped: the schools' side must not stop on the bureau's output.

export interface SupervisionFeedOptions {
  kafka: Kafka;
  topicPrefix?: string;
  groupId?: string;
  /** Read the topic from its start (tests); default: from the newest message on. */
  fromBeginning?: boolean;
  onEvent: (e: SupervisionEvent) => void;
  onSkipped?: (reason: string) => void;
}

export async function followSupervision(o: SupervisionFeedOptions): Promise<{ stop(): Promise<void> }> {
  const consumer = o.kafka.consumer({ groupId: o.groupId ?? 'edu-simulator-schools' });
  await consumer.connect();
  await consumer.subscribe({
    topics: [`${o.topicPrefix ?? ''}${SUPERVISION_TOPIC}`],
    fromBeginning: o.fromBeginning ?? false,
  });
  await consumer.run({
    eachMessage: async ({ message }) => {
      try {
        const parsed = supervisionSchema.safeParse(JSON.parse(String(message.value)));
        if (parsed.success) o.onEvent(parsed.data);
        else o.onSkipped?.(parsed.error.message);
      } catch (err) {
        o.onSkipped?.(String(err));
      }
    },
  });
  return { stop: () => consumer.disconnect() };
}
