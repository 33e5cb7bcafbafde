import {
  CLICKHOUSE_DEFAULTS,
  CLICKHOUSE_VARS,
  clickhouseSchema,
  ConfigError,
  ALERT_RULE_IDS,
  ALERT_RULES,
  DEFAULT_ALERT_SETTINGS,
  ORPHANS_PER_HOUR,
  flag,
  int,
  KAFKA_VARS,
  kafkaDefaults,
  kafkaSchema,
  loadSettings,
  LOG_DEFAULTS,
  LOG_VARS,
  logSchema,
  REDIS_DEFAULTS,
  REDIS_VARS,
  redisSchema,
  refuseRenamed,
  type DeepPartial,
  type SettingsSpec,
  type SettingVars,
} from '@edu/analytics';
import { z } from 'zod';

// The streamer's typed configuration: the shared groups (ClickHouse, Kafka, Redis, log) and its
// own settings, every default in one place, parsed by the one parser every process uses
// (analytics/src/settings). A bad value stops start-up with a message that names the variable.
// This is the only module that reads the environment (through `loadConfig(env)`).

export const configSchema = z.object({
  port: int(0, 65535),
  /** Address to listen on; 0.0.0.0 behind a load balancer. */
  host: z.string().min(1),
  /** The built screen to serve at `/`; empty: screen/dist of this checkout. */
  screenDir: z.string(),
  /** Material files: a folder served at /files/, and the file servers a zip may fetch from. */
  files: z.object({
    dir: z.string(),
    origins: z
      .union([z.string(), z.array(z.string())])
      .transform((s) => (Array.isArray(s) ? s : s.split(',')).map((o) => o.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'must be scheme://host[:port], comma-separated'))),
  }),
  clickhouse: clickhouseSchema,
  /** The streamer cannot run without Redis (shared state, change signals, the socket adapter). */
  redis: redisSchema.extend({ url: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL') }),
  log: logSchema,
  /** Prefix of every Redis key and channel this streamer owns (not the ingest change channel). */
  redisPrefix: z.string().regex(/^[A-Za-z0-9_:.-]*$/),
  kafka: kafkaSchema,
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
      orphans_growing: int(0, 1440),
      class_after_halt: int(0, 1440),
    }),
    /** orphans_growing: orphan events of one source and type stored within the last hour. */
    orphansPerHour: int(1, 100_000_000),
    /** 学生未签退 stays on its school's list this long before it reaches the bureau's wall. */
    escalateCheckoutMinutes: int(0, 1440),
  }),
  /** How often the orphan report (数据质量, analytics/src/quality) is read; never per scrape. */
  qualityRefreshMs: int(5_000, 3_600_000),
  notices: z.object({
    idempotencyTtlSeconds: int(60, 30 * 86_400),
    overdueCheckEveryMs: int(100, 3_600_000),
  }),
  seedUsers: flag,
});

export type StreamerConfig = z.infer<typeof configSchema>;
type Input = z.input<typeof configSchema>;

export const DEFAULTS: Input = {
  port: 8090,
  host: '127.0.0.1',
  screenDir: '',
  files: { dir: '', origins: '' },
  clickhouse: CLICKHOUSE_DEFAULTS,
  redis: REDIS_DEFAULTS,
  log: LOG_DEFAULTS,
  redisPrefix: 'edu:',
  kafka: kafkaDefaults('edu-streamer'),
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
    pendingMinutes: { orphans_growing: 0, ...DEFAULT_ALERT_SETTINGS.pendingMinutes },
    orphansPerHour: DEFAULT_ALERT_SETTINGS.orphansPerHour ?? ORPHANS_PER_HOUR,
  },
  qualityRefreshMs: 60_000,
  notices: { idempotencyTtlSeconds: 86_400, overdueCheckEveryMs: 60_000 },
  seedUsers: 'true',
};

/** One pending period per alert rule, named after the rule: a new rule gets its variable. */
const PENDING_VARS: SettingVars = Object.fromEntries(
  ALERT_RULE_IDS.map((rule) => [
    `EDU_ALERTS_${rule.toUpperCase()}_PENDING_MINUTES`,
    {
      path: `alerts.pendingMinutes.${rule}`,
      doc: `${ALERT_RULES[rule].title}: minutes its condition must hold before it is an alert (Prometheus \`for:\`).`,
    },
  ]),
);

const STREAMER_VARS: SettingVars = {
  EDU_QUALITY_REFRESH_MS: {
    path: 'qualityRefreshMs',
    doc: 'How often the orphan report (数据质量, `/metrics`, 未登记数据增多) is read.',
  },
  EDU_FILES_DIR: {
    path: 'files.dir',
    doc: 'A folder served read-only at /files/ (the embedded default keeps its simulated materials there); empty: none.',
  },
  EDU_MATERIAL_FILE_ORIGINS: {
    path: 'files.origins',
    doc: "The file servers (scheme://host[:port], comma-separated) the streamer may fetch materials from for 批量下载's zip; files elsewhere are listed in the zip as not fetched.",
  },
  EDU_STREAMER_PORT: { path: 'port', doc: 'Port of the streamer (read API, Socket.IO, the built screen).' },
  EDU_STREAMER_HOST: { path: 'host', doc: 'Address to listen on; 0.0.0.0 behind a load balancer.' },
  EDU_SCREEN_DIR: { path: 'screenDir', doc: 'The built screen to serve at `/`; empty: screen/dist of this checkout.' },
  EDU_REDIS_PREFIX: {
    path: 'redisPrefix',
    doc: 'Prefix of every Redis key and channel this streamer owns (not the ingest change channel).',
  },
  EDU_SUPERVISION_TOPIC: {
    path: 'supervisionTopic',
    doc: "Topic the bureau's notices and decisions are published to.",
  },
  EDU_SESSION_TTL_SECONDS: { path: 'sessionTtlSeconds', doc: 'A login session ends this long after it began.' },
  EDU_SESSION_CHECK_MS: {
    path: 'sessionCheckMs',
    doc: "How often open sockets' sessions are re-checked (expiry, or an end missed on pub/sub).",
  },
  EDU_TRUST_PROXY: {
    path: 'trustProxy',
    doc: "Which proxies' X-Forwarded-For to believe for the client address: empty (none), a number of hops, or addresses / CIDRs / `loopback`, comma-separated.",
  },
  EDU_METRICS_TOKEN: {
    path: 'metricsToken',
    doc: 'Bearer token for /metrics and the detailed /healthz on the public port; empty: not served there (at least 16 characters).',
  },
  EDU_INTERNAL_PORT: {
    path: 'internalPort',
    doc: 'A second port serving /metrics and the detailed /healthz without a token; 0: none.',
  },
  EDU_INTERNAL_HOST: { path: 'internalHost', doc: 'Address of that internal port.' },
  EDU_LOGIN_MAX_FAILURES: {
    path: 'login.maxFailures',
    doc: 'Failed logins of one phone from one address before it is locked out.',
  },
  EDU_LOGIN_MAX_FAILURES_PER_IP: {
    path: 'login.maxFailuresPerIp',
    doc: 'Failed logins from one address (any phone) before it is locked out.',
  },
  EDU_LOGIN_MAX_FAILURES_PER_PHONE: {
    path: 'login.maxFailuresPerPhone',
    doc: 'Failed logins of one phone from all addresses together before it is locked everywhere.',
  },
  EDU_LOGIN_FAILURE_WINDOW_SECONDS: {
    path: 'login.failureWindowSeconds',
    doc: 'Window in which failures are counted.',
  },
  EDU_LOGIN_LOCKOUT_BASE_SECONDS: {
    path: 'login.lockoutBaseSeconds',
    doc: 'First lock-out; each further one doubles…',
  },
  EDU_LOGIN_LOCKOUT_MAX_SECONDS: { path: 'login.lockoutMaxSeconds', doc: '…up to this.' },
  EDU_LIVE_DEBOUNCE_MS: {
    path: 'live.debounceMs',
    doc: 'Change signals are gathered this long before a room is recomputed…',
  },
  EDU_LIVE_MAX_WAIT_MS: { path: 'live.maxWaitMs', doc: '…but a room waits no longer than this under a steady stream.' },
  EDU_LIVE_SNAPSHOT_CACHE_SECONDS: {
    path: 'live.snapshotCacheSeconds',
    doc: "How long a room's snapshot is kept for sockets that join it.",
  },
  EDU_LIVE_DUE_TICK_MS: {
    path: 'live.dueTickMs',
    doc: 'Rooms of today are recomputed this often without events (the due-so-far figures move with time).',
  },
  EDU_ALERTS_EVALUATE_EVERY_MS: { path: 'alerts.evaluateEveryMs', doc: 'How often the alert rules are evaluated.' },
  EDU_ALERTS_TEACHER_LATE_MINUTES: {
    path: 'alerts.teacherLateMinutes',
    doc: "教师未签到: minutes after the planned start without the scheduled teacher's check-in.",
  },
  EDU_ALERTS_CHECKOUT_GRACE_MINUTES: {
    path: 'alerts.checkoutGraceMinutes',
    doc: "学生未签退: minutes after the session's end.",
  },
  EDU_ALERTS_ATTENDANCE_BELOW: {
    path: 'alerts.attendanceBelow',
    doc: "出勤率低: a school's due attendance rate below this (0–1)…",
  },
  EDU_ALERTS_ATTENDANCE_MIN_SESSIONS: {
    path: 'alerts.attendanceMinSessions',
    doc: '…once it has at least this many sessions due.',
  },
  EDU_ALERTS_COMPLETION_BELOW: {
    path: 'alerts.completionBelow',
    doc: "开课完成率低: a school's due completion rate below this (0–1)…",
  },
  EDU_ALERTS_COMPLETION_MIN_SESSIONS: {
    path: 'alerts.completionMinSessions',
    doc: '…once it has at least this many sessions due.',
  },
  ...PENDING_VARS,
  EDU_ALERTS_ORPHANS_PER_HOUR: {
    path: 'alerts.orphansPerHour',
    doc: '未登记数据增多: orphan events of one source and type stored within the last hour above this.',
  },
  EDU_ALERTS_CHECKOUT_ESCALATE_MINUTES: {
    path: 'alerts.escalateCheckoutMinutes',
    doc: "学生未签退 stays on its school's list this long before it reaches the bureau's wall.",
  },
  EDU_NOTICES_IDEMPOTENCY_TTL_SECONDS: {
    path: 'notices.idempotencyTtlSeconds',
    doc: "How long a notice's Idempotency-Key is remembered.",
  },
  EDU_NOTICES_OVERDUE_CHECK_EVERY_MS: {
    path: 'notices.overdueCheckEveryMs',
    doc: 'How often notices past their deadline are looked for.',
  },
  EDU_SEED_USERS: {
    path: 'seedUsers',
    doc: 'Create the initial bureau accounts (leader 13800000001 and others) when the user table is empty.',
  },
};

/** Every variable the streamer reads: the shared groups and its own. */
export const ENV_VARS: SettingVars = {
  ...CLICKHOUSE_VARS,
  ...KAFKA_VARS,
  ...REDIS_VARS,
  ...LOG_VARS,
  ...STREAMER_VARS,
};

export const STREAMER_SETTINGS: SettingsSpec<typeof configSchema> = {
  label: 'streamer',
  schema: configSchema,
  defaults: DEFAULTS,
  vars: ENV_VARS,
};

export { ConfigError };
export type { DeepPartial };

/**
 * Defaults, then `overrides` (typed, for tests and the embedded composition), then the
 * environment. Throws ConfigError naming each bad variable.
 */
export function loadConfig(
  env: Record<string, string | undefined> = {},
  overrides: DeepPartial<Input> = {},
): StreamerConfig {
  refuseRenamed(env, 'streamer');
  const config = loadSettings(STREAMER_SETTINGS, env, overrides);
  if (config.login.lockoutMaxSeconds < config.login.lockoutBaseSeconds) {
    throw new ConfigError(
      'invalid streamer configuration: EDU_LOGIN_LOCKOUT_MAX_SECONDS is below EDU_LOGIN_LOCKOUT_BASE_SECONDS',
    );
  }
  return config;
}
