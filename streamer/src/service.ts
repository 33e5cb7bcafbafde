import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createMetricsReader,
  decisionSignal,
  type ChangePublisher,
  type ChangeSignal,
  type ChangeSubscriber,
  type MetricsReader,
  type Store,
} from '@edu/analytics';
import { asLogger, at, createLogger, requestLog, type LoggerLevel, type LogSink } from '@edu/analytics/log';
import { Server } from 'socket.io';
import { AlertBook } from './alerts/book.ts';
import { AlertEvaluator } from './alerts/evaluator.ts';
import { Auditor } from './audit.ts';
import { UserDirectory } from './auth/directory.ts';
import { Sessions } from './auth/sessions.ts';
import { DisplayDirectory } from './auth/displays.ts';
import { LoginThrottle } from './auth/throttle.ts';
import { systemClock, type Clock } from './clock.ts';
import type { StreamerConfig } from './config.ts';
import { DecisionService } from './decisions/service.ts';
import { readSubject } from './decisions/subjects.ts';
import { Geography, loadGeography } from './geo.ts';
import { createHttpApp, createInternalApp } from './http/app.ts';
import { addSecurityHeaders, socketOriginAllowed } from './http/security.ts';
import type { HttpContext } from './http/context.ts';
import { Debouncer } from './live/debounce.ts';
import { LiveHub, type LiveServer } from './live/hub.ts';
import { NoticeBook } from './notices/book.ts';
import { NoticeService } from './notices/service.ts';
import { NoticeLoopService } from './notices/loop.ts';
import { createMetrics, type StreamerMetrics } from './observability.ts';
import { OrphanMonitor } from './quality/orphans.ts';
import type { SupervisionPublisher } from './publish/publisher.ts';
import type { SharedState } from './shared/state.ts';

// Assembles one streamer instance from its parts. What differs between the embedded default
// and a production instance comes in as dependencies: the store (chDB or server), the shared
// state (memory or Redis), where change signals come from (in-process bus or Redis pub/sub),
// where notices are published (in-process or Kafka), and the Socket.IO adapter (none or Redis).

export interface StreamerDeps {
  config: StreamerConfig;
  /** Migrated already (the caller owns migrations). */
  store: Store;
  shared: SharedState;
  changes: ChangeSubscriber;
  /**
   * Where a recorded decision's change signal also goes (the change channel on Redis), so every
   * other instance recomputes too; absent: only this instance's own live path.
   */
  changePublisher?: ChangePublisher;
  publisher: SupervisionPublisher;
  clock?: Clock;
  /**
   * The real world's clock (wall displays' pairing codes expire in real minutes even when the
   * city runs on a simulated clock); tests set it. Default: the system clock.
   */
  realClock?: Clock;
  /**
   * A logger (its children: `streamer`, `streamer.http` with a line per request, `streamer.hub`,
   * `streamer.alerts`) or a function given every message. Default: JSON lines on stderr at `info`.
   */
  log?: LogSink;
  /** The level of a request answered without error (default `info`; the embedded default: `debug`). */
  requestLogLevel?: LoggerLevel;
  /** The built screen, served at `/`. */
  staticDir?: string | null;
  /** E.g. the Redis adapter, so several instances serve screens as one. */
  adapter?: (io: LiveServer) => void;
  metrics?: StreamerMetrics;
  /** How often the orphan report (数据质量, /metrics, orphans_growing) is read; default 60 s. */
  orphanRefreshMs?: number;
}

export interface Streamer {
  readonly http: HttpServer;
  readonly io: LiveServer;
  readonly hub: LiveHub;
  readonly alerts: AlertBook;
  readonly notices: NoticeBook;
  readonly users: UserDirectory;
  readonly evaluator: AlertEvaluator;
  readonly reader: MetricsReader;
  readonly metrics: StreamerMetrics;
  readonly orphans: OrphanMonitor;
  geo(): Geography;
  /** Reloads the city's geography (and seeds demo users for new districts when configured). */
  refreshGeography(): Promise<void>;
  /** Listens; resolves with the bound port. */
  listen(port?: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

export async function createStreamer(deps: StreamerDeps): Promise<Streamer> {
  const { config, store, shared } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = asLogger(deps.log ?? createLogger({ name: 'streamer' }));
  const log = at(logger.child({ component: 'streamer' }), 'info');
  const fail = at(logger.child({ component: 'streamer' }), 'error');
  const hubFail = at(logger.child({ component: 'streamer.hub' }), 'error');
  const alertsFail = at(logger.child({ component: 'streamer.alerts' }), 'error');
  const metrics = deps.metrics ?? createMetrics(true);
  const reader = createMetricsReader(store);
  let geography = await loadGeography(store);
  const geo = () => geography;

  const users = new UserDirectory(store, shared, clock);
  // Displays' times (paired, last seen) are of the real world, like sessions' expiry.
  const displays = new DisplayDirectory(store, shared, deps.realClock ?? systemClock);
  const alerts = new AlertBook(store, shared, clock, geo);
  const notices = new NoticeBook(store, shared, clock, geo);
  await Promise.all([users.start(), displays.start(), alerts.start(), notices.start()]);
  // Loaded notices to a provider or operator: their schools are their subject's.
  void notices.resolveSchools(async (n) => {
    const readings = await readSubject({ store, geo, alerts, notices }, n.dimension, n.subject_id);
    const schools = [...new Set(readings.flatMap((r) => r.schools))];
    return schools.length ? schools : null;
  });
  // Seeding runs at start and after each geography refresh; one at a time, or two refreshes
  // would both find a new district's staff member missing and both create it.
  let seeding: Promise<void> = Promise.resolve();
  const seed = () =>
    (seeding = seeding.then(async () => {
      if (!config.seedUsers) return;
      const created = await users.seed([...geography.districts.values()]);
      if (created > 0) log(`seeded ${created} demo user(s) (initial password 123456)`);
    }));
  await seed();

  const orphans = new OrphanMonitor(store, clock, metrics, deps.orphanRefreshMs ?? config.qualityRefreshMs, log);
  const evaluator = new AlertEvaluator(store, reader, shared, alerts, clock, config.alerts, () => orphans.current());
  const noticeService = new NoticeService(
    store,
    shared,
    deps.publisher,
    notices,
    alerts,
    clock,
    config.notices.idempotencyTtlSeconds * 1000,
  );

  // A decision (审批/驳回/喊停/否定) moves figures (contract v1.1): it takes this instance's live
  // path as ingest's batches do (onSignal, below), with the signal analytics writes for it.
  let onSignal: (signal: ChangeSignal) => void = () => {};
  const decisions = new DecisionService(store, deps.publisher, clock, (event) => {
    const signal = decisionSignal(event, clock.now());
    if (!signal) return;
    onSignal(signal);
    // This instance hears it again on the channel: one more recompute, debounced by the hub.
    void deps.changePublisher?.publish(signal).catch((e: unknown) => fail(`decision signal: ${String(e)}`));
  });
  let hub: LiveHub | null = null;
  const ctx: HttpContext = {
    config,
    store,
    reader,
    geo,
    shared,
    users,
    sessions: new Sessions(shared, config.sessionTtlSeconds * 1000),
    displays,
    throttle: new LoginThrottle(shared, config.login),
    audit: new Auditor(store, clock),
    alerts,
    notices,
    noticeService,
    decisions,
    noticeLoop: new NoticeLoopService(notices, decisions, shared),
    hub: () => hub,
    metrics,
    orphans,
    clock,
    staticDir: deps.staticDir ?? null,
    log: at(logger.child({ component: 'streamer.http' }), 'error'),
  };
  const health = async () => {
    const checks: Record<string, string> = {};
    await Promise.all([
      store.ping().then(
        () => (checks.clickhouse = 'ok'),
        (e: Error) => (checks.clickhouse = e.message),
      ),
      shared.ping().then(
        () => (checks.shared_state = 'ok'),
        (e: Error) => (checks.shared_state = e.message),
      ),
    ]);
    return { ok: Object.values(checks).every((v) => v === 'ok'), checks, ...(hub ? hub.stats() : {}) };
  };
  const app = createHttpApp(ctx, health);
  // Every request gets its id (X-Request-Id) and its line before express sees it.
  const requests = requestLog(logger.child({ component: 'streamer.http' }), { successLevel: deps.requestLogLevel });
  const http = createServer((req, res) => {
    requests(req, res);
    app(req, res);
  });
  // /metrics and the detailed /healthz without a token, on a port of their own (if set).
  const internal = config.internalPort > 0 ? createServer(createInternalApp(ctx, health)) : null;
  const io: LiveServer = new Server(http, {
    // A handshake from a page of another site (or `null`) is refused, as its writes are.
    allowRequest: (req, callback) => callback(null, socketOriginAllowed(req)),
    serveClient: false,
    pingInterval: 10_000,
    pingTimeout: 8_000,
    maxHttpBufferSize: 64 * 1024,
  });
  deps.adapter?.(io);
  // The same security headers on the Socket.IO endpoint (handshake and polling answers).
  io.engine.on('headers', (headers: Record<string, string>) => addSecurityHeaders(headers));
  hub = new LiveHub({
    io,
    store,
    reader,
    shared,
    users,
    sessions: ctx.sessions,
    displays,
    audit: ctx.audit,
    alerts,
    notices,
    geo,
    clock,
    metrics,
    debounceMs: config.live.debounceMs,
    maxWaitMs: config.live.maxWaitMs,
    snapshotCacheMs: config.live.snapshotCacheSeconds * 1000,
    dueTickMs: config.live.dueTickMs,
    sessionCheckMs: config.sessionCheckMs,
    onError: (e) => hubFail(e instanceof Error ? e.message : String(e)),
  });
  const liveHub = hub;

  const refreshGeography = async () => {
    geography = await loadGeography(store);
    await seed();
  };
  // The alert rules run on a timer (time-driven rules fire without new events) and soon
  // after data lands, coalesced: at most one evaluation in flight, one queued.
  const runEvaluation = () =>
    void evaluator.evaluate().catch((e: unknown) => alertsFail(e instanceof Error ? e.message : String(e)));
  const evalSoon = new Debouncer(1000, 5000, runEvaluation);
  const geoSoon = new Debouncer(
    500,
    2000,
    () => void refreshGeography().catch((e: unknown) => fail(`geography: ${String(e)}`)),
  );
  onSignal = (signal: ChangeSignal) => {
    reader.invalidate(signal);
    // A school received or answered a notice: the 督办 loop is derived again.
    if (signal.tables.includes('rectifications'))
      void notices.refresh().catch((e: unknown) => log(`notices: ${String(e)}`));
    if (signal.tables.includes('registry')) geoSoon.poke();
    liveHub.changed(signal);
    evalSoon.poke();
  };
  const unsubscribe = deps.changes.subscribe((signal: ChangeSignal) => onSignal(signal));
  const timers = [
    setInterval(runEvaluation, config.alerts.evaluateEveryMs),
    setInterval(
      () => void notices.markOverdue().catch((e: unknown) => fail(`notices: ${String(e)}`)),
      config.notices.overdueCheckEveryMs,
    ),
  ];
  for (const t of timers) t.unref();
  orphans.start();
  runEvaluation();

  return {
    http,
    io,
    hub: liveHub,
    alerts,
    notices,
    users,
    evaluator,
    reader,
    metrics,
    orphans,
    geo,
    refreshGeography,
    listen(port = config.port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          const bound = (http.address() as AddressInfo).port;
          if (!internal) return resolve(bound);
          internal.once('error', reject);
          internal.listen(config.internalPort, config.internalHost, () => resolve(bound));
        });
      });
    },
    async close() {
      unsubscribe();
      for (const t of timers) clearInterval(t);
      evalSoon.cancel();
      geoSoon.cancel();
      orphans.stop();
      // Work already started finishes first: its writes must not meet a closed Redis.
      await Promise.all([liveHub.stop(), evaluator.idle()]);
      await evaluator.release().catch(() => {});
      await new Promise<void>((resolve) => io.close(() => resolve()));
      if (internal?.listening) await new Promise<void>((resolve) => internal.close(() => resolve()));
      await Promise.all([users.stop(), displays.stop(), alerts.stop(), notices.stop()]);
    },
  };
}
