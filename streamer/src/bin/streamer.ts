#!/usr/bin/env -S npx tsx
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, openChdbStore, openServerStore } from '@edu/analytics';
import { ConfigError, loadConfig } from '../config.ts';
import { createKafkaSupervisionPublisher } from '../publish/kafka-publisher.ts';
import { createStreamer } from '../service.ts';
import { RedisChangeSubscriber } from '../shared/redis-changes.ts';
import { redisAdapter } from '../shared/redis-adapter.ts';
import { createRedisClient, RedisSharedState } from '../shared/redis-state.ts';

// A production streamer instance: ClickHouse (server or chDB), Redis for shared state,
// change signals and the Socket.IO adapter, Kafka for edu.supervision.v1. Several instances
// behind a load balancer serve the screens as one. Configuration: EDU_* (see config.ts).

const log = (m: string) => console.error(`[streamer] ${new Date().toISOString()} ${m}`);

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`streamer: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const store =
    config.storeEngine === 'chdb'
      ? await openChdbStore({ path: config.chdbPath, database: config.clickhouseDatabase })
      : await openServerStore({ url: config.clickhouseUrl, database: config.clickhouseDatabase });
  const report = await migrate(store, undefined, { cluster: config.clickhouseCluster || undefined });
  if (report.applied.length) log(`migrations applied: ${report.applied.join(', ')}`);
  const redis = createRedisClient(config.redisUrl);
  const shared = new RedisSharedState(redis, config.redisPrefix);
  const changes = new RedisChangeSubscriber(redis);
  await changes.ready();
  const publisher = await createKafkaSupervisionPublisher({
    brokers: config.kafkaBrokers,
    clientId: config.kafkaClientId,
    topic: config.supervisionTopic,
  });
  const adapter = redisAdapter(redis, `${config.redisPrefix}socket.io`, log);
  const here = dirname(fileURLToPath(import.meta.url));
  const streamer = await createStreamer({
    config,
    store,
    shared,
    changes,
    publisher,
    log,
    staticDir: config.screenDir || resolve(here, '../../../screen/dist'),
    adapter: adapter.attach,
  });
  const port = await streamer.listen(config.port, config.host);
  log(`listening on http://${config.host}:${port} (store ${config.storeEngine}, redis ${config.redisUrl})`);

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
  console.error(`streamer: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
