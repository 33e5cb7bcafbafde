import SwaggerParser from '@apidevtools/swagger-parser';
import type { Store } from '@edu/analytics';
import { disposeTestStore, openTestStore } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestStreamer, type TestStreamer } from '../testing/harness.ts';
import { describedApp } from './api-reference.ts';
import { openApiOf } from './openapi.ts';

// The assembled streamer serves its reference, without a login, and it is the document of the
// routes it actually serves: valid OpenAPI 3.1, every path of the route walk, and a documented
// route answers as documented (a required query parameter missing is a 400).

describe('GET /api/v1/openapi.json', () => {
  let store: Store;
  let t: TestStreamer;

  beforeAll(async () => {
    store = await openTestStore('chdb', 'openapi');
    t = await startTestStreamer(store);
  });
  afterAll(async () => {
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  it('serves the valid reference of the running routes, without a login', async () => {
    const res = await fetch(`${t.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const served = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(served.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(served) as never)).resolves.toBeTruthy();
    // The running app (its screen folder and file store aside) has the routes the listing app has.
    expect(Object.keys(served.paths).sort()).toEqual(Object.keys(openApiOf(describedApp()).paths as object).sort());
    expect(Object.keys(served.paths['/api/v1/notices/{id}/close'] ?? {})).toEqual(['post']);

    // What the reference says is required is required: rankings without `metric` is refused.
    const metric = (
      served.paths['/api/v1/rankings']?.get as { parameters: { name: string; required: boolean }[] }
    ).parameters.find((p) => p.name === 'metric');
    expect(metric?.required).toBe(true);
    const leader = await new ApiClient(t.url).login('13800000001');
    const without = await leader.get('/api/v1/rankings?scope=city');
    expect(without).toMatchObject({ status: 400, body: { code: 'bad_request' } });
    expect(String(without.body.error)).toMatch(/metric/);
    expect((await leader.get('/api/v1/rankings?scope=city&metric=attendance_rate')).status).toBe(200);
  });

  it('is truthful about logins: every route not marked "No login" refuses a caller without a token', async () => {
    const served = (await (await fetch(`${t.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const answers: string[] = [];
    for (const [path, ops] of Object.entries(served.paths))
      for (const [method, o] of Object.entries(ops)) {
        if (!path.startsWith('/api/v1/')) continue;
        const url = t.url + path.replace(/\{\w+\}/g, 'x');
        const res = await fetch(url, {
          method: method.toUpperCase(),
          ...(method === 'get' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }),
        });
        const open = Array.isArray(o.security) && o.security.length === 0;
        answers.push(`${method} ${path}: ${open ? 'open' : 'login'} ${res.status === 401 ? 401 : 'other'}`);
      }
    expect(answers.length).toBeGreaterThan(40);
    for (const a of answers) expect(a).toMatch(/: (login 401|open other)$/);
  });
});
