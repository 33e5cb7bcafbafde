import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { asLogger, createLogger, isLoggerLevel, kafkaLogCreator, kafkaLogLevel, loggerForProcess } from './log.ts';

// What reaches the operator: JSON lines with level, service and component; one short human line
// per event on a terminal; nothing below the level; no credentials.

function sink(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

describe('createLogger', () => {
  it('writes JSON lines with the service, the component and the level, nothing below the level', () => {
    const { stream, lines } = sink();
    const log = createLogger({ name: 'ingest', level: 'warn', destination: stream });
    const kafka = log.child({ component: 'ingest.kafka' });
    kafka.info('joined the group');
    kafka.warn({ partition: 2 }, 'batch not stored');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 40,
      service: 'ingest',
      component: 'ingest.kafka',
      partition: 2,
      msg: 'batch not stored',
    });
  });

  it('writes one concise line per event in the pretty format', () => {
    const { stream, lines } = sink();
    const log = createLogger({ name: 'edu', format: 'pretty', destination: stream });
    log.child({ component: 'streamer.alerts' }).error('evaluation failed');
    log.info('wall screen: http://127.0.0.1:8080/');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] ERROR: streamer\.alerts: evaluation failed$/);
    expect(lines[1]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: wall screen: http:\/\/127\.0\.0\.1:8080\/$/);
  });

  it('writes pretty lines to a bare { write } (the simulator draws its progress line around them)', () => {
    const got: string[] = [];
    const log = loggerForProcess({
      name: 'simulate',
      format: 'pretty',
      level: '',
      destination: { write: (s) => got.push(s) },
    });
    log.child({ component: 'kafka' }).warn('broker down');
    log.debug('not at info');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: kafka: broker down\n$/);
  });

  it('stops a process whose EDU_LOG_LEVEL does not exist, naming the setting (exit 2)', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `(await import('./log.ts')).loggerForProcess({ name: 'ingest', level: 'loud' }).info('never');`,
      ],
      { cwd: new URL('.', import.meta.url), encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'invalid ingest configuration:\n  EDU_LOG_LEVEL="loud": one of fatal, error, warn, info, debug, trace, silent\n',
    );
    expect(run.stdout).toBe('');
  });

  it('never writes credentials carried by a request', () => {
    const { stream, lines } = sink();
    const log = createLogger({ name: 'streamer', destination: stream });
    log.info(
      { req: { headers: { authorization: 'Bearer secret-token', cookie: 'sid=secret-cookie', host: 'h' } } },
      'request',
    );
    expect(lines[0]).not.toContain('secret');
    expect(JSON.parse(lines[0] as string).req.headers).toEqual({
      authorization: '[redacted]',
      cookie: '[redacted]',
      host: 'h',
    });
  });

  it('refuses an unknown level with a message naming the levels', () => {
    expect(isLoggerLevel('warn')).toBe(true);
    expect(isLoggerLevel('verbose')).toBe(false);
    expect(() => createLogger({ name: 'x', level: 'verbose' as never })).toThrow(
      /unknown log level "verbose": fatal, error/,
    );
  });
});

describe('asLogger', () => {
  it('hands a function each message at the level or above', () => {
    const got: string[] = [];
    const log = asLogger((m) => got.push(m));
    log.child({ component: 'ingest.http' }).warn('refused');
    log.debug('not this');
    expect(got).toEqual(['refused']);
  });
});

describe('kafkajs through the logger', () => {
  it("routes kafkajs's entries by level with its namespace, and asks kafkajs for no more than is written", () => {
    const { stream, lines } = sink();
    const log = createLogger({ name: 'ingest', level: 'info', destination: stream });
    const write = kafkaLogCreator(log.child({ component: 'ingest.kafka' }))();
    const entry = (level: number, message: string) => ({
      namespace: 'Consumer',
      level,
      label: '',
      log: { message, timestamp: 'x', logger: 'kafkajs', groupId: 'g' },
    });
    write(entry(1, 'crash'));
    write(entry(2, 'retrying'));
    write(entry(4, 'joined'));
    write(entry(5, 'fetch'));
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'crash',
        namespace: 'Consumer',
        groupId: 'g',
        component: 'ingest.kafka',
      }),
      expect.objectContaining({ level: 40, msg: 'retrying' }),
      expect.objectContaining({ level: 30, msg: 'joined' }),
    ]);
    expect(lines[0]).not.toContain('timestamp');
    expect(kafkaLogLevel(log)).toBe(4); // INFO
    expect(kafkaLogLevel(createLogger({ name: 'x', level: 'warn' }))).toBe(2);
    expect(kafkaLogLevel(createLogger({ name: 'x', level: 'silent' }))).toBe(0);
  });
});
