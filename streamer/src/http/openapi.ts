import { ERROR_CODES } from '@edu/analytics/errors';
import type { Express, Router } from 'express';
import { z } from 'zod';

// The API reference (OpenAPI 3.1) is generated from the routers themselves, so it cannot drift:
// beside each route, `doc(router, method, path, {...})` names the zod schemas the handler
// validates with (the same objects); `openApiOf(app)` walks the app's registered routes and
// builds the document from those entries. A route without an entry, or an entry without its
// route, fails openapi.test.ts by name. Served at GET /api/v1/openapi.json; docs/api-reference.md
// is rendered from it (`npm run api:doc -w @edu/streamer`). Responses are described in words
// (`returns`), naming the main fields; their types live in analytics.

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type ZObject = z.ZodObject;

export interface RouteDoc {
  /** One line, English. */
  summary: string;
  description?: string;
  /** Query parameters: the object schema(s) the handler parses `req.query` with. */
  query?: ZObject | readonly ZObject[];
  /** Path parameters with a schema; any other `:name` in the path is documented as a string. */
  params?: ZObject;
  /** The JSON body schema the handler parses `req.body` with. */
  body?: z.ZodType;
  /** Who may call it: omitted, any signed-in user (see `public`). */
  roles?: readonly string[];
  /** No login needed. */
  public?: boolean;
  /** The success answer in words, naming its main fields. */
  returns: string;
  /** Success status, 200 by default. */
  status?: 200 | 201 | 204;
  /** Media type of the success answer, JSON by default. */
  produces?: 'application/json' | 'text/csv' | 'application/zip' | 'text/plain';
  /** Request headers the route reads besides Authorization. */
  headers?: Readonly<Record<string, string>>;
}

export interface FoundRoute {
  method: Method;
  /** Full Express path, e.g. /api/v1/notices/:id. */
  path: string;
  doc: RouteDoc | undefined;
}

const DOCS = new WeakMap<object, Map<string, RouteDoc>>();
const METHODS: readonly Method[] = ['get', 'post', 'put', 'patch', 'delete'];

/** Documents a route of `router` (or of the app itself), with the path as given to the router. */
export function doc(router: Router | Express, method: Method, path: string, spec: RouteDoc): void {
  let docs = DOCS.get(router);
  if (!docs) DOCS.set(router, (docs = new Map()));
  const key = `${method} ${path}`;
  if (docs.has(key)) throw new Error(`route ${method.toUpperCase()} ${path} is documented twice`);
  docs.set(key, spec);
}

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

const joinPath = (a: string, b: string) => `${a.replace(/\/$/, '')}/${b.replace(/^\//, '')}`.replace(/\/$/, '') || '/';

/**
 * Every route registered on the app (mounted routers included), with its doc entry if any, and
 * the entries that name no registered route. Regular-expression routes of the app itself are
 * the built screen's client-side fallback, not the API, and are left out.
 */
export function routesOf(app: Express): { routes: FoundRoute[]; orphans: string[] } {
  const routes: FoundRoute[] = [];
  const used = new Map<object, Set<string>>();
  const walk = (stack: Layer[], prefix: string, owner: object) => {
    const docs = DOCS.get(owner);
    for (const layer of stack) {
      if (layer.route) {
        const p = layer.route.path;
        if (typeof p !== 'string') {
          if (owner === app) continue;
          throw new Error(
            `a route under ${prefix || '/'} has a non-string path (${String(p)}): OpenAPI cannot name it`,
          );
        }
        for (const method of METHODS.filter((m) => layer.route?.methods[m])) {
          const key = `${method} ${p}`;
          if (!used.has(owner)) used.set(owner, new Set());
          used.get(owner)?.add(key);
          routes.push({ method, path: joinPath(prefix, p), doc: docs?.get(key) });
        }
      } else if (layer.handle && Array.isArray(layer.handle.stack)) {
        const mount = typeof layer.rawPath === 'string' ? layer.rawPath : '/';
        walk(layer.handle.stack, joinPath(prefix, mount), layer.handle);
      }
    }
  };
  const router = (app as unknown as { router: { stack: Layer[] } }).router;
  walk(router.stack, '', app);
  const orphans: string[] = [];
  const owners = [app, ...collectRouters(router.stack)];
  for (const owner of owners)
    for (const key of DOCS.get(owner)?.keys() ?? [])
      if (!used.get(owner)?.has(key)) orphans.push(key.replace(/^\w+/, (m) => m.toUpperCase()));
  return { routes, orphans };
}

function collectRouters(stack: Layer[]): object[] {
  return stack.flatMap((l) =>
    l.handle && !l.route && Array.isArray(l.handle.stack) ? [l.handle, ...collectRouters(l.handle.stack)] : [],
  );
}

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[] };

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of what a client sends: defaults make fields optional. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

/** Groups of the reference by the path's first segment; others are named by it. */
const TAGS: Readonly<Record<string, string>> = {
  me: 'read',
  geo: 'read',
  overview: 'read',
  rankings: 'read',
  snapshot: 'read',
  charts: 'dimensions',
  audit: 'admin',
  'openapi.json': 'reference',
};

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

function parametersOf(d: RouteDoc, path: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const params = d.params ? jsonSchemaOf(d.params) : { properties: {} };
  for (const [, name] of path.matchAll(/:(\w+)/g))
    out.push({ name, in: 'path', required: true, schema: params.properties?.[name as string] ?? { type: 'string' } });
  const queries = d.query === undefined ? [] : Array.isArray(d.query) ? d.query : [d.query as ZObject];
  for (const q of queries) {
    const js = jsonSchemaOf(q);
    for (const [name, schema] of Object.entries(js.properties ?? {})) {
      const { description, ...rest } = schema as JsonSchema & { description?: string };
      out.push({
        name,
        in: 'query',
        required: js.required?.includes(name) ?? false,
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  for (const [name, description] of Object.entries(d.headers ?? {}))
    out.push({ name, in: 'header', required: false, description, schema: { type: 'string' } });
  return out;
}

function operationOf(method: Method, path: string, d: RouteDoc): Record<string, unknown> {
  const api = path.startsWith('/api/v1/');
  const segment = path.split('/')[3] ?? '';
  const tag = api ? (TAGS[segment] ?? segment) : 'service';
  const status = String(d.status ?? 200);
  const produces = d.produces ?? 'application/json';
  const schema = produces === 'application/json' ? { type: 'object' } : { type: 'string', format: 'binary' };
  const access = d.public ? 'No login.' : d.roles ? `Roles: ${d.roles.join(', ')}.` : 'Any signed-in user.';
  const body = d.body ? jsonSchemaOf(d.body) : null;
  return {
    operationId: `${method}${path.replace(/^\/api\/v1/, '').replace(/[^A-Za-z0-9]+(\w)?/g, (_m, c?: string) => (c ?? '').toUpperCase())}`,
    tags: [tag],
    summary: d.summary,
    description: [d.description, access].filter(Boolean).join('\n\n'),
    ...(d.public ? { security: [] } : {}),
    parameters: parametersOf(d, path),
    ...(body
      ? {
          requestBody: {
            required: (body.required?.length ?? 0) > 0,
            content: { 'application/json': { schema: body } },
          },
        }
      : {}),
    responses: {
      [status]: {
        description: d.returns,
        ...(status === '204' ? {} : { content: { [produces]: { schema } } }),
      },
      ...(api ? { '4XX': { $ref: '#/components/responses/Refusal' } } : {}),
    },
  };
}

/** The OpenAPI 3.1 document of every documented route of the app. */
export function openApiOf(app: Express): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routesOf(app).routes) {
    if (!r.doc) continue;
    const p = openApiPath(r.path);
    paths[p] = { ...paths[p], [r.method]: operationOf(r.method, r.path, r.doc) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '课后服务 streamer HTTP API',
      version: '1.1',
      description:
        'Generated from the routes and the zod schemas they validate with (streamer/src/http/openapi.ts). ' +
        'The guide, with scopes, refusals and the 督办 loop, is docs/api.md.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The token of POST /api/v1/auth/login.' },
      },
      schemas: {
        Refusal: {
          type: 'object',
          required: ['error', 'code'],
          properties: {
            error: { type: 'string', description: 'English, for logs; may be reworded' },
            code: { enum: [...ERROR_CODES], description: 'what the screens translate' },
          },
        },
      },
      responses: {
        Refusal: {
          description: 'A refusal: `{error, code}` (some codes carry more fields, docs/api.md)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Refusal' } } },
        },
      },
    },
    paths,
  };
}
