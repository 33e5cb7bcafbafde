import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { HttpError } from '../errors.ts';
import { displayReadOnly, requireUser } from './auth.ts';
import type { HttpContext } from './context.ts';
import { doc, openApiOf } from './openapi.ts';
import { adminRoutes } from './routes/admin.ts';
import { authRoutes } from './routes/auth.ts';
import { decisionRoutes } from './routes/decisions.ts';
import { dimensionRoutes } from './routes/dimensions.ts';
import { displayAdminRoutes, pairingRoutes } from './routes/displays.ts';
import { noticeRoutes } from './routes/notices.ts';
import { pipelineRoutes } from './routes/pipeline.ts';
import { qualityRoutes } from './routes/quality.ts';
import { readRoutes } from './routes/read.ts';
import { sourceKeyRoutes } from './routes/source-keys.ts';
import { auditByUser, writeRoutes } from './routes/write.ts';
import { hasToken, sameOrigin, SECURITY_HEADERS, screenScriptHashes, securityHeaders } from './security.ts';

// The streamer's HTTP surface: /api/v1 (docs/api.md), /healthz, /metrics, and the built
// screen as static files. Same-origin only: no CORS headers are sent, and a write whose
// Origin is not this site — another host, another scheme, or `null` — is refused (tokens
// travel in a header, never a cookie, so a cross-site form cannot carry them anyway; this is
// the second lock). Every answer carries the security headers and the CSP (security.ts).
// /healthz answers only `{ok}` without the metrics token; its details and /metrics are for
// the token (EDU_METRICS_TOKEN) or the internal port (EDU_INTERNAL_PORT, createInternalApp).

export type Health = () => Promise<Record<string, unknown> & { ok: boolean }>;

/** Express's `trust proxy` from the setting: '' none, a number of hops, or addresses. */
export function trustProxySetting(value: string): boolean | number | string {
  const v = value.trim();
  if (v === '') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

export function createHttpApp(ctx: HttpContext, health: Health): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-For only from the configured proxy hops: by default the peer is the client,
  // so a header cannot forge a fresh address for each login attempt.
  app.set('trust proxy', trustProxySetting(ctx.config.trustProxy));
  // The CSP allows the built screen's inline scripts (its legacy-bundle loader) by their hashes.
  const headers = securityHeaders(ctx.staticDir ? screenScriptHashes(ctx.staticDir) : []);
  app.use((req, res, next) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    const end = ctx.metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () =>
      end({
        route: (req.route?.path as string | undefined) ?? (req.path.startsWith('/api') ? 'unmatched' : 'static'),
        status: String(res.statusCode),
      }),
    );
    next();
  });

  const insider = (req: Request) => hasToken(req.headers.authorization, ctx.config.metricsToken);
  // Liveness for anyone (deploy scripts poll it): up or not, nothing more.
  doc(app, 'get', '/healthz', {
    summary: 'Liveness',
    public: true,
    returns:
      '`{ok}` (200, or 503 when a backing service is down); with the metrics token, the checks and room counts too',
  });
  app.get('/healthz', (req, res, next) => {
    health().then((h) => res.status(h.ok ? 200 : 503).json(insider(req) ? h : { ok: h.ok }), next);
  });
  doc(app, 'get', '/metrics', {
    summary: 'Prometheus metrics',
    public: true,
    description: 'With `Authorization: Bearer <EDU_METRICS_TOKEN>` (or on EDU_INTERNAL_PORT); 404 otherwise.',
    produces: 'text/plain',
    returns: 'Prometheus text',
  });
  app.get('/metrics', (req, res, next) => {
    if (!insider(req)) return next(new HttpError(404, 'not_found', 'no route GET /metrics'));
    ctx.metrics.registry.metrics().then((text) => res.type(ctx.metrics.registry.contentType).send(text), next);
  });

  const api = express.Router();
  api.use((req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const origin = req.headers.origin;
    if (origin !== undefined && !sameOrigin(origin, req.headers.host, req.protocol))
      return next(new HttpError(403, 'cross_origin', `writes from ${origin.slice(0, 200)} are not allowed`));
    next();
  });
  api.use(express.json({ limit: '64kb' }));
  // The reference is public, like docs/api.md; built once, on first request, from the routes.
  let reference: Record<string, unknown> | null = null;
  doc(api, 'get', '/openapi.json', {
    summary: 'This API as an OpenAPI 3.1 document',
    public: true,
    returns: 'the document, generated from the routes and their zod schemas',
  });
  api.get('/openapi.json', (_req, res) => {
    res.json((reference ??= openApiOf(app)));
  });
  api.use('/auth', authRoutes(ctx));
  api.use(pairingRoutes(ctx));
  api.use(requireUser(ctx));
  api.use(displayReadOnly);
  api.use(noticeRoutes(ctx));
  api.use(readRoutes(ctx));
  api.use(dimensionRoutes(ctx));
  api.use(pipelineRoutes(ctx));
  api.use(decisionRoutes(ctx));
  api.use(qualityRoutes(ctx));
  api.use(sourceKeyRoutes(ctx));
  api.use(adminRoutes(ctx));
  api.use(displayAdminRoutes(ctx));
  api.use(writeRoutes(ctx));
  api.use((req, _res, next) => next(new HttpError(404, 'not_found', `no route ${req.method} ${req.path}`)));
  app.use('/api/v1', api);

  // Material files the bureau's own file store holds (EDU_FILES_DIR): read-only, no listing.
  if (ctx.config.files.dir) {
    app.use('/files', express.static(ctx.config.files.dir, { index: false, dotfiles: 'deny' }));
    app.use('/files', (_req, res) => void res.status(404).json({ error: 'no such file', code: 'not_found' }));
  }

  if (ctx.staticDir && existsSync(join(ctx.staticDir, 'index.html'))) {
    const dir = ctx.staticDir;
    app.use(express.static(dir, { index: 'index.html', maxAge: '1h' }));
    // Client-side routes (the wall pinned to a scope, the console pages) all load the app.
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => res.sendFile(join(dir, 'index.html')));
  }

  app.use(async (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { status?: number; type?: string; message?: string };
    if (err instanceof HttpError) {
      // Writes audit their own refusals, except a role check before the route (an admin route
      // tried by staff or a leader), which is audited here like a refused read.
      if (
        err.status === 403 &&
        req.user &&
        (req.method === 'GET' || err.code === 'role_required' || err.code === 'display_read_only')
      )
        await auditRefusal(ctx, req, req.method === 'GET' ? 'read_refused' : 'write_refused', err.message);
      res.status(err.status).json({ error: err.message, code: err.code, ...err.extra });
    } else if (e.type === 'entity.too.large') {
      res.status(413).json({ error: 'request body too large (limit 64 KB)', code: 'too_large' });
    } else if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: `request body is not valid JSON: ${e.message ?? ''}`, code: 'bad_request' });
    } else if (unavailable(err)) {
      res.setHeader('Retry-After', '5');
      res
        .status(503)
        .json({ error: 'a backing service (ClickHouse or Redis) is unavailable; retry shortly', code: 'unavailable' });
    } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: e.message ?? 'bad request', code: 'bad_request' });
    } else {
      ctx.log(`unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      res.status(500).json({ error: 'internal error', code: 'internal' });
    }
  });
  return app;
}

/**
 * A read refused for scope (another district, a dimension not theirs, student data) is an
 * escalation attempt and leaves a trace like a refused write (writes audit their own). A
 * failed audit write must not turn the refusal into a 500.
 */
async function auditRefusal(ctx: HttpContext, req: Request, action: string, reason: string): Promise<void> {
  try {
    await auditByUser(ctx, req, action, req.originalUrl.slice(0, 500), false, { reason, method: req.method });
  } catch (err) {
    ctx.log(`audit of a refused read failed: ${(err as Error).message}`);
  }
}

/** Errors that mean a backing service is down (a retry later will do), not a bug. */
function unavailable(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string };
  return (
    e.name === 'MaxRetriesPerRequestError' ||
    e.code === 'ECONNREFUSED' ||
    e.code === 'ECONNRESET' ||
    /Connection is closed|ECONNREFUSED|socket hang up/.test(e.message ?? '')
  );
}

/**
 * The internal port (EDU_INTERNAL_PORT, bound to EDU_INTERNAL_HOST): /healthz with its details
 * (checks, rooms, sockets) and /metrics, without a token. Not to be exposed beyond the
 * machine or the cluster's private network.
 */
export function createInternalApp(ctx: HttpContext, health: Health): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    next();
  });
  app.get('/healthz', (_req, res, next) => {
    health().then((h) => res.status(h.ok ? 200 : 503).json(h), next);
  });
  app.get('/metrics', (_req, res, next) => {
    ctx.metrics.registry.metrics().then((text) => res.type(ctx.metrics.registry.contentType).send(text), next);
  });
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found', code: 'not_found' });
  });
  return app;
}
