import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The Redis the tests use: the one deploy/test-all.sh starts for the suite (its own, on 6389,
 * `EDU_TEST_REDIS_PORT`), never the machine's own on 6379.
 */
export const testRedisUrl = (): string => process.env.EDU_TEST_REDIS_URL ?? 'redis://127.0.0.1:6389';

/** True if something accepts TCP connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function cli(port: number, ...args: string[]): string {
  return spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' }).stdout ?? '';
}

/**
 * A redis-server of a test's own, on its own port and folder: stopping it (the fault tests)
 * touches nothing else on the machine. It refuses a port where something already listens, and
 * checks that the Redis answering is the process it started. Without persistence by default;
 * with `persist` (the display soak) its data is on disk (append-only file, fsync every second),
 * so killed as if it crashed and started again on the same port and folder it comes back with it.
 */
export class OwnRedis {
  private child?: ChildProcess;
  constructor(
    private readonly port: number,
    readonly dir = join(tmpdir(), `edu-own-redis-${port}`),
    private readonly opts: { persist?: boolean } = {},
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (await listening(this.port))
      throw new Error(`127.0.0.1:${this.port} is already in use (not by this test's Redis): refusing to use it`);
    mkdirSync(this.dir, { recursive: true });
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--dir', this.dir],
        ...(this.opts.persist ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no']),
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) throw new Error(`redis-server on ${this.port} exited (code ${child.exitCode})`);
      if (cli(this.port, 'ping').trim() === 'PONG') {
        const pid = /^process_id:(\d+)/m.exec(cli(this.port, 'info', 'server'))?.[1];
        if (pid !== String(child.pid)) {
          child.kill('SIGTERM');
          throw new Error(`127.0.0.1:${this.port} answers as process ${pid}, not our redis-server ${child.pid}`);
        }
        return;
      }
      await sleep(100);
    }
    child.kill('SIGTERM');
    throw new Error(`redis-server on ${this.port} did not start`);
  }

  /** The keys of its database 0 (INFO keyspace). */
  keys(): number {
    return Number(/keys=(\d+)/.exec(cli(this.port, 'info', 'keyspace'))?.[1] ?? 0);
  }

  /** Stops it (SIGKILL: as if it crashed). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }
}
