#!/usr/bin/env -S npx tsx
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kafkaSasl, migrate, openConfiguredStore } from '@edu/analytics';
import { at, createLogger } from '@edu/analytics/log';
import { ConfigError, loadConfig } from '../config.ts';
import { createKafkaSupervisionPublisher } from '../publish/kafka-publisher.ts';
import { createStreamer } from '../service.ts';
import { redisChangePublisher, RedisChangeSubscriber } from '../shared/redis-changes.ts';
import { redisAdapter } from '../shared/redis-adapter.ts';
import { createRedisClient, RedisSharedState } from '../shared/redis-state.ts';

// A production streamer instance: ClickHouse (server or chDB), Redis for shared state,
// change signals and the Socket.IO adapter, Kafka for edu.supervision.v1. Several instances
// behind a load balancer serve the screens as one. Configuration: EDU_* (see config.ts).

// JSON lines on stderr, at the settings' EDU_LOG_LEVEL once they are read (`info` before).
let logger = createLogger({ name: 'streamer' });

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      // Plain text: a person starting the service reads it.
      process.stderr.write(`streamer: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  logger = createLogger({ name: 'streamer', level: config.log.level });
  const log = at(logger.child({ component: 'streamer' }), 'info');
  const redisLog = at(logger.child({ component: 'streamer.redis' }), 'warn');
  const store = await openConfiguredStore(config.clickhouse);
  const report = await migrate(store, undefined, { cluster: config.clickhouse.cluster || undefined });
  if (report.applied.length) log(`migrations applied: ${report.applied.join(', ')}`);
  const redis = createRedisClient(config.redis.url, redisLog);
  const shared = new RedisSharedState(redis, config.redisPrefix);
  const changes = new RedisChangeSubscriber(redis);
  await changes.ready();
  const publisher = await createKafkaSupervisionPublisher({
    brokers: config.kafka.brokers,
    clientId: config.kafka.clientId,
    sasl: kafkaSasl(config.kafka),
    topic: config.supervisionTopic,
    log: logger.child({ component: 'streamer.publish' }),
  });
  const adapter = redisAdapter(redis, `${config.redisPrefix}socket.io`, redisLog);
  const here = dirname(fileURLToPath(import.meta.url));
  const streamer = await createStreamer({
    config,
    store,
    shared,
    changes,
    changePublisher: redisChangePublisher(redis),
    publisher,
    log: logger,
    staticDir: config.screenDir || resolve(here, '../../../screen/dist'),
    adapter: adapter.attach,
  });
  const port = await streamer.listen(config.port, config.host);
  log(`listening on http://${config.host}:${port} (store ${config.clickhouse.engine}, redis ${config.redis.url})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    await streamer.close();
    await publisher.close();
    changes.close();
    await shared.close();
    adapter.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  logger.fatal(err, 'fatal');
  process.exit(1);
});
