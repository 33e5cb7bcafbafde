import { DAY_RE, parseEnv } from '@edu/analytics';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_CITY } from './city.ts';
import { WINDOW } from './rates.ts';

// The simulate CLI's options: flags over SIM_* environment variables over defaults. Both are
// validated with the same zod field schemas; a bad flag is a UsageError naming the flag, a bad
// variable a ConfigError naming the variable (the bin exits 2 on either).

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type Speed = number | 'max';

export interface SimulateOptions {
  sink: 'kafka' | 'http';
  brokers: string[];
  topicPrefix: string;
  url: string;
  /** The intake's source key (environment only: a key on the command line would show in ps). */
  sourceKey?: string;
  /** Kafka SCRAM login, for a broker with ACLs (environment only, like the source key). */
  kafkaSasl?: { mechanism: 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  seed: number;
  schools: number;
  students: number;
  districts?: number;
  zones?: number;
  /** The day to play, YYYY-MM-DD (Asia/Shanghai). */
  date: string;
  speed: Speed;
  /** Simulated time of day the clock starts at (HH:MM[:SS]), `now` (the real time of day), or undefined = the window's start. */
  startAt?: string;
  /** `once`: play the day and exit; `live`: then the next school day, and so on until stopped. */
  mode: 'once' | 'live';
  /** Send master data and term set-up first. */
  setup: boolean;
  /** Play the day's window (false with --setup-only). */
  play: boolean;
  anyDay: boolean;
  help: boolean;
}

export const USAGE = `Usage: npx tsx ingest/src/bin/simulate.ts [options]

Simulates the city's schools: sends master data and the term's set-up, then plays a school
day's after-school window (about 15:15–18:30 Asia/Shanghai) against a clock.

  --sink kafka|http       where events go (EDU_SIM_SINK, default kafka)
  --brokers HOST:PORT,…   Kafka brokers (EDU_KAFKA_BROKERS, default 127.0.0.1:9092)
  --topic-prefix P        prepended to each contract topic (EDU_KAFKA_TOPIC_PREFIX, default none)
  --url URL               HTTP intake (EDU_SIM_URL, default http://127.0.0.1:8091/v1/events)
  --seed N                same seed, same city and events (EDU_SIM_SEED, default ${DEFAULT_CITY.seed})
  --schools N             (EDU_SIM_SCHOOLS, default ${DEFAULT_CITY.schools})
  --students N            (EDU_SIM_STUDENTS, default ${DEFAULT_CITY.students})
  --districts N, --zones N  (EDU_SIM_DISTRICTS, EDU_SIM_ZONES; default: scaled from --schools)
  --date YYYY-MM-DD       the day to play (EDU_SIM_DATE, default today in Asia/Shanghai)
  --speed N|max           simulated seconds per real second; max = as fast as the sink takes
                          them (EDU_SIM_SPEED, default 1)
  --window-minutes N      play the whole window in N real minutes (EDU_SIM_WINDOW_MINUTES)
  --start-at HH:MM|now    simulated time of day the clock starts at (EDU_SIM_START_AT, default
                          15:15, the window's start); with --speed 1, 'now' on today's date
                          runs in step with the real clock, as ingest's ts checks expect
  --mode once|live        live: go on with the next school day after each window (EDU_SIM_MODE)
  --setup-only            send master data and term set-up, then exit
  --no-setup              skip them (already sent), play the window only
  --any-day               treat weekends and holidays as school days (EDU_SIM_ANY_DAY=1)
  -h, --help              this text

  EDU_SIM_SOURCE_KEY      the intake's source key for --sink http (an all-schools key the
                          admin issues in the console, 数据源密钥); environment only
  EDU_KAFKA_SASL_MECHANISM, EDU_KAFKA_USERNAME, EDU_KAFKA_PASSWORD
                          the Kafka login on a broker with SASL/SCRAM and ACLs (scram-sha-512
                          or scram-sha-256; user simulator); environment only

Exit codes: 0 done or stopped by SIGINT/SIGTERM, 1 failure, 2 bad options.`;

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const FIELDS = {
  sink: z.enum(['kafka', 'http']),
  brokers: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[A-Za-z0-9.-]+:\d+$/, 'must be host:port')).min(1)),
  topicPrefix: z.string().regex(/^[A-Za-z0-9._-]*$/, 'only letters, digits, . _ -'),
  url: z.url().regex(/^https?:\/\//, 'must be an http(s) URL'),
  sourceKey: z.string().regex(/^[\w-]{16,200}$/, 'must be a source key as issued (edu_sk_…)'),
  kafkaSaslMechanism: z.enum(['', 'scram-sha-256', 'scram-sha-512']),
  kafkaUsername: z.string(),
  kafkaPassword: z.string(),
  seed: count(0, 2 ** 31 - 1),
  schools: count(1, 20_000),
  students: count(1, 5_000_000),
  districts: count(1, 1000),
  zones: count(1, 10_000),
  date: z
    .string()
    .regex(DAY_RE, 'must be YYYY-MM-DD')
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'is not a real day'),
  speed: z.union([z.literal('max'), z.coerce.number().positive().max(100_000)]),
  windowMinutes: z.coerce
    .number()
    .positive()
    .max(24 * 60),
  startAt: z.string().regex(/^(now|([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?)$/, 'must be HH:MM, HH:MM:SS or now'),
  mode: z.enum(['once', 'live']),
  anyDay: z.enum(['0', '1']).transform((v) => v === '1'),
};
type Field = keyof typeof FIELDS;

const ENV_NAMES: Record<Field, string> = {
  sink: 'EDU_SIM_SINK',
  brokers: 'EDU_KAFKA_BROKERS',
  topicPrefix: 'EDU_KAFKA_TOPIC_PREFIX',
  url: 'EDU_SIM_URL',
  sourceKey: 'EDU_SIM_SOURCE_KEY',
  kafkaSaslMechanism: 'EDU_KAFKA_SASL_MECHANISM',
  kafkaUsername: 'EDU_KAFKA_USERNAME',
  kafkaPassword: 'EDU_KAFKA_PASSWORD',
  seed: 'EDU_SIM_SEED',
  schools: 'EDU_SIM_SCHOOLS',
  students: 'EDU_SIM_STUDENTS',
  districts: 'EDU_SIM_DISTRICTS',
  zones: 'EDU_SIM_ZONES',
  date: 'EDU_SIM_DATE',
  speed: 'EDU_SIM_SPEED',
  windowMinutes: 'EDU_SIM_WINDOW_MINUTES',
  startAt: 'EDU_SIM_START_AT',
  mode: 'EDU_SIM_MODE',
  anyDay: 'EDU_SIM_ANY_DAY',
};
const envSchema = z.object(
  Object.fromEntries(Object.entries(FIELDS).map(([k, schema]) => [ENV_NAMES[k as Field], schema.optional()])) as {
    [K in Field as (typeof ENV_NAMES)[K]]: z.ZodOptional<(typeof FIELDS)[K]>;
  },
);

const FLAGS = {
  sink: { type: 'string' },
  brokers: { type: 'string' },
  'topic-prefix': { type: 'string' },
  url: { type: 'string' },
  seed: { type: 'string' },
  schools: { type: 'string' },
  students: { type: 'string' },
  districts: { type: 'string' },
  zones: { type: 'string' },
  date: { type: 'string' },
  speed: { type: 'string' },
  'window-minutes': { type: 'string' },
  'start-at': { type: 'string' },
  mode: { type: 'string' },
  'setup-only': { type: 'boolean' },
  'no-setup': { type: 'boolean' },
  'any-day': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Window length in simulated minutes, for --window-minutes. */
const WINDOW_MINUTES = WINDOW.endMinute - WINDOW.startMinute;

/** Parses argv (without node and the script) and the environment; `today` is the default date. */
export function parseSimulateArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  today: string,
): SimulateOptions {
  let flags: Record<string, string | boolean | undefined>;
  try {
    flags = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const e = parseEnv(envSchema, env, 'simulator') as { [K in Field]?: z.output<(typeof FIELDS)[K]> } & Record<
    string,
    unknown
  >;
  const fromEnv = <K extends Field>(k: K) => e[ENV_NAMES[k]] as z.output<(typeof FIELDS)[K]> | undefined;
  const pick = <K extends Field>(k: K, flag: string): z.output<(typeof FIELDS)[K]> | undefined => {
    const raw = flags[flag];
    if (raw === undefined) return fromEnv(k);
    const parsed = FIELDS[k].safeParse(raw);
    if (!parsed.success) {
      throw new UsageError(`--${flag} ${JSON.stringify(raw)}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    return parsed.data as z.output<(typeof FIELDS)[K]>;
  };

  if (flags['setup-only'] && flags['no-setup']) throw new UsageError('--setup-only and --no-setup exclude each other');
  if (flags.speed !== undefined && flags['window-minutes'] !== undefined) {
    throw new UsageError('--speed and --window-minutes exclude each other');
  }
  // A flag beats a variable; --speed beats --window-minutes only in the environment.
  const speedFlag = pick('speed', 'speed');
  const minutesFlag = pick('windowMinutes', 'window-minutes');
  const envSpeed = fromEnv('speed');
  const envMinutes = fromEnv('windowMinutes');
  const speed: Speed =
    flags.speed !== undefined && speedFlag !== undefined
      ? speedFlag
      : flags['window-minutes'] !== undefined && minutesFlag !== undefined
        ? WINDOW_MINUTES / minutesFlag
        : (envSpeed ?? (envMinutes !== undefined ? WINDOW_MINUTES / envMinutes : 1));

  const schools = pick('schools', 'schools') ?? DEFAULT_CITY.schools;
  const students = pick('students', 'students') ?? DEFAULT_CITY.students;
  if (students < schools) throw new UsageError(`--students (${students}) must be at least --schools (${schools})`);
  const mechanism = fromEnv('kafkaSaslMechanism') || undefined;
  const username = fromEnv('kafkaUsername') ?? '';
  const password = fromEnv('kafkaPassword') ?? '';
  if (mechanism && (!username || !password)) {
    throw new UsageError('EDU_KAFKA_SASL_MECHANISM needs EDU_KAFKA_USERNAME and EDU_KAFKA_PASSWORD');
  }
  return {
    sink: pick('sink', 'sink') ?? 'kafka',
    brokers: pick('brokers', 'brokers') ?? ['127.0.0.1:9092'],
    topicPrefix: pick('topicPrefix', 'topic-prefix') ?? '',
    url: pick('url', 'url') ?? 'http://127.0.0.1:8091/v1/events',
    sourceKey: fromEnv('sourceKey'),
    kafkaSasl: mechanism ? { mechanism, username, password } : undefined,
    seed: pick('seed', 'seed') ?? DEFAULT_CITY.seed,
    schools,
    students,
    districts: pick('districts', 'districts'),
    zones: pick('zones', 'zones'),
    date: pick('date', 'date') ?? today,
    speed,
    startAt: pick('startAt', 'start-at'),
    mode: pick('mode', 'mode') ?? 'once',
    setup: flags['no-setup'] !== true,
    play: flags['setup-only'] !== true,
    anyDay: flags['any-day'] === true || fromEnv('anyDay') === true,
    help: flags.help === true,
  };
}
