import { INBOUND_TOPICS, type ValidationLimits } from '@edu/analytics';
import { Piscina } from 'piscina';
import { packMessages, validateBatch, type BatchInput, type BatchOutput } from './validate-batch.ts';

// Where the Kafka consumer's batches are validated and encoded. JSON parsing, schema checks,
// row mapping and JSON encoding are most of ingest's CPU; on worker threads (a piscina pool)
// they leave the main thread to kafkajs and the ClickHouse requests. `size: 0` validates on the
// main thread.

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

export function createValidatorPool(opts: {
  size: number;
  limits: ValidationLimits;
  log?: (msg: string) => void;
  /** The worker's entry module, default-exporting (input) => output (tests replace it with workers that fail). */
  entry?: URL;
}): BatchValidator {
  if (opts.size <= 0) return inlineValidator(opts.limits);
  const pool = new Piscina<BatchInput, BatchOutput>({
    filename: (opts.entry ?? new URL('./validate-worker.mjs', import.meta.url)).href,
    minThreads: opts.size,
    maxThreads: opts.size,
    workerData: { limits: opts.limits },
  });
  // A worker lost while idle is reported here (piscina replaces it); without a listener the
  // event would end the process.
  pool.on('error', (err: Error) => opts.log?.(`validation worker failed: ${err.message}`));
  let closing = false;
  // Whether the workers' code loads at all: an empty batch through the pool first. A worker that
  // cannot start will not start next time either, and piscina would hold batches for workers
  // that never come: then every batch is validated on the main thread.
  const started = pool.run(packMessages(INBOUND_TOPICS.checkin, 0, [])).then(
    () => true,
    (err: Error) => {
      if (!closing)
        opts.log?.(`validation workers cannot start (${err.message}); validating on the main thread from now on`);
      void pool.destroy();
      return false;
    },
  );

  return {
    async validate(input) {
      if (!(await started)) return validateBatch(input, opts.limits);
      try {
        // Copied to the worker, not transferred: if the worker dies, the bytes are still here.
        return await pool.run(input);
      } catch (err) {
        // A worker that dies takes nothing with it: its batch is validated here instead, and
        // piscina starts a fresh worker in its place.
        opts.log?.(`validation worker ${(err as Error).message}; its batch validated on the main thread`);
        return validateBatch(input, opts.limits);
      }
    },
    async close() {
      closing = true;
      await started;
      await pool.destroy();
    },
  };
}
