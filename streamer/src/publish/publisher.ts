import { EventEmitter } from 'node:events';
import type { SupervisionEvent } from '@edu/analytics';

// Where the bureau's decisions go: Kafka `edu.supervision.v1` in production
// (kafka-publisher.ts), an in-process emitter in the embedded mode and in unit tests.

export interface SupervisionPublisher {
  /** Resolves once the event is durably accepted (Kafka: acks from all in-sync replicas). */
  publish(event: SupervisionEvent): Promise<void>;
  close(): Promise<void>;
}

export class InProcessSupervisionPublisher implements SupervisionPublisher {
  readonly published: SupervisionEvent[] = [];
  private readonly emitter = new EventEmitter();

  async publish(event: SupervisionEvent): Promise<void> {
    this.published.push(event);
    this.emitter.emit('event', event);
  }

  on(listener: (e: SupervisionEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  async close(): Promise<void> {}
}
