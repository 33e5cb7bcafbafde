import { Writable } from 'node:stream';
import type { Store } from '@edu/analytics';
import { createLogger } from '@edu/analytics/log';
import { disposeTestStore, openTestStore } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestStreamer, type TestStreamer } from '../testing/harness.ts';

// The assembled streamer: every answer carries a request id, and the operator finds the
// request under it in the log (JSON, component streamer.http), without the caller's token.

describe('streamer request ids', () => {
  let store: Store;
  let t: TestStreamer;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    store = await openTestStore('chdb', 'request_id');
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean))
          lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    t = await startTestStreamer(store, { log: createLogger({ name: 'streamer', destination }) });
  });
  afterAll(async () => {
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  it('echoes the request id and logs the request under it, the token redacted', async () => {
    const c = await new ApiClient(t.url).login('13800000001');
    const res = await fetch(`${t.url}/api/v1/overview?scope=city`, {
      headers: { authorization: `Bearer ${c.token as string}`, 'x-request-id': 'desk-42' },
    });
    expect(res.headers.get('x-request-id')).toBe('desk-42');
    const anonymous = await fetch(`${t.url}/api/v1/overview?scope=city`);
    expect(anonymous.status).toBe(401);
    const id = anonymous.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const http = lines.filter((l) => l.component === 'streamer.http');
    expect(http.find((l) => l.reqId === 'desk-42')).toMatchObject({
      level: 30,
      service: 'streamer',
      req: { method: 'GET', url: '/api/v1/overview?scope=city' },
      res: { statusCode: res.status },
    });
    expect(http.find((l) => l.reqId === id)).toMatchObject({ level: 40, res: { statusCode: 401 } });
    expect(JSON.stringify(lines)).not.toContain(c.token as string);
  });
});
