import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { computeOverview, type Store } from '@edu/analytics';
import {
  FIXTURE_CITY_METRICS,
  FIXTURE_DAY,
  fixtureCityEvents,
  openTestStore,
  disposeTestStore,
  storedComments,
  storedDeadLetters,
  TEST_ENGINES,
} from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodFeedback } from '../testing/hostile.ts';
import { issueTestSourceKey, postToIntake } from '../testing/intake.ts';
import { createIngest, type Ingest } from '../service.ts';
import { testIngestConfig } from '../testing/kafka.ts';

// POST /v1/events without Kafka (the embedded default's intake): per-item results, bad items
// kept in dead_letters, good ones stored, and bodies that are too large refused with a reason.

describe.each(TEST_ENGINES)('HTTP intake on %s', (engine) => {
  let store: Store;
  let ingest: Ingest;
  let server: Server;
  let url: string;
  let key: string;

  beforeAll(async () => {
    store = await openTestStore(engine, 'intake');
    ingest = await createIngest({
      config: testIngestConfig('', store.database, { EDU_INGEST_HTTP_MAX_BODY_BYTES: '1048576' }),
      store,
      log: () => undefined,
    });
    await ingest.start();
    server = ingest.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    key = await issueTestSourceKey(store);
  });
  afterAll(async () => {
    server?.close();
    await ingest?.stop();
    if (store) await disposeTestStore(store);
  });

  const post = (body: string) => postToIntake(`${url}/v1/events`, key, body);

  it('stores the fixture city posted in pieces', async () => {
    const events = fixtureCityEvents();
    for (let i = 0; i < events.length; i += 20) {
      const res = await post(JSON.stringify(events.slice(i, i + 20)));
      expect(res.status).toBe(200);
    }
    await ingest.writer.flush();
    const { overview } = await computeOverview(store, { kind: 'city' }, FIXTURE_DAY);
    expect(overview.metrics).toEqual(FIXTURE_CITY_METRICS);
  });

  it('answers per item and dead-letters the bad ones', async () => {
    const ok = goodFeedback('h-1', '<b>太吵</b>');
    const res = await post(
      JSON.stringify([
        ok,
        { ...ok, id: 'h-2', score: 9 },
        { ...ok, id: 'h-3', type: 'nope' },
        'text',
        // Over the per-event limit (128 KB), as a Kafka message of that size would be.
        { ...ok, id: 'h-4', comment: 'x'.repeat(200 * 1024) },
      ]),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      accepted: number;
      rejected: number;
      results: { ok: boolean; code?: string }[];
    };
    expect(body.accepted).toBe(1);
    expect(body.rejected).toBe(4);
    expect(body.results.map((r) => r.code ?? 'ok')).toEqual([
      'ok',
      'invalid_fields',
      'unknown_type',
      'not_an_object',
      'oversize',
    ]);
    await ingest.writer.flush();
    const letters = await storedDeadLetters(store, { source: 'http' });
    expect(letters.map((l) => l.code).sort()).toEqual(['invalid_fields', 'not_an_object', 'oversize', 'unknown_type']);
    const stored = await storedComments(store, ['h-1']);
    expect(stored.get('h-1')).toBe('<b>太吵</b>');
  });

  it('refuses what is not an array, invalid JSON and oversize bodies with a reason', async () => {
    const notArray = await post('{"id":"x"}');
    expect(notArray.status).toBe(400);
    expect(((await notArray.json()) as { code: string }).code).toBe('bad_request');
    const broken = await post('[{"id":');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { code: string }).code).toBe('invalid_json');
    const huge = await post(JSON.stringify(['x'.repeat(2 * 1024 * 1024)]));
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: string }).error).toMatch(/larger than/);
    // A 10 MB body is refused the same way, and the intake goes on answering.
    const tenMb = await post(JSON.stringify(['x'.repeat(10 * 1024 * 1024)]));
    expect(tenMb.status).toBe(413);
    expect(((await tenMb.json()) as { code: string }).code).toBeTruthy();
    const after = await post(JSON.stringify([]));
    expect(after.status).toBe(200);
    expect(await storedDeadLetters(store, { code: 'invalid_json' })).toHaveLength(1);
  });
});
