import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { pino, type DestinationStream, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { PinoPretty } from 'pino-pretty';

// The one logger factory of every process (ingest, streamer, the embedded default, the
// simulator). Services log through pino: JSON lines for a collector in production, concise
// human lines on the embedded default's terminal. Components log through child loggers
// (`component: 'ingest.kafka'`, `streamer.hub`, …), so one line says where it came from.

export type { Logger } from 'pino';

/** pino's levels, least verbose first; `silent` writes nothing. */
export const LOGGER_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LoggerLevel = (typeof LOGGER_LEVELS)[number];

export const isLoggerLevel = (x: unknown): x is LoggerLevel => LOGGER_LEVELS.includes(x as LoggerLevel);

export interface LoggerOptions {
  /** The process: `service` in every JSON line (ingest, streamer, edu). */
  name: string;
  /** Least severe level written (EDU_LOG_LEVEL); default `info`. */
  level?: LoggerLevel;
  /**
   * `json`: one object per line (the services; default). `pretty`: `HH:MM:ss LEVEL component: message`
   * on one line, for a person at a terminal (the embedded default, whose stdout carries the
   * city's progress line every 10 s: the log goes to stderr, one short line per event).
   */
  format?: 'json' | 'pretty';
  /** Where lines go; default stderr, written synchronously (a crash loses no line). */
  destination?: DestinationStream;
}

/**
 * Request and response headers that carry credentials: never written (the security suite
 * checks that no password or token reaches the logs).
 */
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];

export function createLogger(opts: LoggerOptions): Logger {
  const level = opts.level ?? 'info';
  if (!isLoggerLevel(level)) throw new Error(`unknown log level ${JSON.stringify(level)}: ${LOGGER_LEVELS.join(', ')}`);
  const destination = opts.destination ?? process.stderr;
  const base = { level, redact: { paths: REDACT, censor: '[redacted]' } };
  if (opts.format === 'pretty') {
    // pino-pretty pipes into a real stream; a bare `{ write }` (the simulator's progress display) is wrapped.
    const out =
      'on' in destination
        ? destination
        : new Writable({
            write(chunk: Buffer, _encoding, done) {
              destination.write(chunk.toString());
              done();
            },
          });
    const stream = PinoPretty({
      destination: out,
      sync: true,
      colorize: false,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,service,component',
      messageFormat: `{if component}{component}: {end}{msg}`,
    });
    return pino({ ...base, base: { service: opts.name } }, stream);
  }
  return pino({ ...base, base: { service: opts.name } }, destination);
}

/**
 * What the services accept as their log: a pino logger, or (tests, benches) a function that
 * receives each message, whatever its level.
 */
export type LogSink = Logger | ((msg: string) => void);

/** The sink as a logger: a function gets each line's message (at `level` or above). */
export function asLogger(sink: LogSink, level: LoggerLevel = 'info'): Logger {
  if (typeof sink !== 'function') return sink;
  return pino(
    { level },
    {
      write(line: string) {
        sink(String((JSON.parse(line) as { msg?: unknown }).msg ?? ''));
      },
    },
  );
}

/** A message function writing at one level of a logger (for parts that take `(msg) => void`). */
export const at =
  (logger: Logger, level: Exclude<LoggerLevel, 'silent'>) =>
  (msg: string): void =>
    logger[level](msg);

/** kafkajs's levels (kafkajs `logLevel`), so this module needs no kafkajs. */
const KAFKAJS = { NOTHING: 0, ERROR: 1, WARN: 2, INFO: 4, DEBUG: 5 } as const;

/** The kafkajs `logLevel` that lets through what the logger writes: no cost for lines dropped anyway. */
export function kafkaLogLevel(logger: Logger): number {
  const l = logger.levelVal;
  if (l > 50) return KAFKAJS.NOTHING; // fatal, silent
  if (l > 40) return KAFKAJS.ERROR;
  if (l > 30) return KAFKAJS.WARN;
  if (l > 20) return KAFKAJS.INFO;
  return KAFKAJS.DEBUG;
}

interface KafkaEntry {
  namespace: string;
  level: number;
  log: { message: string; timestamp?: string; logger?: string } & Record<string, unknown>;
}

/**
 * kafkajs's `logCreator`: its lines through the logger (the caller's `ingest.kafka`,
 * `streamer.publish` child), with kafkajs's namespace (Consumer, Connection, …) and its extra
 * fields (broker, groupId, error…).
 */
export function kafkaLogCreator(kafka: Logger): () => (entry: KafkaEntry) => void {
  return () =>
    ({ namespace, level, log }) => {
      // kafkajs's own timestamp and logger name repeat what pino writes.
      const { message, timestamp: _t, logger: _l, ...extra } = log;
      const fields = { namespace, ...extra };
      if (level <= KAFKAJS.ERROR) kafka.error(fields, message);
      else if (level <= KAFKAJS.WARN) kafka.warn(fields, message);
      else if (level <= KAFKAJS.INFO) kafka.info(fields, message);
      else kafka.debug(fields, message);
    };
}

/**
 * A process's root logger, its level from a setting (EDU_LOG_LEVEL; empty or absent: `info`).
 * A level that does not exist stops the process with a message naming the setting (exit 2),
 * as every other bad setting does.
 */
export function loggerForProcess(
  opts: Omit<LoggerOptions, 'level'> & { level: string | undefined; setting?: string },
): Logger {
  const level = opts.level || 'info';
  if (!isLoggerLevel(level)) {
    process.stderr.write(
      `invalid ${opts.name} configuration:\n  ${opts.setting ?? 'EDU_LOG_LEVEL'}=${JSON.stringify(level)}: one of ${LOGGER_LEVELS.join(', ')}\n`,
    );
    process.exit(2);
  }
  return createLogger({ ...opts, level });
}

// One line per HTTP request (pino-http; the streamer's API, ingest's intake), each with a request
// id: the caller's X-Request-Id when it sends a sane one (nginx in the cluster layout, a school's
// integrator quoting a failure), a fresh one otherwise; echoed in the response, so the person
// holding a failed answer and the operator reading the log talk about the same line.
// Credentials in headers are redacted by the logger (REDACT above). The streamer's Socket.IO
// requests never reach it: the engine answers them first.

/** What is taken from a caller as a request id: short, and nothing a log viewer could misread. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export interface RequestLogOptions {
  /**
   * The level of a request answered 1xx–3xx (default `info`). The embedded default's streamer
   * passes `debug` (its terminal shows what goes wrong, not every file the wall loads), and so
   * does ingest's intake (schools post all afternoon; its refusals are what an operator reads).
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
