import { ConfigError } from '@edu/analytics';
import { describe, expect, it } from 'vitest';
import { parseSimulateArgs, UsageError } from './cli-options.ts';
import { WINDOW } from './rates.ts';

const TODAY = '2026-11-27';
const parse = (argv: string[], env: Record<string, string> = {}) => parseSimulateArgs(argv, env, TODAY);

describe('parseSimulateArgs', () => {
  it('has defaults for everything', () => {
    expect(parse([])).toMatchObject({
      sink: 'kafka',
      brokers: ['127.0.0.1:9092'],
      topicPrefix: '',
      seed: 20261128,
      schools: 1200,
      students: 600_000,
      date: TODAY,
      speed: 1,
      mode: 'once',
      setup: true,
      play: true,
      anyDay: false,
      help: false,
    });
  });

  it('reads flags, which beat SIM_* variables', () => {
    const env = {
      EDU_SIM_SINK: 'kafka',
      EDU_SIM_SCHOOLS: '50',
      EDU_SIM_SEED: '3',
      EDU_KAFKA_BROKERS: 'a:1,b:2',
      EDU_SIM_ANY_DAY: '1',
    };
    const o = parse(
      ['--sink', 'http', '--url', 'http://127.0.0.1:8081/v1/events', '--schools', '20', '--students', '5000'],
      env,
    );
    expect(o).toMatchObject({ sink: 'http', url: 'http://127.0.0.1:8081/v1/events', schools: 20, students: 5000 });
    expect(o).toMatchObject({ seed: 3, brokers: ['a:1', 'b:2'], anyDay: true });
    expect(parse(['--date', '2026-10-09', '--no-setup', '--topic-prefix', 'cityA.'])).toMatchObject({
      date: '2026-10-09',
      setup: false,
      play: true,
      topicPrefix: 'cityA.',
    });
    expect(parse(['--setup-only'])).toMatchObject({ setup: true, play: false });
  });

  it('turns --speed and --window-minutes into a speed', () => {
    expect(parse(['--speed', 'max']).speed).toBe('max');
    expect(parse(['--speed', '7.5']).speed).toBe(7.5);
    const window = WINDOW.endMinute - WINDOW.startMinute;
    expect(parse(['--window-minutes', '20']).speed).toBe(window / 20);
    expect(parse([], { EDU_SIM_WINDOW_MINUTES: '10' }).speed).toBe(window / 10);
    expect(parse(['--speed', '2'], { EDU_SIM_WINDOW_MINUTES: '10' }).speed).toBe(2);
    expect(parse(['--start-at', '16:00']).startAt).toBe('16:00');
  });

  it('refuses bad flags with a UsageError naming the flag', () => {
    expect(() => parse(['--bogus'])).toThrow(UsageError);
    expect(() => parse(['--schools', 'many'])).toThrow(/--schools "many"/);
    expect(() => parse(['--sink', 'ftp'])).toThrow(/--sink/);
    expect(() => parse(['--date', '2026-13-01'])).toThrow(/--date/);
    expect(() => parse(['--speed', '0'])).toThrow(/--speed/);
    expect(() => parse(['--brokers', 'nohost'])).toThrow(/host:port/);
    expect(() => parse(['--start-at', '25:00'])).toThrow(/--start-at/);
    expect(() => parse(['--setup-only', '--no-setup'])).toThrow(/exclude/);
    expect(() => parse(['--speed', '2', '--window-minutes', '3'])).toThrow(/exclude/);
    expect(() => parse(['--schools', '10', '--students', '5'])).toThrow(/--students/);
    expect(() => parse(['positional'])).toThrow(UsageError);
  });

  it('refuses bad variables with a ConfigError naming them', () => {
    expect(() => parse([], { EDU_SIM_SEED: 'x' })).toThrow(ConfigError);
    expect(() => parse([], { EDU_SIM_MODE: 'forever' })).toThrow(/EDU_SIM_MODE/);
    expect(() => parse([], { EDU_SIM_SOURCE_KEY: 'a b' })).toThrow(/EDU_SIM_SOURCE_KEY/);
  });

  it('takes the intake source key from the environment only', () => {
    const key = 'edu_sk_0123456789abcdefABCDEF-_';
    expect(parse(['--sink', 'http'], { EDU_SIM_SOURCE_KEY: key }).sourceKey).toBe(key);
    expect(parse(['--sink', 'http']).sourceKey).toBeUndefined();
    expect(() => parse(['--source-key', key])).toThrow();
  });

  it('takes the Kafka SCRAM login from the environment only, all three or none', () => {
    const login = {
      EDU_KAFKA_SASL_MECHANISM: 'scram-sha-512',
      EDU_KAFKA_USERNAME: 'simulator',
      EDU_KAFKA_PASSWORD: 'pw',
    };
    expect(parse([], login).kafkaSasl).toEqual({ mechanism: 'scram-sha-512', username: 'simulator', password: 'pw' });
    expect(parse([]).kafkaSasl).toBeUndefined();
    expect(parse([], { EDU_KAFKA_SASL_MECHANISM: '' }).kafkaSasl).toBeUndefined();
    expect(() => parse([], { EDU_KAFKA_SASL_MECHANISM: 'plain' })).toThrow(/EDU_KAFKA_SASL_MECHANISM/);
    expect(() => parse([], { EDU_KAFKA_SASL_MECHANISM: 'scram-sha-256' })).toThrow(/EDU_KAFKA_USERNAME/);
    expect(() => parse(['--password', 'pw'])).toThrow(UsageError);
  });
});
