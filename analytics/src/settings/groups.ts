import { z } from 'zod';
import { LOGGER_LEVELS } from '../log.ts';
import type { SettingVars } from './load.ts';

// The settings that several processes share, defined once: where ClickHouse is, Kafka, Redis and
// the log level. A process's schema embeds these groups under the same keys (`clickhouse`,
// `kafka`, `redis`, `log`), so one variable means the same thing to ingest, the streamer and the
// simulator.

export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
export const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const hostPorts = z
  .union([z.string(), z.array(z.string())])
  .transform((s) => (Array.isArray(s) ? s : s.split(',')).map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[A-Za-z0-9.-]+:\d+$/, 'must be host:port')).min(1));

export const clickhouseSchema = z.object({
  engine: z.enum(['server', 'chdb']),
  // One server, or the replicas of a cluster in order of preference, comma-separated.
  url: z
    .string()
    .refine((s) => s.split(',').every((u) => z.url().safeParse(u.trim()).success), 'must be URLs, comma-separated'),
  database: z.string().regex(identifier, 'must be a database name'),
  username: z.string(),
  password: z.string(),
  cluster: z.string().regex(/^([A-Za-z_][A-Za-z0-9_]*)?$/, 'must be a cluster name from remote_servers'),
  chdbPath: z.string().min(1),
});

export const CLICKHOUSE_DEFAULTS: z.input<typeof clickhouseSchema> = {
  engine: 'server',
  url: 'http://127.0.0.1:8123',
  database: 'edu',
  username: 'default',
  password: '',
  cluster: '',
  chdbPath: '.cache/chdb',
};

export const CLICKHOUSE_VARS: SettingVars = {
  EDU_STORE_ENGINE: {
    path: 'clickhouse.engine',
    doc: '`server`: a ClickHouse server over HTTP; `chdb`: ClickHouse in this process, on disk at EDU_CHDB_PATH.',
  },
  EDU_CLICKHOUSE_URL: {
    path: 'clickhouse.url',
    doc: "The ClickHouse server's HTTP address; in a cluster, its replicas comma-separated, the preferred first (another is used while it refuses connections).",
  },
  EDU_CLICKHOUSE_DATABASE: {
    path: 'clickhouse.database',
    doc: "Database that holds the product's tables (created by the migrations).",
  },
  EDU_CLICKHOUSE_USER: { path: 'clickhouse.username', doc: 'ClickHouse user.' },
  EDU_CLICKHOUSE_PASSWORD: { path: 'clickhouse.password', doc: 'ClickHouse password.', secret: true },
  EDU_CLICKHOUSE_CLUSTER: {
    path: 'clickhouse.cluster',
    doc: 'A cluster name from remote_servers (deploy/cluster): migrations create tables ON CLUSTER.',
  },
  EDU_CHDB_PATH: { path: 'clickhouse.chdbPath', doc: "chDB's data directory when EDU_STORE_ENGINE=chdb." },
};

export const kafkaSchema = z.object({
  brokers: hostPorts,
  clientId: z.string().min(1),
  /** Prepended to every contract topic, e.g. `cityA.` on a shared cluster; tests use a unique one. */
  topicPrefix: z.string().regex(/^[A-Za-z0-9._-]*$/, 'only letters, digits, . _ -'),
  sasl: z.object({
    mechanism: z.enum(['', 'scram-sha-256', 'scram-sha-512']),
    username: z.string(),
    password: z.string(),
  }),
});

export const kafkaDefaults = (clientId: string): z.input<typeof kafkaSchema> => ({
  brokers: '127.0.0.1:9092',
  clientId,
  topicPrefix: '',
  sasl: { mechanism: '', username: '', password: '' },
});

export const KAFKA_VARS: SettingVars = {
  EDU_KAFKA_BROKERS: { path: 'kafka.brokers', doc: 'Kafka brokers, comma-separated host:port.' },
  EDU_KAFKA_CLIENT_ID: {
    path: 'kafka.clientId',
    doc: "The Kafka client id (the broker's logs and quotas).",
    shownDefault: 'the process: `edu-ingest`, `edu-streamer`',
  },
  EDU_KAFKA_TOPIC_PREFIX: {
    path: 'kafka.topicPrefix',
    doc: 'Prepended to every contract topic name, e.g. `cityA.` on a shared cluster.',
  },
  EDU_KAFKA_SASL_MECHANISM: {
    path: 'kafka.sasl.mechanism',
    doc: 'Empty: no authentication; `scram-sha-256` or `scram-sha-512` with the two below.',
  },
  EDU_KAFKA_USERNAME: { path: 'kafka.sasl.username', doc: "This process's SCRAM user." },
  EDU_KAFKA_PASSWORD: { path: 'kafka.sasl.password', doc: "This process's SCRAM password.", secret: true },
};

/** The SASL options kafkajs takes, or undefined when the broker needs none. */
export function kafkaSasl(k: z.output<typeof kafkaSchema>) {
  const { mechanism, username, password } = k.sasl;
  return mechanism === '' ? undefined : { mechanism, username, password };
}

export const redisSchema = z.object({
  /** `none` where the process can run without Redis (ingest: no change signals to streamers). */
  url: z.string().regex(/^(rediss?:\/\/.+|none)$/, 'must be a redis:// URL (or none)'),
});

export const REDIS_DEFAULTS: z.input<typeof redisSchema> = { url: 'redis://127.0.0.1:6379' };

export const REDIS_VARS: SettingVars = {
  EDU_REDIS_URL: {
    path: 'redis.url',
    doc: 'Redis for state shared between streamers and for change signals from ingest; `none` (ingest only): no change signals.',
  },
};

export const logSchema = z.object({ level: z.enum(LOGGER_LEVELS) });
export const LOG_DEFAULTS: z.input<typeof logSchema> = { level: 'info' };
export const LOG_VARS: SettingVars = {
  EDU_LOG_LEVEL: { path: 'log.level', doc: `Least severe log level written: ${LOGGER_LEVELS.join(', ')}.` },
};
