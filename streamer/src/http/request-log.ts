import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger, LoggerLevel } from '@edu/analytics/log';
import { pinoHttp, type HttpLogger } from 'pino-http';

// One line per HTTP request (pino-http), each with a request id: the caller's X-Request-Id when
// it sends a sane one (nginx in the cluster layout, a school's integrator quoting a failure),
// a fresh one otherwise; echoed in the response, so the person holding a failed answer and the
// operator reading the log talk about the same line. Credentials in headers are redacted by the
// logger (analytics/src/log.ts). Socket.IO's own requests never reach this: the engine answers
// them before express.

/** What is taken from a caller as a request id: short, and nothing a log viewer could misread. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export interface RequestLogOptions {
  /**
   * The level of a request answered 1xx–3xx (default `info`). The embedded default passes
   * `debug`: its terminal shows what goes wrong, not every file the wall loads.
   */
  successLevel?: LoggerLevel;
}

export function requestLog(logger: Logger, opts: RequestLogOptions = {}): HttpLogger {
  const successLevel = opts.successLevel ?? 'info';
  return pinoHttp({
    logger,
    // `reqId` at the top of the line (and of any line logged through req.log), easy to grep.
    quietReqLogger: true,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const asked = req.headers['x-request-id'];
      const id = typeof asked === 'string' && SANE_ID.test(asked) ? asked : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel(_req, res, err) {
      if (err || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return successLevel;
    },
    customSuccessMessage: (req, res, ms) => `${req.method} ${req.url} ${res.statusCode} ${Math.round(ms)} ms`,
    customErrorMessage: (req, res, err) => `${req.method} ${req.url} ${res.statusCode}: ${err.message}`,
    // The line says what was asked and answered; the full header dump is for debug.
    serializers: {
      req: (req: {
        id: unknown;
        method: string;
        url: string;
        remoteAddress?: string;
        headers: Record<string, unknown>;
      }) =>
        logger.isLevelEnabled('debug')
          ? req
          : { id: req.id, method: req.method, url: req.url, remoteAddress: req.remoteAddress },
      res: (res: { statusCode: number; headers: Record<string, unknown> }) =>
        logger.isLevelEnabled('debug') ? res : { statusCode: res.statusCode },
    },
  });
}
