import { ConfigError, parseEnv } from '@edu/analytics';
import { z } from 'zod';

export { ConfigError };

// The ingest service's whole configuration: defaults in one place, environment overrides
// parsed and validated once at start-up. A bad value stops the service with a message naming
// the variable; nothing else in the package reads process.env.

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[A-Za-z0-9.-]+:\d+$/, 'must be host:port')).min(1));

const schema = z.object({
  /** Kafka brokers, comma-separated host:port. */
  KAFKA_BROKERS: list.default(['127.0.0.1:9092']),
  KAFKA_CLIENT_ID: z.string().min(1).default('edu-ingest'),
  KAFKA_GROUP_ID: z.string().min(1).default('edu-ingest'),
  /**
   * Prepended to every contract topic name, e.g. `cityA.` on a shared cluster; tests use a
   * unique `test.<id>.` prefix so that they never see each other's messages.
   */
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'only letters, digits, . _ -')
    .default(''),
  /** Partitions of each inbound topic when ingest creates it (existing topics are left alone). */
  KAFKA_TOPIC_PARTITIONS: int(1, 256).default(3),
  KAFKA_REPLICATION_FACTOR: int(1, 5).default(1),
  /**
   * How long the broker waits for a silent consumer before handing its partitions to the rest of
   * the group: a killed ingest's partitions stand still this long (kafkajs has no static
   * membership). Heartbeats go every third of it, also while a batch waits for ClickHouse. The
   * broker accepts 6 s to 300 s by default.
   */
  KAFKA_SESSION_TIMEOUT_MS: int(6_000, 300_000).default(10_000),
  /** `server`: a ClickHouse server over HTTP; `chdb`: ClickHouse in this process, on disk at CHDB_PATH. */
  STORE_ENGINE: z.enum(['server', 'chdb']).default('server'),
  CHDB_PATH: z.string().min(1).default('.cache/chdb'),
  CLICKHOUSE_URL: z.url().default('http://127.0.0.1:8123'),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .default('edu'),
  /** A ClickHouse cluster name (deploy/cluster): migrations create tables ON CLUSTER. */
  CLICKHOUSE_CLUSTER: z
    .string()
    .regex(/^([A-Za-z_][A-Za-z0-9_]*)?$/, 'must be a cluster name from remote_servers')
    .default(''),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  /** Redis for change signals to the streamer; empty disables the signals. */
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** A batch is written when it has this many rows… */
  INGEST_BATCH_MAX_ROWS: int(1, 1_000_000).default(50_000),
  /** …or when its oldest row has waited this long. */
  INGEST_BATCH_MAX_WAIT_MS: int(1, 60_000).default(500),
  /** Back-off bounds while ClickHouse refuses writes. */
  INGEST_RETRY_MIN_MS: int(1, 60_000).default(200),
  INGEST_RETRY_MAX_MS: int(1, 600_000).default(5_000),
  /** Worker threads that validate and encode Kafka batches; 0 does it on the main thread. */
  INGEST_WORKERS: int(0, 64).default(2),
  /** Messages fetched but not yet stored, above which the consumer stops fetching. */
  INGEST_MAX_IN_FLIGHT: int(1_000, 10_000_000).default(500_000),
  INGEST_MAX_EVENT_BYTES: int(256, 16 * 1024 * 1024).default(128 * 1024),
  /** Accepted age of an event's ts, in days, and how far ahead of the clock, in minutes. */
  INGEST_MAX_PAST_DAYS: int(1, 100_000).default(400),
  INGEST_MAX_FUTURE_MINUTES: int(0, 100_000).default(60),
  INGEST_HTTP_PORT: int(0, 65535).default(8090),
  INGEST_HTTP_HOST: z.string().default('127.0.0.1'),
  /** Largest accepted HTTP body (bytes) and number of events in one POST. */
  INGEST_HTTP_MAX_BODY_BYTES: int(1024, 64 * 1024 * 1024).default(4 * 1024 * 1024),
  INGEST_HTTP_MAX_EVENTS: int(1, 100_000).default(10_000),
});

export type IngestEnv = z.infer<typeof schema>;

export interface IngestConfig {
  kafka: {
    brokers: string[];
    clientId: string;
    groupId: string;
    topicPrefix: string;
    partitions: number;
    replicationFactor: number;
    sessionTimeoutMs: number;
  };
  store: { engine: 'server' | 'chdb'; chdbPath: string };
  clickhouse: { url: string; database: string; username: string; password: string; cluster: string };
  redisUrl: string;
  batch: { maxRows: number; maxWaitMs: number };
  workers: number;
  maxInFlight: number;
  retry: { minMs: number; maxMs: number };
  limits: { maxEventBytes: number; maxPastMs: number; maxFutureMs: number };
  http: { host: string; port: number; maxBodyBytes: number; maxEvents: number };
}

/** Parses the environment into a config, or throws a ConfigError listing every bad variable. */
export function loadIngestConfig(env: Record<string, string | undefined>): IngestConfig {
  const e = parseEnv(schema, env, 'ingest');
  if (e.INGEST_RETRY_MIN_MS > e.INGEST_RETRY_MAX_MS) {
    throw new ConfigError('invalid ingest configuration:\n  INGEST_RETRY_MIN_MS must not exceed INGEST_RETRY_MAX_MS');
  }
  return {
    kafka: {
      brokers: e.KAFKA_BROKERS,
      clientId: e.KAFKA_CLIENT_ID,
      groupId: e.KAFKA_GROUP_ID,
      topicPrefix: e.KAFKA_TOPIC_PREFIX,
      partitions: e.KAFKA_TOPIC_PARTITIONS,
      replicationFactor: e.KAFKA_REPLICATION_FACTOR,
      sessionTimeoutMs: e.KAFKA_SESSION_TIMEOUT_MS,
    },
    store: { engine: e.STORE_ENGINE, chdbPath: e.CHDB_PATH },
    clickhouse: {
      url: e.CLICKHOUSE_URL,
      database: e.CLICKHOUSE_DATABASE,
      cluster: e.CLICKHOUSE_CLUSTER,
      username: e.CLICKHOUSE_USER,
      password: e.CLICKHOUSE_PASSWORD,
    },
    redisUrl: e.REDIS_URL,
    batch: { maxRows: e.INGEST_BATCH_MAX_ROWS, maxWaitMs: e.INGEST_BATCH_MAX_WAIT_MS },
    workers: e.INGEST_WORKERS,
    maxInFlight: e.INGEST_MAX_IN_FLIGHT,
    retry: { minMs: e.INGEST_RETRY_MIN_MS, maxMs: e.INGEST_RETRY_MAX_MS },
    limits: {
      maxEventBytes: e.INGEST_MAX_EVENT_BYTES,
      maxPastMs: e.INGEST_MAX_PAST_DAYS * 86_400_000,
      maxFutureMs: e.INGEST_MAX_FUTURE_MINUTES * 60_000,
    },
    http: {
      host: e.INGEST_HTTP_HOST,
      port: e.INGEST_HTTP_PORT,
      maxBodyBytes: e.INGEST_HTTP_MAX_BODY_BYTES,
      maxEvents: e.INGEST_HTTP_MAX_EVENTS,
    },
  };
}
