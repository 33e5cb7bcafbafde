import { randomBytes } from 'node:crypto';
import {
  groupByTable,
  InProcessChangeBus,
  shanghaiDay,
  toRow,
  type ChangePublisher,
  type ChangeSubscriber,
  type InboundEvent,
  type Store,
  type Table,
} from '@edu/analytics';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@edu/analytics/live';
import { ManualClock, type Clock } from '../clock.ts';
import { loadConfig, type StreamerConfig } from '../config.ts';
import { InProcessSupervisionPublisher, type SupervisionPublisher } from '../publish/publisher.ts';
import { createStreamer, type Streamer, type StreamerDeps } from '../service.ts';
import { MemorySharedState } from '../shared/memory-state.ts';
import type { SharedState } from '../shared/state.ts';

// Test helpers: a streamer on a random port with the given parts, an API client that logs in
// (changing the initial password), and a typed Socket.IO client.

export { tcpBalancer } from './balancer.ts';
export { listening, OwnRedis, testRedisUrl } from './own-redis.ts';

export const TEST_PASSWORD = 'Passw0rd-test';

/** Stores events as ingest would (one insert per table); returns the tables that took rows. */
export async function storeEvents(
  store: Store,
  events: readonly InboundEvent[],
  storedMs = Date.now(),
): Promise<Table[]> {
  const grouped = groupByTable(events.map((e) => toRow(e, storedMs)));
  for (const [table, rows] of grouped) await store.insert(table, rows);
  return [...grouped.keys()];
}

/**
 * Stores events and publishes their change signal, as ingest does after a batch: the live path
 * reads again only what a signal names (the figures cache), so a test that stores behind its
 * back must say so.
 */
export async function landEvents(
  store: Store,
  changes: ChangePublisher,
  events: readonly InboundEvent[],
): Promise<void> {
  const stored = Date.now();
  const tables = await storeEvents(store, events, stored);
  const times = events.map((e) => Date.parse(e.ts));
  await changes.publish({
    schools: [...new Set(events.map((e) => ('school_id' in e ? String(e.school_id ?? '') : '')))],
    tables,
    days: [...new Set(times.map(shanghaiDay))],
    max_ts_ms: Math.max(...times),
    stored_ms: stored,
    rows: events.length,
  });
}

export interface TestStreamer {
  streamer: Streamer;
  url: string;
  clock: Clock;
  publisher: SupervisionPublisher;
  close(): Promise<void>;
}

export async function startTestStreamer(
  store: Store,
  opts: {
    clock?: Clock;
    /** The real world's clock (display pairing codes); default the system clock. */
    realClock?: Clock;
    shared?: SharedState;
    changes?: ChangeSubscriber;
    changePublisher?: StreamerDeps['changePublisher'];
    publisher?: SupervisionPublisher;
    config?: Partial<StreamerConfig> & Record<string, unknown>;
    adapter?: StreamerDeps['adapter'];
    log?: StreamerDeps['log'];
    staticDir?: string;
  } = {},
): Promise<TestStreamer> {
  const clock = opts.clock ?? new ManualClock(Date.now());
  const config = loadConfig(
    {},
    { port: 0, live: { debounceMs: 20, maxWaitMs: 200, snapshotCacheSeconds: 60 }, ...(opts.config as object) },
  );
  const publisher = opts.publisher ?? new InProcessSupervisionPublisher();
  const streamer = await createStreamer({
    config,
    store,
    shared: opts.shared ?? new MemorySharedState(clock),
    changes: opts.changes ?? new InProcessChangeBus(),
    changePublisher: opts.changePublisher,
    publisher,
    clock,
    realClock: opts.realClock,
    log: opts.log ?? (() => {}),
    adapter: opts.adapter,
    staticDir: opts.staticDir ?? null,
  });
  const port = await streamer.listen(0);
  return { streamer, url: `http://127.0.0.1:${port}`, clock, publisher, close: () => streamer.close() };
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export class ApiClient {
  token: string | null = null;
  constructor(readonly url: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const res = await fetch(this.url + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
  }

  get<T = Record<string, unknown>>(path: string) {
    return this.call<T>('GET', path);
  }
  post<T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.call<T>('POST', path, body, headers);
  }

  /** Logs in; a first login changes the initial password to TEST_PASSWORD. */
  async login(phone: string): Promise<this> {
    let r = await this.post<{ token: string; user: { must_change_password: boolean } }>('/api/v1/auth/login', {
      phone,
      password: TEST_PASSWORD,
    });
    if (r.status === 401) {
      r = await this.post('/api/v1/auth/login', { phone, password: '123456' });
      if (r.status !== 200) throw new Error(`login ${phone}: ${r.status} ${JSON.stringify(r.body)}`);
      this.token = r.body.token;
      r = await this.post('/api/v1/auth/password', { old_password: '123456', new_password: TEST_PASSWORD });
    }
    if (r.status !== 200) throw new Error(`login ${phone}: ${r.status} ${JSON.stringify(r.body)}`);
    this.token = r.body.token;
    return this;
  }
}

export type ScreenSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A screen's socket; `reconnect` makes it reconnect by itself (quickly), as the wall does. */
export function connectScreen(
  url: string,
  token: string,
  opts: {
    reconnect?: boolean;
    /** Connect from this loopback address (127.0.0.N): a client of its own to a balancer. */ localAddress?: string;
  } = {},
): ScreenSocket {
  return connect(url, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
    ...(opts.reconnect ? { reconnectionDelay: 100, reconnectionDelayMax: 500 } : { reconnection: false }),
  });
}

/** Resolves with the next event of that name (or rejects after `ms`). */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ScreenSocket,
  event: E,
  ms = 5000,
  accept: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`no ${String(event)} within ${ms} ms`));
    }, ms);
    const handler = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!accept(...args)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(args[0]);
    };
    socket.on(event, handler as never);
  });
}

export function join(socket: ScreenSocket, scope: string, date?: string): Promise<{ ok: boolean; error?: string }> {
  return new Promise((resolve) => socket.emit('join', { scope, ...(date ? { date } : {}) }, (ack) => resolve(ack)));
}

export const uniquePrefix = (label: string) => `edu-test:${label}:${randomBytes(4).toString('hex')}:`;

/**
 * Copies everything written to stderr into `lines` (still writing it), so a test can check
 * what reached the logs; returns the function that stops it.
 */
export function captureStderr(lines: string[]): () => void {
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    lines.push(String(chunk));
    return write(chunk, ...rest);
  }) as typeof process.stderr.write;
  return () => {
    process.stderr.write = write;
  };
}
