import { InProcessChangeBus, migrate, openChdbStore, type Store } from '@edu/analytics';
import { createIngest, type Ingest, type IngestConfig } from '@edu/ingest';
import {
  createStreamer,
  InProcessSupervisionPublisher,
  MemorySharedState,
  type Clock,
  type Streamer,
  type StreamerConfig,
} from '@edu/streamer';
import { asLogger, at, type LogSink } from '@edu/analytics/log';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

// The whole product in one process, the embedded default: chDB for storage, an in-process
// change bus instead of Redis pub/sub, in-memory shared state, and notices "published" to a
// JSON-lines file instead of Kafka. Ingest and the streamer are the same code as on the full
// stack; only these parts differ.

export interface ProductOptions {
  dataDir: string;
  /** Ingest's settings (its HTTP intake's address among them); the store is chDB under dataDir. */
  ingest: IngestConfig;
  /** The streamer's settings; it listens on their host and port. */
  streamer: StreamerConfig;
  clock: Clock;
  staticDir: string | null;
  /** A logger (ingest and the streamer log through its children, ingest.* and streamer.*) or a function given every message. */
  log: LogSink;
}

export interface Product {
  store: Store;
  ingest: Ingest;
  streamer: Streamer;
  url: string;
  intakeUrl: string;
  /** Where the bureau's decisions go (edu.supervision.v1 in-process): the simulator's schools read it. */
  publisher: InProcessSupervisionPublisher;
  /** The file every published decision is appended to, one JSON line each. */
  outbox: string;
  stop(): Promise<void>;
}

export async function startProduct(o: ProductOptions): Promise<Product> {
  const logger = asLogger(o.log);
  const log = at(logger, 'info');
  await mkdir(o.dataDir, { recursive: true });
  const store = await openChdbStore({ path: join(o.dataDir, 'chdb'), database: 'edu' });
  const report = await migrate(store);
  if (report.applied.length) log(`migrations applied: ${report.applied.join(', ')}`);
  const bus = new InProcessChangeBus();
  const clock = () => o.clock.now();

  const ingest = await createIngest({
    config: o.ingest,
    store,
    changes: bus,
    clock,
    log: logger,
  });
  await ingest.start();
  const intake = ingest.app.listen(o.ingest.http.port, o.ingest.http.host);
  await new Promise<void>((resolve, reject) => intake.once('listening', resolve).once('error', reject));

  const publisher = new InProcessSupervisionPublisher();
  const outbox = join(o.dataDir, 'supervision.jsonl');
  publisher.on(
    (e) =>
      void appendFile(outbox, `${JSON.stringify(e)}\n`).catch((err: unknown) => logger.error(`outbox: ${String(err)}`)),
  );
  const streamer = await createStreamer({
    config: o.streamer,
    store,
    // Sessions and throttles run on real time; only the city's clock is simulated.
    shared: new MemorySharedState(),
    changes: bus,
    publisher,
    clock: o.clock,
    staticDir: o.staticDir,
    log: logger,
    // A terminal shows what goes wrong, not every file the wall loads.
    requestLogLevel: 'debug',
  });
  const port = await streamer.listen(o.streamer.port, o.streamer.host);
  const address = intake.address();
  const intakePort = typeof address === 'object' && address ? address.port : o.ingest.http.port;
  return {
    store,
    ingest,
    streamer,
    publisher,
    outbox,
    url: `http://${o.streamer.host}:${port}/`,
    intakeUrl: `http://${o.ingest.http.host}:${intakePort}/v1/events`,
    async stop() {
      await streamer.close();
      intake.close();
      await ingest.stop();
      await store.close();
    },
  };
}
