import { workerData } from 'node:worker_threads';
import type { ValidationLimits } from '@edu/analytics';
import { validateBatch, type BatchInput, type BatchOutput } from './validate-batch.ts';

// A validation worker thread of the piscina pool (validate-pool.ts): a batch in, the validated
// and encoded batch out. Loaded by validate-worker.mjs.

const limits = (workerData as { limits: ValidationLimits }).limits;

export default function validate(input: BatchInput): BatchOutput {
  return validateBatch(input, limits);
}
