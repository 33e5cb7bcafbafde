import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Store } from '@edu/analytics';
import { requestLog, type Logger } from '@edu/analytics/log';
import type { IngestMetrics } from '../metrics.ts';
import { intakeRouter, type IntakeDeps } from './intake.ts';

/** The ingest HTTP surface: intake, Prometheus metrics and health. */
export function createIngestApp(
  deps: IntakeDeps & {
    store: Store;
    metrics: IngestMetrics;
    /**
     * Each request logged under its id (X-Request-Id, echoed): refusals at warn, failures at
     * error, the rest at debug (schools post all afternoon).
     */
    log?: Logger;
  },
): Express {
  const app = express();
  app.disable('x-powered-by');
  if (deps.log) app.use(requestLog(deps.log, { successLevel: 'debug' }));
  app.use(intakeRouter(deps));
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  app.get('/healthz', async (_req, res) => {
    try {
      await deps.store.ping();
      res.json({ ok: true, store: deps.store.engine });
    } catch (err) {
      res.status(503).json({ ok: false, error: (err as Error).message });
    }
  });
  app.use((_req, res) => {
    res.status(404).json({ error: 'no such endpoint', code: 'not_found' });
  });
  const onError: ErrorRequestHandler = (
    err: { status?: number; type?: string; message?: string },
    _req,
    res,
    _next,
  ) => {
    if (err.type === 'entity.too.large') {
      res.status(413).json({ error: `the body is larger than ${deps.maxBodyBytes} bytes`, code: 'body_too_large' });
      return;
    }
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    res
      .status(status)
      .json({ error: err.message ?? 'internal error', code: status === 500 ? 'internal' : 'bad_request' });
  };
  app.use(onError);
  return app;
}
