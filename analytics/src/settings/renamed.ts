import { ConfigError } from './load.ts';

// Names the settings had before they were all `EDU_…`. A process refuses to start while one is
// set: silently ignoring CLICKHOUSE_URL would send an upgraded ingest to the default server.

const OLD_PREFIXED = [
  'STORE_ENGINE',
  'CHDB_PATH',
  'CLICKHOUSE_URL',
  'CLICKHOUSE_DATABASE',
  'CLICKHOUSE_USER',
  'CLICKHOUSE_PASSWORD',
  'CLICKHOUSE_CLUSTER',
  'REDIS_URL',
  'KAFKA_BROKERS',
  'KAFKA_CLIENT_ID',
  'KAFKA_TOPIC_PREFIX',
];
const OLD_RENAMED: Record<string, string> = {
  KAFKA_GROUP_ID: 'EDU_INGEST_GROUP_ID',
  KAFKA_TOPIC_PARTITIONS: 'EDU_INGEST_TOPIC_PARTITIONS',
  KAFKA_REPLICATION_FACTOR: 'EDU_INGEST_REPLICATION_FACTOR',
  KAFKA_SESSION_TIMEOUT_MS: 'EDU_INGEST_SESSION_TIMEOUT_MS',
  // A message count bounded memory badly (one 100 kB event weighs 400 check-ins): now bytes.
  EDU_INGEST_MAX_IN_FLIGHT: 'EDU_INGEST_MAX_IN_FLIGHT_BYTES (bytes, not messages)',
};

/** The new name of an old setting, or undefined. `INGEST_*` and `SIM_*` gained the `EDU_` prefix. */
export function renamedTo(name: string): string | undefined {
  if (OLD_PREFIXED.includes(name)) return `EDU_${name}`;
  if (OLD_RENAMED[name]) return OLD_RENAMED[name];
  if (/^(INGEST|SIM)_[A-Z0-9_]+$/.test(name)) return `EDU_${name}`;
  return undefined;
}

/** Throws a ConfigError listing every old name set in `env`, with its new name. */
export function refuseRenamed(env: Record<string, string | undefined>, label: string): void {
  const found = Object.keys(env)
    .filter((k) => env[k] !== undefined && env[k] !== '')
    .flatMap((k) => {
      const to = renamedTo(k);
      return to ? [`  ${k} is now ${to}: set that instead and unset ${k}`] : [];
    });
  if (found.length) throw new ConfigError(`invalid ${label} configuration (renamed settings):\n${found.join('\n')}`);
}
