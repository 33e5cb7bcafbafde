import { Worker } from 'node:worker_threads';
import type { ValidationLimits } from '@edu/analytics';
import { validateBatch, type BatchInput, type BatchOutput } from './validate-batch.ts';

// Where the Kafka consumer's batches are validated and encoded. JSON parsing, schema checks,
// row mapping and JSON encoding are most of ingest's CPU; on worker threads they leave the main
// thread to kafkajs and the ClickHouse requests. `size: 0` validates on the main thread.

export interface BatchValidator {
  validate(input: BatchInput): Promise<BatchOutput>;
  close(): Promise<void>;
}

export function inlineValidator(limits: ValidationLimits): BatchValidator {
  return {
    validate: async (input) => validateBatch(input, limits),
    close: async () => undefined,
  };
}

interface Slot {
  worker: Worker;
  /** Set once the worker has loaded its code and said so. */
  ready?: boolean;
  dead?: boolean;
  pending: Map<number, { input: BatchInput; resolve: (o: BatchOutput) => void }>;
}

export function createValidatorPool(opts: {
  size: number;
  limits: ValidationLimits;
  log?: (msg: string) => void;
  /** The worker's entry module (tests replace it with workers that fail). */
  entry?: URL;
}): BatchValidator {
  if (opts.size <= 0) return inlineValidator(opts.limits);
  let nextId = 0;
  let closing = false;
  /** A worker that cannot even start (its code does not load) will not start next time either. */
  let broken = false;
  const url = opts.entry ?? new URL('./validate-worker.mjs', import.meta.url);

  const spawn = (): Slot => {
    const slot: Slot = { worker: new Worker(url, { workerData: { limits: opts.limits } }), pending: new Map() };
    slot.worker.on('message', (msg: { id: number; output: BatchOutput } | { ready: true }) => {
      if ('ready' in msg) {
        slot.ready = true;
        return;
      }
      const p = slot.pending.get(msg.id);
      slot.pending.delete(msg.id);
      p?.resolve(msg.output);
    });
    const lost = (why: string) => {
      // A crash reports both 'error' and 'exit': act once.
      if (closing || slot.dead) return;
      slot.dead = true;
      // A worker that dies takes nothing with it: its batches are validated here instead, and
      // a fresh worker takes its place.
      opts.log?.(`validation worker ${why}; ${slot.pending.size} batch(es) validated on the main thread`);
      for (const { input, resolve } of slot.pending.values()) resolve(validateBatch(input, opts.limits));
      slot.pending.clear();
      if (!slot.ready) {
        if (!broken) opts.log?.('validation workers cannot start; validating on the main thread from now on');
        broken = true;
        return;
      }
      slots[slots.indexOf(slot)] = spawn();
    };
    slot.worker.on('error', (err) => lost(`failed: ${err.message}`));
    slot.worker.on('exit', (code) => lost(`exited with code ${code}`));
    // An idle pool must not keep the process alive.
    slot.worker.unref();
    return slot;
  };
  const slots: Slot[] = Array.from({ length: opts.size }, spawn);

  return {
    validate(input) {
      if (broken) return Promise.resolve(validateBatch(input, opts.limits));
      // The least busy worker; pending batches hold the worker's ref so the process waits for them.
      const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise((resolve) => {
        if (slot.pending.size === 0) slot.worker.ref();
        slot.pending.set(id, {
          input,
          resolve: (o) => {
            if (slot.pending.size === 0) slot.worker.unref();
            resolve(o);
          },
        });
        slot.worker.postMessage({ id, input });
      });
    },
    async close() {
      closing = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
