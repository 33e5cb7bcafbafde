import { parentPort, workerData } from 'node:worker_threads';
import type { ValidationLimits } from '@edu/analytics';
import { validateBatch, type BatchInput } from './validate-batch.ts';

// A validation worker thread: batches in, validated and encoded batches out (validate-pool.ts).
// Loaded by validate-worker.mjs.

const limits = (workerData as { limits: ValidationLimits }).limits;

parentPort?.on('message', (msg: { id: number; input: BatchInput }) => {
  parentPort?.postMessage({ id: msg.id, output: validateBatch(msg.input, limits) });
});

parentPort?.postMessage({ ready: true });
