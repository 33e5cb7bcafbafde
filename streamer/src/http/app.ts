import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { HttpError } from '../errors.ts';
import { requireUser } from './auth.ts';
import type { HttpContext } from './context.ts';
import { authRoutes } from './routes/auth.ts';
import { decisionRoutes } from './routes/decisions.ts';
import { dimensionRoutes } from './routes/dimensions.ts';
import { readRoutes } from './routes/read.ts';
import { auditByUser, writeRoutes } from './routes/write.ts';

// The streamer's HTTP surface: /api/v1 (docs/api.md), /healthz, /metrics, and the built
// screen as static files. Same-origin only: no CORS headers are sent, and a write whose
// Origin is another site is refused (tokens travel in a header, never a cookie, so a
// cross-site form cannot carry them anyway; this is the second lock).

export function createHttpApp(ctx: HttpContext, health: () => Promise<Record<string, unknown>>): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use((req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const end = ctx.metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () =>
      end({
        route: (req.route?.path as string | undefined) ?? (req.path.startsWith('/api') ? 'unmatched' : 'static'),
        status: String(res.statusCode),
      }),
    );
    next();
  });

  app.get('/healthz', (_req, res, next) => {
    health().then((h) => res.status(h.ok ? 200 : 503).json(h), next);
  });
  app.get('/metrics', (_req, res, next) => {
    ctx.metrics.registry.metrics().then((text) => res.type(ctx.metrics.registry.contentType).send(text), next);
  });

  const api = express.Router();
  api.use((req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const origin = req.headers.origin;
    if (origin && origin !== 'null') {
      let host: string | null = null;
      try {
        host = new URL(origin).host;
      } catch {
        /* malformed Origin: refused below */
      }
      if (host !== req.headers.host)
        return next(new HttpError(403, 'cross_origin', `writes from ${origin} are not allowed`));
    }
    next();
  });
  api.use(express.json({ limit: '64kb' }));
  api.use('/auth', authRoutes(ctx));
  api.use(requireUser(ctx));
  api.use(readRoutes(ctx));
  api.use(dimensionRoutes(ctx));
  api.use(decisionRoutes(ctx));
  api.use(writeRoutes(ctx));
  api.use((req, _res, next) => next(new HttpError(404, 'not_found', `no route ${req.method} ${req.path}`)));
  app.use('/api/v1', api);

  if (ctx.staticDir && existsSync(join(ctx.staticDir, 'index.html'))) {
    const dir = ctx.staticDir;
    app.use(express.static(dir, { index: 'index.html', maxAge: '1h' }));
    // Client-side routes (the wall pinned to a scope, the console pages) all load the app.
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => res.sendFile(join(dir, 'index.html')));
  }

  app.use(async (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { status?: number; type?: string; message?: string };
    if (err instanceof HttpError) {
      if (err.status === 403 && req.method === 'GET' && req.user) await auditReadRefusal(ctx, req, err.message);
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
async function auditReadRefusal(ctx: HttpContext, req: Request, reason: string): Promise<void> {
  try {
    await auditByUser(ctx, req, 'read_refused', req.originalUrl.slice(0, 500), false, { reason });
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
