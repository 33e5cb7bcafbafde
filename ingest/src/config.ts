import {
  CLICKHOUSE_DEFAULTS,
  CLICKHOUSE_VARS,
  clickhouseSchema,
  ConfigError,
  int,
  KAFKA_VARS,
  kafkaDefaults,
  kafkaSchema,
  LOG_DEFAULTS,
  LOG_VARS,
  loadSettings,
  logSchema,
  REDIS_DEFAULTS,
  REDIS_VARS,
  redisSchema,
  refuseRenamed,
  type DeepPartial,
  type SettingsSpec,
} from '@edu/analytics';
import { z } from 'zod';

export { ConfigError };

// The ingest service's settings: the shared groups (ClickHouse, Kafka, Redis, log) and its own
// `EDU_INGEST_*`, parsed once at start-up by the one parser every process uses. A bad value stops
// the service with a message naming the variable; nothing else in the package reads process.env.

const schema = z.object({
  clickhouse: clickhouseSchema,
  kafka: kafkaSchema.extend({
    groupId: z.string().min(1),
    /** Partitions of each inbound topic when ingest creates it (existing topics are left alone). */
    partitions: int(1, 256),
    replicationFactor: int(1, 5),
    sessionTimeoutMs: int(6_000, 300_000),
  }),
  redis: redisSchema,
  log: logSchema,
  batch: z.object({ maxRows: int(1, 1_000_000), maxWaitMs: int(1, 60_000) }),
  retry: z.object({ minMs: int(1, 60_000), maxMs: int(1, 600_000) }),
  workers: int(0, 64),
  maxInFlightBytes: int(64 * 1024, 4 * 1024 ** 3),
  maxEventBytes: int(256, 16 * 1024 * 1024),
  maxPastDays: int(1, 100_000),
  maxFutureMinutes: int(0, 100_000),
  http: z.object({
    host: z.string().min(1),
    port: int(0, 65535),
    maxBodyBytes: int(1024, 64 * 1024 * 1024),
    maxEvents: int(1, 100_000),
    sourceKeysRefreshMs: int(100, 600_000),
  }),
});

const INGEST_VARS = {
  EDU_INGEST_GROUP_ID: {
    path: 'kafka.groupId',
    doc: "Ingest's Kafka consumer group (every ingest process of one deployment shares it).",
  },
  EDU_INGEST_TOPIC_PARTITIONS: {
    path: 'kafka.partitions',
    doc: 'Partitions of each inbound topic when ingest creates it (existing topics are left alone).',
  },
  EDU_INGEST_REPLICATION_FACTOR: {
    path: 'kafka.replicationFactor',
    doc: 'Replication factor of the topics ingest creates.',
  },
  EDU_INGEST_SESSION_TIMEOUT_MS: {
    path: 'kafka.sessionTimeoutMs',
    doc: 'How long the broker waits for a silent consumer before handing its partitions to the rest of the group (heartbeats every third of it); the broker accepts 6–300 s.',
  },
  EDU_INGEST_BATCH_MAX_ROWS: {
    path: 'batch.maxRows',
    doc: 'A batch is written to ClickHouse when it has this many rows…',
  },
  EDU_INGEST_BATCH_MAX_WAIT_MS: { path: 'batch.maxWaitMs', doc: '…or when its oldest row has waited this long.' },
  EDU_INGEST_RETRY_MIN_MS: { path: 'retry.minMs', doc: 'Back-off bounds while ClickHouse refuses writes (lower).' },
  EDU_INGEST_RETRY_MAX_MS: { path: 'retry.maxMs', doc: 'Back-off bounds while ClickHouse refuses writes (upper).' },
  EDU_INGEST_WORKERS: {
    path: 'workers',
    doc: 'Worker threads that validate and encode Kafka batches; 0 does it on the main thread.',
  },
  EDU_INGEST_MAX_IN_FLIGHT_BYTES: {
    path: 'maxInFlightBytes',
    doc: "Bytes of Kafka messages (keys and values) fetched but not yet stored, above which the consumer pauses fetching: what bounds the process's memory.",
  },
  EDU_INGEST_MAX_EVENT_BYTES: { path: 'maxEventBytes', doc: 'Largest accepted event; larger ones are dead letters.' },
  EDU_INGEST_MAX_PAST_DAYS: { path: 'maxPastDays', doc: "Accepted age of an event's `ts`, in days." },
  EDU_INGEST_MAX_FUTURE_MINUTES: {
    path: 'maxFutureMinutes',
    doc: "How far ahead of the clock an event's `ts` may be, in minutes.",
  },
  EDU_INGEST_HTTP_HOST: { path: 'http.host', doc: 'Address of the HTTP intake (POST /v1/events).' },
  EDU_INGEST_HTTP_PORT: { path: 'http.port', doc: 'Port of the HTTP intake.' },
  EDU_INGEST_HTTP_MAX_BODY_BYTES: { path: 'http.maxBodyBytes', doc: 'Largest accepted HTTP body.' },
  EDU_INGEST_HTTP_MAX_EVENTS: { path: 'http.maxEvents', doc: 'Most events in one POST.' },
  EDU_INGEST_SOURCE_KEYS_REFRESH_MS: {
    path: 'http.sourceKeysRefreshMs',
    doc: 'How often the intake reloads the source keys: the longest a revoked key keeps working.',
  },
};

export const INGEST_SETTINGS: SettingsSpec<typeof schema> = {
  label: 'ingest',
  schema,
  defaults: {
    clickhouse: CLICKHOUSE_DEFAULTS,
    kafka: {
      ...kafkaDefaults('edu-ingest'),
      groupId: 'edu-ingest',
      partitions: 3,
      replicationFactor: 1,
      sessionTimeoutMs: 10_000,
    },
    redis: REDIS_DEFAULTS,
    log: LOG_DEFAULTS,
    batch: { maxRows: 50_000, maxWaitMs: 500 },
    retry: { minMs: 200, maxMs: 5_000 },
    workers: 2,
    maxInFlightBytes: 64 * 1024 * 1024,
    maxEventBytes: 128 * 1024,
    maxPastDays: 400,
    maxFutureMinutes: 60,
    http: {
      host: '127.0.0.1',
      port: 8091,
      maxBodyBytes: 4 * 1024 * 1024,
      maxEvents: 10_000,
      sourceKeysRefreshMs: 2_000,
    },
  },
  vars: { ...CLICKHOUSE_VARS, ...KAFKA_VARS, ...REDIS_VARS, ...LOG_VARS, ...INGEST_VARS },
};

export type IngestSettings = z.output<typeof schema>;
export type IngestSettingsInput = DeepPartial<z.input<typeof schema>>;

export interface IngestConfig extends Omit<IngestSettings, 'maxEventBytes' | 'maxPastDays' | 'maxFutureMinutes'> {
  limits: { maxEventBytes: number; maxPastMs: number; maxFutureMs: number };
}

/** Parses the settings into a config, or throws a ConfigError listing every bad variable. */
export function loadIngestConfig(
  env: Record<string, string | undefined>,
  overrides: IngestSettingsInput = {},
): IngestConfig {
  refuseRenamed(env, 'ingest');
  const s = loadSettings(INGEST_SETTINGS, env, overrides);
  if (s.retry.minMs > s.retry.maxMs) {
    throw new ConfigError(
      'invalid ingest configuration:\n  EDU_INGEST_RETRY_MIN_MS must not exceed EDU_INGEST_RETRY_MAX_MS',
    );
  }
  const { maxEventBytes, maxPastDays, maxFutureMinutes, ...rest } = s;
  return {
    ...rest,
    limits: { maxEventBytes, maxPastMs: maxPastDays * 86_400_000, maxFutureMs: maxFutureMinutes * 60_000 },
  };
}
