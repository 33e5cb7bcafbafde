#!/usr/bin/env -S npx tsx
// The ingest service on the full stack: Kafka consumer group → ClickHouse server, HTTP intake
// on EDU_INGEST_HTTP_PORT, change signals to the streamers over Redis. SIGTERM/SIGINT drain the
// batch in flight and commit before exiting.
import { kafkaSasl, migrate, openConfiguredStore } from '@edu/analytics';
import { at, createLogger } from '@edu/analytics/log';
import { Redis } from 'ioredis';
import { ConfigError, loadIngestConfig } from '../config.ts';
import { createKafka } from '../kafka/client.ts';
import { redisChangePublisher } from '../redis-changes.ts';
import { createIngest } from '../service.ts';

// JSON lines on stderr, at the settings' EDU_LOG_LEVEL once they are read (`info` before).
let logger = createLogger({ name: 'ingest' });

async function main(): Promise<void> {
  const config = loadIngestConfig(process.env);
  logger = createLogger({ name: 'ingest', level: config.log.level });
  const log = at(logger.child({ component: 'ingest' }), 'info');
  const store = await openConfiguredStore(config.clickhouse);
  const report = await migrate(store, undefined, { cluster: config.clickhouse.cluster || undefined });
  if (report.applied.length > 0) log(`applied migrations ${report.applied.join(', ')}`);
  const redis =
    config.redis.url !== 'none'
      ? new Redis(config.redis.url, { lazyConnect: true, maxRetriesPerRequest: 2 })
      : undefined;
  if (redis) await redis.connect();
  const ingest = await createIngest({
    config,
    store,
    kafka: createKafka({
      brokers: config.kafka.brokers,
      clientId: config.kafka.clientId,
      sasl: kafkaSasl(config.kafka),
      log: logger.child({ component: 'ingest.kafka' }),
    }),
    changes: redis ? redisChangePublisher(redis) : undefined,
    log: logger,
  });
  await ingest.start();
  const server = ingest.app.listen(config.http.port, config.http.host, () => {
    log(
      `consuming from ${config.kafka.brokers.join(',')} as ${config.kafka.groupId}; HTTP on ${config.http.host}:${config.http.port}`,
    );
  });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: draining`);
    server.close();
    await ingest.stop();
    await store.close();
    redis?.disconnect();
    log('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    // Plain text: a person starting the service reads it.
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  logger.fatal(err, 'fatal');
  process.exit(1);
});
