import { ConfigError, DEFAULT_ALERT_SETTINGS } from '@edu/analytics';
import { z } from 'zod';

// The streamer's typed configuration: every default in one place, environment overrides
// parsed and validated at start-up. A bad value stops start-up with a message that names the
// variable. This is the only module that reads the environment (through `loadConfig(env)`).

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const configSchema = z.object({
  port: int(0, 65535),
  /** Address to listen on; 0.0.0.0 behind a load balancer. */
  host: z.string().min(1),
  /** The built screen to serve at `/`; empty: screen/dist of this checkout. */
  screenDir: z.string(),
  /** server | chdb (in-process; the embedded default) */
  storeEngine: z.enum(['server', 'chdb']),
  clickhouseUrl: z.string().url(),
  clickhouseDatabase: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  chdbPath: z.string().min(1),
  /** A ClickHouse cluster name (deploy/cluster): migrations create tables ON CLUSTER. */
  clickhouseCluster: z.string().regex(/^([A-Za-z_][A-Za-z0-9_]*)?$/, 'must be a cluster name from remote_servers'),
  redisUrl: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
  /** Prefix of every Redis key and channel this streamer owns (not the ingest change channel). */
  redisPrefix: z.string().regex(/^[A-Za-z0-9_:.-]*$/),
  kafkaBrokers: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port')).min(1)),
  kafkaClientId: z.string().min(1),
  supervisionTopic: z.string().min(1),
  sessionTtlSeconds: int(60, 30 * 86_400),
  /** How often open sockets' sessions are re-checked (expiry, or an end missed on pub/sub). */
  sessionCheckMs: int(100, 600_000),
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (login throttling,
   * audit): '' none (the default: the peer address is the client), a number of hops, or
   * addresses / CIDRs / `loopback`, `uniquelocal`, comma-separated (Express's `trust proxy`).
   */
  trustProxy: z
    .string()
    .regex(/^[0-9a-fA-F.:/,\sa-z]*$/, 'must be empty, a number of hops, or addresses/CIDRs (comma-separated)'),
  /** Bearer token for /metrics and the detailed /healthz on the public port; '' for none. */
  metricsToken: z.string().refine((v) => v === '' || v.length >= 16, 'must be empty or at least 16 characters'),
  /** A second port serving /metrics and the detailed /healthz without a token; 0: none. */
  internalPort: int(0, 65535),
  internalHost: z.string().min(1),
  login: z.object({
    maxFailures: int(1, 100),
    maxFailuresPerIp: int(1, 10_000),
    /** Failures of one phone from all sources together before it is locked everywhere. */
    maxFailuresPerPhone: int(1, 100_000),
    failureWindowSeconds: int(10, 86_400),
    lockoutBaseSeconds: int(1, 3600),
    lockoutMaxSeconds: int(1, 86_400),
  }),
  live: z.object({
    debounceMs: int(0, 10_000),
    maxWaitMs: int(0, 60_000),
    snapshotCacheSeconds: int(1, 86_400),
    /** Rooms of today are recomputed this often without events (the due figures move with time). */
    dueTickMs: int(1000, 600_000),
  }),
  /**
   * The alert rules (analytics/src/alerts/rules.ts has the table of rules and what each
   * setting means; defaults: DEFAULT_ALERT_SETTINGS there). Minutes are of the service's clock.
   */
  alerts: z.object({
    evaluateEveryMs: int(100, 600_000),
    teacherLateMinutes: int(0, 600),
    checkoutGraceMinutes: int(0, 600),
    attendanceBelow: z.coerce.number().min(0).max(1),
    attendanceMinSessions: int(1, 10_000),
    completionBelow: z.coerce.number().min(0).max(1),
    completionMinSessions: int(1, 10_000),
    /** Per rule id: minutes its condition must hold before it is an alert (Prometheus `for:`). */
    pendingMinutes: z.object({
      teacher_not_checked_in: int(0, 1440),
      class_not_started: int(0, 1440),
      student_not_checked_out: int(0, 1440),
      low_attendance: int(0, 1440),
      low_completion: int(0, 1440),
      low_feedback: int(0, 1440),
      over_budget: int(0, 1440),
    }),
    /** 学生未签退 stays on its school's list this long before it reaches the bureau's wall. */
    escalateCheckoutMinutes: int(0, 1440),
  }),
  notices: z.object({
    idempotencyTtlSeconds: int(60, 30 * 86_400),
    overdueCheckEveryMs: int(100, 3_600_000),
  }),
  seedUsers: bool,
});

export type StreamerConfig = z.infer<typeof configSchema>;
type Input = z.input<typeof configSchema>;

export const DEFAULTS: Input = {
  port: 8090,
  host: '127.0.0.1',
  screenDir: '',
  storeEngine: 'chdb',
  clickhouseUrl: 'http://127.0.0.1:8123',
  clickhouseDatabase: 'edu',
  chdbPath: './data/chdb',
  clickhouseCluster: '',
  redisUrl: 'redis://127.0.0.1:6379',
  redisPrefix: 'edu:',
  kafkaBrokers: '127.0.0.1:9092',
  kafkaClientId: 'edu-streamer',
  supervisionTopic: 'edu.supervision.v1',
  sessionTtlSeconds: 12 * 3600,
  sessionCheckMs: 10_000,
  trustProxy: '',
  metricsToken: '',
  internalPort: 0,
  internalHost: '127.0.0.1',
  login: {
    maxFailures: 5,
    maxFailuresPerIp: 50,
    maxFailuresPerPhone: 100,
    failureWindowSeconds: 900,
    lockoutBaseSeconds: 30,
    lockoutMaxSeconds: 3600,
  },
  live: { debounceMs: 100, maxWaitMs: 250, snapshotCacheSeconds: 600, dueTickMs: 15_000 },
  alerts: {
    evaluateEveryMs: 30_000,
    ...DEFAULT_ALERT_SETTINGS,
    pendingMinutes: { ...DEFAULT_ALERT_SETTINGS.pendingMinutes },
  },
  notices: { idempotencyTtlSeconds: 86_400, overdueCheckEveryMs: 60_000 },
  seedUsers: 'true',
};

/** Environment variable → config path. */
export const ENV_VARS: Record<string, string> = {
  EDU_STREAMER_PORT: 'port',
  EDU_STREAMER_HOST: 'host',
  EDU_SCREEN_DIR: 'screenDir',
  EDU_STORE_ENGINE: 'storeEngine',
  EDU_CLICKHOUSE_URL: 'clickhouseUrl',
  EDU_CLICKHOUSE_DATABASE: 'clickhouseDatabase',
  EDU_CHDB_PATH: 'chdbPath',
  EDU_CLICKHOUSE_CLUSTER: 'clickhouseCluster',
  EDU_REDIS_URL: 'redisUrl',
  EDU_REDIS_PREFIX: 'redisPrefix',
  EDU_KAFKA_BROKERS: 'kafkaBrokers',
  EDU_KAFKA_CLIENT_ID: 'kafkaClientId',
  EDU_SUPERVISION_TOPIC: 'supervisionTopic',
  EDU_SESSION_TTL_SECONDS: 'sessionTtlSeconds',
  EDU_SESSION_CHECK_MS: 'sessionCheckMs',
  EDU_TRUST_PROXY: 'trustProxy',
  EDU_METRICS_TOKEN: 'metricsToken',
  EDU_INTERNAL_PORT: 'internalPort',
  EDU_INTERNAL_HOST: 'internalHost',
  EDU_LOGIN_MAX_FAILURES: 'login.maxFailures',
  EDU_LOGIN_MAX_FAILURES_PER_IP: 'login.maxFailuresPerIp',
  EDU_LOGIN_MAX_FAILURES_PER_PHONE: 'login.maxFailuresPerPhone',
  EDU_LOGIN_FAILURE_WINDOW_SECONDS: 'login.failureWindowSeconds',
  EDU_LOGIN_LOCKOUT_BASE_SECONDS: 'login.lockoutBaseSeconds',
  EDU_LOGIN_LOCKOUT_MAX_SECONDS: 'login.lockoutMaxSeconds',
  EDU_LIVE_DEBOUNCE_MS: 'live.debounceMs',
  EDU_LIVE_MAX_WAIT_MS: 'live.maxWaitMs',
  EDU_LIVE_SNAPSHOT_CACHE_SECONDS: 'live.snapshotCacheSeconds',
  EDU_LIVE_DUE_TICK_MS: 'live.dueTickMs',
  EDU_ALERTS_EVALUATE_EVERY_MS: 'alerts.evaluateEveryMs',
  EDU_ALERTS_TEACHER_LATE_MINUTES: 'alerts.teacherLateMinutes',
  EDU_ALERTS_CHECKOUT_GRACE_MINUTES: 'alerts.checkoutGraceMinutes',
  EDU_ALERTS_ATTENDANCE_BELOW: 'alerts.attendanceBelow',
  EDU_ALERTS_ATTENDANCE_MIN_SESSIONS: 'alerts.attendanceMinSessions',
  EDU_ALERTS_COMPLETION_BELOW: 'alerts.completionBelow',
  EDU_ALERTS_COMPLETION_MIN_SESSIONS: 'alerts.completionMinSessions',
  EDU_ALERTS_TEACHER_NOT_CHECKED_IN_PENDING_MINUTES: 'alerts.pendingMinutes.teacher_not_checked_in',
  EDU_ALERTS_CLASS_NOT_STARTED_PENDING_MINUTES: 'alerts.pendingMinutes.class_not_started',
  EDU_ALERTS_STUDENT_NOT_CHECKED_OUT_PENDING_MINUTES: 'alerts.pendingMinutes.student_not_checked_out',
  EDU_ALERTS_LOW_ATTENDANCE_PENDING_MINUTES: 'alerts.pendingMinutes.low_attendance',
  EDU_ALERTS_LOW_COMPLETION_PENDING_MINUTES: 'alerts.pendingMinutes.low_completion',
  EDU_ALERTS_LOW_FEEDBACK_PENDING_MINUTES: 'alerts.pendingMinutes.low_feedback',
  EDU_ALERTS_OVER_BUDGET_PENDING_MINUTES: 'alerts.pendingMinutes.over_budget',
  EDU_ALERTS_CHECKOUT_ESCALATE_MINUTES: 'alerts.escalateCheckoutMinutes',
  EDU_NOTICES_IDEMPOTENCY_TTL_SECONDS: 'notices.idempotencyTtlSeconds',
  EDU_NOTICES_OVERDUE_CHECK_EVERY_MS: 'notices.overdueCheckEveryMs',
  EDU_SEED_USERS: 'seedUsers',
};

export { ConfigError };

type Json = Record<string, unknown>;

function setPath(target: Json, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = target;
  for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Json;
  cur[parts.at(-1) as string] = value;
}

const envOf = (path: string) => Object.entries(ENV_VARS).find(([, p]) => p === path)?.[0];

/**
 * Defaults, then `overrides` (typed, for tests and the embedded composition), then the
 * environment. Throws ConfigError naming each bad variable.
 */
export function loadConfig(
  env: Record<string, string | undefined> = {},
  overrides: DeepPartial<Input> = {},
): StreamerConfig {
  const merged = structuredClone(DEFAULTS) as unknown as Json;
  mergeDeep(merged, overrides as Json);
  for (const [name, path] of Object.entries(ENV_VARS)) {
    const v = env[name];
    if (v !== undefined && v !== '') setPath(merged, path, v);
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => {
      const path = i.path.filter((k) => typeof k === 'string').join('.');
      const name = envOf(path);
      return `${name ?? path}${name ? ` (${path})` : ''}: ${i.message}`;
    });
    throw new ConfigError(`invalid streamer configuration:\n  ${reasons.join('\n  ')}`);
  }
  if (parsed.data.login.lockoutMaxSeconds < parsed.data.login.lockoutBaseSeconds) {
    throw new ConfigError(
      'invalid streamer configuration: EDU_LOGIN_LOCKOUT_MAX_SECONDS is below EDU_LOGIN_LOCKOUT_BASE_SECONDS',
    );
  }
  return parsed.data;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

function mergeDeep(into: Json, more: Json): void {
  for (const [k, v] of Object.entries(more)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) mergeDeep((into[k] ??= {}) as Json, v as Json);
    else if (v !== undefined) into[k] = v;
  }
}
