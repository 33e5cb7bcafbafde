import { DEFAULT_LIMITS, INBOUND_TOPICS } from '@edu/analytics';
import { afterEach, describe, expect, it } from 'vitest';
import { packMessages, validateBatch } from './validate-batch.ts';
import { createValidatorPool, type BatchValidator } from './validate-pool.ts';

// The pool must answer exactly what validation on the main thread answers, and a worker that
// cannot start or dies mid-batch must cost time, never a batch.

const now = Date.parse('2026-11-27T16:00:00+08:00');
const good = (i: number) =>
  JSON.stringify({
    id: `vp-${i}`,
    type: 'checkin',
    ts: '2026-11-27T15:40:00+08:00',
    school_id: `s${i % 3}`,
    session_id: 'se1',
    person: 'student',
    person_id: `st${i}`,
    method: 'face',
  });
const messages = [good(0), '{not json', good(1), JSON.stringify({ type: 'teleport', id: 'x' }), good(2)].map((s) =>
  Buffer.from(s),
);
const input = () => packMessages(INBOUND_TOPICS.checkin, now, messages);

const pools: BatchValidator[] = [];
const pool = (opts: Partial<Parameters<typeof createValidatorPool>[0]> = {}) => {
  const p = createValidatorPool({ size: 2, limits: DEFAULT_LIMITS, ...opts });
  pools.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('validation worker pool', () => {
  it('answers exactly what the main thread answers', async () => {
    const inline = validateBatch(input(), DEFAULT_LIMITS);
    expect(inline.encoded.count).toBe(3);
    expect(inline.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'invalid_json'],
      [3, 'unknown_type'],
    ]);
    const p = pool();
    const outputs = await Promise.all([p.validate(input()), p.validate(input()), p.validate(input())]);
    for (const out of outputs) expect(out).toEqual(inline);
  });

  it('validates on the main thread when its workers cannot start', async () => {
    const log: string[] = [];
    const p = pool({ entry: new URL('data:text/javascript,process.exit(3)'), log: (m) => log.push(m) });
    await new Promise((r) => setTimeout(r, 300)); // the workers exit
    await expect(p.validate(input())).resolves.toEqual(validateBatch(input(), DEFAULT_LIMITS));
    expect(log.some((m) => m.includes('cannot start'))).toBe(true);
  });

  it('loses no batch when a worker dies holding it', async () => {
    const dies = [
      "import { parentPort } from 'node:worker_threads';",
      'parentPort.postMessage({ ready: true });',
      'parentPort.on("message", () => process.exit(4));',
    ].join('\n');
    const log: string[] = [];
    const p = pool({ entry: new URL(`data:text/javascript,${encodeURIComponent(dies)}`), log: (m) => log.push(m) });
    await new Promise((r) => setTimeout(r, 300)); // the workers are ready
    const out = await p.validate(input());
    expect(out).toEqual(validateBatch(input(), DEFAULT_LIMITS));
    expect(log.some((m) => m.includes('exited with code 4'))).toBe(true);
  });
});
