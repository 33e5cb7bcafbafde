import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_LIMITS, INBOUND_TOPICS } from '@edu/analytics';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
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

/** A worker entry module of the test's own (piscina loads files, not data: URLs). */
const dir = mkdtempSync(join(tmpdir(), 'edu-validate-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const entry = (name: string, code: string) => {
  writeFileSync(join(dir, name), code);
  return pathToFileURL(join(dir, name));
};

describe('validation worker pool', () => {
  it('answers exactly what the main thread answers', async () => {
    const inline = validateBatch(input(), DEFAULT_LIMITS);
    expect(inline.encoded.count).toBe(3);
    expect(inline.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'invalid_json'],
      [3, 'unknown_type'],
    ]);
    const log: string[] = [];
    const p = pool({ log: (m) => log.push(m) });
    const outputs = await Promise.all([p.validate(input()), p.validate(input()), p.validate(input())]);
    for (const out of outputs) expect(out).toEqual(inline);
    // On the workers: had they failed to start, the pool would have said so (and answered the same).
    expect(log).toEqual([]);
  });

  it('validates on the main thread when its workers cannot start', async () => {
    const log: string[] = [];
    const p = pool({ entry: entry('exits.mjs', 'process.exit(3);'), log: (m) => log.push(m) });
    await new Promise((r) => setTimeout(r, 300)); // the workers exit
    await expect(p.validate(input())).resolves.toEqual(validateBatch(input(), DEFAULT_LIMITS));
    // Every later batch too, at once: nothing waits for a worker that will never come.
    const t0 = Date.now();
    await expect(p.validate(input())).resolves.toEqual(validateBatch(input(), DEFAULT_LIMITS));
    expect(Date.now() - t0).toBeLessThan(100);
    expect(log.filter((m) => m.includes('cannot start'))).toHaveLength(1);
  });

  it('loses no batch when a worker dies holding it', async () => {
    // Starts (answers the empty batch it is probed with), then dies holding a real one.
    const dies =
      'export default (input) => (input.ends.length > 0 ? process.exit(4) : { encoded: null, rejected: [] });';
    const log: string[] = [];
    const p = pool({ entry: entry('dies.mjs', dies), log: (m) => log.push(m) });
    await new Promise((r) => setTimeout(r, 300)); // the workers are ready
    const out = await p.validate(input());
    expect(out).toEqual(validateBatch(input(), DEFAULT_LIMITS));
    expect(log.some((m) => m.includes('exited with code: 4'))).toBe(true);
    expect(log.some((m) => m.includes('cannot start'))).toBe(false);
    // Its replacement is used: the pool still answers (the next worker dies too, and that batch
    // is validated here as well).
    await expect(p.validate(input())).resolves.toEqual(validateBatch(input(), DEFAULT_LIMITS));
  });
});
