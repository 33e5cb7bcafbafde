import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger, requestLog } from './log.ts';
import { afterEach, describe, expect, it } from 'vitest';

// Real requests to a real server: each answer carries its request id (the caller's when sane),
// each request one log line with that id, at a level by outcome, without credentials.

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(level: 'info' | 'debug', successLevel?: 'debug') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ name: 'streamer', level, destination }).child({ component: 'streamer.http' });
  const log = requestLog(logger, { successLevel });
  server = createServer((req, res) => {
    log(req, res);
    res.statusCode = req.url === '/boom' ? 500 : req.url === '/missing' ? 404 : 200;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { lines, get: (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers }) };
}

describe('request log', () => {
  it('echoes a sane X-Request-Id, makes one otherwise, and logs each request under its id', async () => {
    const s = await serve('info');
    const given = await s.get('/api/v1/overview', {
      'x-request-id': 'nginx-4f2a.17',
      authorization: 'Bearer tok-secret',
    });
    expect(given.headers.get('x-request-id')).toBe('nginx-4f2a.17');
    const made = await s.get('/healthz', { 'x-request-id': 'no spaces <script>' });
    const id = made.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.lines).toHaveLength(2);
    expect(s.lines[0]).toMatchObject({
      level: 30,
      component: 'streamer.http',
      reqId: 'nginx-4f2a.17',
      req: { method: 'GET', url: '/api/v1/overview' },
      res: { statusCode: 200 },
    });
    expect(s.lines[0]?.msg).toMatch(/^GET \/api\/v1\/overview 200 \d+ ms$/);
    expect(s.lines[1]).toMatchObject({ reqId: id });
    expect(JSON.stringify(s.lines)).not.toContain('tok-secret');
  });

  it('logs failures by severity and successes at the level asked for', async () => {
    const s = await serve('info', 'debug');
    await s.get('/fine');
    await s.get('/missing');
    await s.get('/boom');
    expect(s.lines.map((l) => [l.level, (l.res as { statusCode: number }).statusCode])).toEqual([
      [40, 404],
      [50, 500],
    ]);
  });

  it('writes the headers at debug, credentials redacted', async () => {
    const s = await serve('debug');
    await s.get('/x', { authorization: 'Bearer tok-secret', cookie: 'sid=cookie-secret' });
    const req = s.lines[0]?.req as { headers: Record<string, string> };
    expect(req.headers.authorization).toBe('[redacted]');
    expect(req.headers.cookie).toBe('[redacted]');
    expect(JSON.stringify(s.lines)).not.toMatch(/tok-secret|cookie-secret/);
  });
});
