import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Store } from '@edu/analytics';
import { createLogger } from '@edu/analytics/log';
import { disposeTestStore, openTestStore } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngest, type Ingest } from '../service.ts';
import { testIngestConfig } from '../testing/kafka.ts';
import { issueTestSourceKey, postToIntake } from '../testing/intake.ts';

// The intake's answers carry a request id, and a refused post is in the log under it (ingest.http,
// warn) without the key it presented; accepted posts are logged at debug only.

describe('ingest intake request ids', () => {
  let store: Store;
  let ingest: Ingest;
  let server: Server;
  let url: string;
  let key: string;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    store = await openTestStore('chdb', 'intake_request_id');
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean))
          lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    ingest = await createIngest({
      config: testIngestConfig('', store.database),
      store,
      log: createLogger({ name: 'ingest', destination }),
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

  it('echoes the id, logs a refusal under it at warn, and an accepted post not at info', async () => {
    const refused = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer made-up-key', 'x-request-id': 'school-7' },
      body: '[]',
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-request-id')).toBe('school-7');
    const accepted = await postToIntake(`${url}/v1/events`, key, '[]');
    expect(accepted.status).toBe(200);
    const http = lines.filter((l) => l.component === 'ingest.http');
    expect(http).toEqual([
      expect.objectContaining({
        level: 40,
        reqId: 'school-7',
        req: expect.objectContaining({ method: 'POST', url: '/v1/events' }),
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('made-up-key');
    expect(JSON.stringify(lines)).not.toContain(key);
  });
});
