import { InProcessChangeBus, migrate, openChdbStore, type Store } from '@edu/analytics';
import { createIngest, loadIngestConfig, type Ingest } from '@edu/ingest';
import {
  createStreamer,
  InProcessSupervisionPublisher,
  loadConfig,
  MemorySharedState,
  type Clock,
  type Streamer,
} from '@edu/streamer';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

// The whole product in one process, the embedded default: chDB for storage, an in-process
// change bus instead of Redis pub/sub, in-memory shared state, and notices "published" to a
// JSON-lines file instead of Kafka. Ingest and the streamer are the same code as on the full
// stack; only these parts differ.

export interface ProductOptions {
  dataDir: string;
  host: string;
  port: number;
  /** Port of the HTTP intake (POST /v1/events). */
  intakePort: number;
  clock: Clock;
  staticDir: string | null;
  log: (msg: string) => void;
}

export interface Product {
  store: Store;
  ingest: Ingest;
  streamer: Streamer;
  url: string;
  intakeUrl: string;
  stop(): Promise<void>;
}

export async function startProduct(o: ProductOptions): Promise<Product> {
  await mkdir(o.dataDir, { recursive: true });
  const store = await openChdbStore({ path: join(o.dataDir, 'chdb'), database: 'edu' });
  const report = await migrate(store);
  if (report.applied.length) o.log(`migrations applied: ${report.applied.join(', ')}`);
  const bus = new InProcessChangeBus();
  const clock = () => o.clock.now();

  const ingestConfig = loadIngestConfig({
    STORE_ENGINE: 'chdb',
    INGEST_HTTP_PORT: String(o.intakePort),
    INGEST_HTTP_HOST: o.host,
    INGEST_BATCH_MAX_WAIT_MS: '200',
  });
  const ingest = await createIngest({
    config: ingestConfig,
    store,
    changes: bus,
    clock,
    log: (m) => o.log(`ingest: ${m}`),
  });
  await ingest.start();
  const intake = ingest.app.listen(o.intakePort, o.host);
  await new Promise<void>((resolve, reject) => intake.once('listening', resolve).once('error', reject));

  const publisher = new InProcessSupervisionPublisher();
  const outbox = join(o.dataDir, 'supervision.jsonl');
  publisher.on(
    (e) => void appendFile(outbox, `${JSON.stringify(e)}\n`).catch((err: unknown) => o.log(`outbox: ${String(err)}`)),
  );
  const streamer = await createStreamer({
    config: loadConfig(process.env, {
      port: o.port,
      storeEngine: 'chdb',
      seedUsers: 'true',
      alerts: { evaluateEveryMs: 5000 },
    }),
    store,
    // Sessions and throttles run on real time; only the city's clock is simulated.
    shared: new MemorySharedState(),
    changes: bus,
    publisher,
    clock: o.clock,
    staticDir: o.staticDir,
    log: (m) => o.log(`streamer: ${m}`),
  });
  const port = await streamer.listen(o.port, o.host);
  return {
    store,
    ingest,
    streamer,
    url: `http://${o.host}:${port}/`,
    intakeUrl: `http://${o.host}:${o.intakePort}/v1/events`,
    async stop() {
      await streamer.close();
      intake.close();
      await ingest.stop();
      await store.close();
    },
  };
}
