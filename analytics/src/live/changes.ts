import { EventEmitter } from 'node:events';
import type { Table } from '../clickhouse/rows.ts';

/** A table a change signal names: the event tables, and the decisions' log (see affects.ts). */
export type SignalTable = Table | 'supervision_log';

// "Batch, then signal": after a batch is safely in ClickHouse, ingest announces what it
// touched, and the streamer recomputes only the affected scopes. The signal is tiny on
// purpose; it never carries the events themselves.

export interface ChangeSignal {
  /** Schools whose rows changed ('' for school-less registry rows: districts, zones, providers). */
  schools: string[];
  /** Tables that took rows: ingest's event tables, or (streamer) the bureau's supervision_log. */
  tables: SignalTable[];
  /** Shanghai days of the event times in the batch (YYYY-MM-DD). */
  days: string[];
  /** Newest source time in the batch. */
  max_ts_ms: number;
  /**
   * Per Shanghai day, the earliest minute of the day (0–1439) of a check-in in the batch: the
   * attendance curve is redrawn from there on, the minutes before it kept. Absent (an older
   * ingest): the whole curve of every day is redrawn.
   */
  checkin_from?: Record<string, number>;
  /** When the batch was committed to ClickHouse. */
  stored_ms: number;
  rows: number;
}

/** The Redis pub/sub channel that carries change signals between processes. */
export const CHANGE_CHANNEL = 'edu:changes:v1';

export interface ChangePublisher {
  publish(signal: ChangeSignal): Promise<void>;
}

export interface ChangeSubscriber {
  /** Returns a function that unsubscribes. */
  subscribe(listener: (signal: ChangeSignal) => void): () => void;
}

/** Both halves in one process: the embedded default, and unit tests. */
export class InProcessChangeBus implements ChangePublisher, ChangeSubscriber {
  private readonly emitter = new EventEmitter().setMaxListeners(100);

  async publish(signal: ChangeSignal): Promise<void> {
    this.emitter.emit('change', signal);
  }

  subscribe(listener: (signal: ChangeSignal) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
