import {
  CLICKHOUSE_VARS,
  flag,
  int,
  KAFKA_VARS,
  loadSettings,
  REDIS_VARS,
  refuseRenamed,
  type SettingsSpec,
} from '@edu/analytics';
import { loadIngestConfig, type IngestConfig } from '@edu/ingest';
import { loadConfig, type StreamerConfig } from '@edu/streamer';
import { z } from 'zod';

// Configuration of the embedded default (`npm start`): one process, chDB on disk, the simulator
// as the city's schools. Its own settings (EDU_PORT, EDU_SIM_*, …) and every ingest and streamer
// setting that means something here, read by the same parser as on the full stack. Settings of
// parts the embedded default does not run (Kafka, Redis, a ClickHouse server) are named at
// start-up as not applying, never silently dropped.

const schema = z.object({
  port: int(0, 65535),
  host: z.string().min(1),
  /** Where chDB keeps its data; it survives restarts. */
  dataDir: z.string().min(1),
  openBrowser: flag,
  simulator: z.object({
    enabled: flag,
    seed: int(0, 2 ** 31 - 1),
    schools: int(1, 20_000),
    students: int(1, 5_000_000),
    windowMinutes: int(1, 600),
  }),
});

export const EMBEDDED_SETTINGS: SettingsSpec<typeof schema> = {
  label: 'embedded',
  schema,
  defaults: {
    port: 8080,
    host: '127.0.0.1',
    dataDir: '.cache/embedded',
    openBrowser: '1',
    simulator: { enabled: '1', seed: 20261128, schools: 1200, students: 600_000, windowMinutes: 20 },
  },
  vars: {
    EDU_PORT: {
      path: 'port',
      doc: 'Port of the wall, the console and the read API (the HTTP intake is on the next port unless EDU_INGEST_HTTP_PORT says otherwise).',
    },
    EDU_HOST: { path: 'host', doc: 'Address to listen on.' },
    EDU_DATA_DIR: { path: 'dataDir', doc: "Where chDB keeps the embedded default's data; it survives restarts." },
    EDU_OPEN_BROWSER: { path: 'openBrowser', doc: '`1`: open the wall in a browser once the city is set up.' },
    EDU_SIMULATOR: {
      path: 'simulator.enabled',
      doc: '`0` runs the product with no simulated city (events come over POST /v1/events).',
    },
    EDU_SIM_SEED: { path: 'simulator.seed', doc: 'Same seed, same city and events.' },
    EDU_SIM_SCHOOLS: { path: 'simulator.schools', doc: 'Schools in the simulated city.' },
    EDU_SIM_STUDENTS: { path: 'simulator.students', doc: 'Students in the simulated city.' },
    EDU_SIM_WINDOW_MINUTES: {
      path: 'simulator.windowMinutes',
      doc: 'The after-school window (15:15–18:30) is played in this many real minutes, then the next day.',
    },
  },
};

/**
 * Settings of parts the embedded default does not run. EDU_PORT and EDU_HOST stand for the
 * streamer's own; ingest has no Kafka consumer here (the simulator hands events over in-process).
 */
const NOT_HERE: Record<string, string> = {
  ...Object.fromEntries(Object.keys(CLICKHOUSE_VARS).map((k) => [k, 'it keeps its data in chDB under EDU_DATA_DIR'])),
  ...Object.fromEntries(Object.keys(KAFKA_VARS).map((k) => [k, 'it runs no Kafka'])),
  ...Object.fromEntries(Object.keys(REDIS_VARS).map((k) => [k, 'it runs no Redis'])),
  EDU_REDIS_PREFIX: 'it runs no Redis',
  EDU_SUPERVISION_TOPIC: 'it runs no Kafka (notices go to supervision.jsonl under EDU_DATA_DIR)',
  EDU_INGEST_GROUP_ID: 'it runs no Kafka',
  EDU_INGEST_TOPIC_PARTITIONS: 'it runs no Kafka',
  EDU_INGEST_REPLICATION_FACTOR: 'it runs no Kafka',
  EDU_INGEST_SESSION_TIMEOUT_MS: 'it runs no Kafka',
  EDU_INGEST_WORKERS: 'it runs no Kafka consumer (the workers validate Kafka batches)',
  EDU_INGEST_MAX_IN_FLIGHT_BYTES: 'it runs no Kafka consumer',
  EDU_STREAMER_PORT: 'EDU_PORT is its port',
  EDU_STREAMER_HOST: 'EDU_HOST is its address',
  EDU_INGEST_HTTP_HOST: 'EDU_HOST is its address',
};

export interface EmbeddedSettings extends z.output<typeof schema> {
  ingest: IngestConfig;
  streamer: StreamerConfig;
  /** One line per setting that was set but means nothing here, for the start-up log. */
  notApplicable: string[];
}

export type EmbeddedConfig = EmbeddedSettings;

export function loadEmbeddedConfig(env: Record<string, string | undefined>): EmbeddedSettings {
  refuseRenamed(env, 'embedded');
  const e = loadSettings(EMBEDDED_SETTINGS, env);
  const notApplicable = Object.entries(NOT_HERE)
    .filter(([k]) => env[k] !== undefined && env[k] !== '')
    .map(([k, why]) => `${k} does not apply to the embedded default (${why}); deploy/stack.sh runs the full stack`);
  const here = Object.fromEntries(Object.entries(env).filter(([k]) => !(k in NOT_HERE)));
  const ingest = loadIngestConfig(here, {
    clickhouse: { engine: 'chdb' },
    http: { host: e.host, port: e.port === 0 ? 0 : e.port + 1 },
    batch: { maxWaitMs: 200 },
  });
  const streamer = loadConfig(here, {
    port: e.port,
    host: e.host,
    clickhouse: { engine: 'chdb' },
    seedUsers: 'true',
    alerts: { evaluateEveryMs: 5000 },
  });
  return { ...e, ingest, streamer, notApplicable };
}
