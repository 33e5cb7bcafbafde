import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import express, { Router } from 'express';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { API_REFERENCE_FILE, apiReferenceMarkdown, describedApp } from './api-reference.ts';
import { doc, openApiOf, routesOf } from './openapi.ts';

// The reference cannot drift from the routes: every route the app registers has its doc entry
// (openapi.ts), every entry names a registered route, the document is valid OpenAPI 3.1, and
// docs/api-reference.md is what the routes say now.

type Op = {
  parameters: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { content: { 'application/json': { schema: { required?: string[]; properties: object } } } };
  security?: unknown[];
};
const op = (api: Record<string, unknown>, path: string, method: string) =>
  (api.paths as Record<string, Record<string, Op>>)[path]?.[method] as Op;

describe('API reference', () => {
  const app = describedApp();
  const api = openApiOf(app);

  it('documents every registered route, and no route that is gone', () => {
    const { routes, orphans } = routesOf(app);
    const missing = routes.filter((r) => !r.doc).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(
      missing,
      `routes without a doc entry: add doc(r, method, path, {summary, query, params, body, returns}) beside each (streamer/src/http/openapi.ts), then npm run api:doc -w @edu/streamer`,
    ).toEqual([]);
    expect(orphans, 'doc entries naming no registered route').toEqual([]);
    // The walk finds the mounted routers' routes under their full paths.
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['post /api/v1/auth/login', 'get /api/v1/charts/:chart', 'get /healthz']),
    );
    expect(routes.length).toBeGreaterThanOrEqual(45);
  });

  it('names a route added without its doc entry, and an entry left without its route', () => {
    const extra = express();
    const r = Router();
    doc(r, 'get', '/documented', { summary: 'Documented', returns: '`{}`' });
    r.get('/documented', (_req, res) => void res.json({}));
    r.post('/forgotten', (_req, res) => void res.json({}));
    doc(r, 'delete', '/gone', { summary: 'Gone', returns: 'nothing' });
    extra.use('/api/v1', r);
    const { routes, orphans } = routesOf(extra);
    expect(routes.filter((x) => !x.doc).map((x) => `${x.method} ${x.path}`)).toEqual(['post /api/v1/forgotten']);
    expect(orphans).toEqual(['DELETE /gone']);
    expect(() => doc(r, 'get', '/documented', { summary: 'again', returns: '' })).toThrow(/documented twice/);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(api.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(api) as never)).resolves.toBeTruthy();
    // A broken document is refused, by structure and by meaning: the validator is no formality.
    type Broken = { paths: Record<string, Record<string, { parameters: Record<string, unknown>[] }>> };
    const noIn = structuredClone(api) as Broken;
    delete noIn.paths['/api/v1/charts/{chart}']?.get?.parameters[0]?.in;
    await expect(SwaggerParser.validate(noIn as never)).rejects.toThrow();
    // The validator does not check 3.1 path templates against their parameters; this does.
    for (const [path, ops] of Object.entries(api.paths as Record<string, Record<string, Op>>))
      for (const o of Object.values(ops))
        expect(
          o.parameters.filter((p) => p.in === 'path').map((p) => `{${p.name}}`),
          `${path}: its template parameters`,
        ).toEqual(path.match(/\{\w+\}/g) ?? []);
  });

  it("takes parameters and bodies from the handlers' zod schemas", () => {
    const rankings = op(api, '/api/v1/rankings', 'get');
    const metric = rankings.parameters.find((p) => p.name === 'metric');
    expect(metric?.required).toBe(true);
    expect(metric?.schema.enum).toEqual(expect.arrayContaining(['attendance_rate', 'due.attendance_rate']));
    const limit = rankings.parameters.find((p) => p.name === 'limit');
    expect(limit).toMatchObject({ required: false, schema: { maximum: 100, default: 10 } });
    expect(rankings.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['scope', 'date', 'at', 'metric', 'order']),
    );

    const notice = op(api, '/api/v1/notices', 'post').requestBody?.content['application/json'].schema;
    expect(notice?.required).toEqual(
      expect.arrayContaining(['target_type', 'target_id', 'dimension', 'subject_id', 'content']),
    );
    expect(notice?.required).not.toContain('deadline');

    // Path parameters: a schema where the handler has one, a string otherwise; a school route
    // reads no `scope` from its query (the path names the school).
    const chart = op(api, '/api/v1/charts/{chart}', 'get').parameters.find((p) => p.name === 'chart');
    expect(chart).toMatchObject({ in: 'path', required: true });
    expect(chart?.schema.enum).toEqual(expect.arrayContaining(['totals', 'attendance']));
    const timetable = op(api, '/api/v1/dimensions/process/schools/{school}/teachers/{teacher}/timetable', 'get');
    expect(timetable.parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(['school', 'teacher']);
    expect(timetable.parameters.map((p) => p.name)).not.toContain('scope');

    expect(op(api, '/api/v1/auth/login', 'post').security).toEqual([]);
    expect(op(api, '/api/v1/overview', 'get').security).toBeUndefined();
  });

  it('converts what a client sends: defaults are optional, transforms are described by their input', () => {
    const params = op(api, '/api/v1/dimensions/material/schools/{school}/files.zip', 'get').parameters;
    expect(params.find((p) => p.name === 'ids')).toMatchObject({ required: false, schema: { type: 'string' } });
    const s = z.object({ n: z.coerce.number().default(1) });
    const extra = express();
    const r = Router();
    doc(r, 'get', '/n', { summary: 'N', query: s, returns: '`{}`' });
    r.get('/n', (_req, res) => void res.json({}));
    extra.use(r);
    expect(op(openApiOf(extra), '/n', 'get').parameters[0]).toMatchObject({ name: 'n', required: false });
  });

  it('docs/api-reference.md is what the routes say now', async () => {
    const file = readFileSync(API_REFERENCE_FILE, 'utf8');
    expect(file, 'docs/api-reference.md is stale: npm run api:doc -w @edu/streamer').toBe(await apiReferenceMarkdown());
  });
});
