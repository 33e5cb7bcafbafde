import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('streamer config', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8090);
    expect(c.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.live.debounceMs).toBe(100);
    expect(c.seedUsers).toBe(true);
  });

  it('takes environment overrides, typed', () => {
    const c = loadConfig({
      EDU_STREAMER_PORT: '9000',
      EDU_KAFKA_BROKERS: 'a:1, b:2',
      EDU_ALERTS_ATTENDANCE_BELOW: '0.5',
      EDU_SEED_USERS: 'false',
    });
    expect(c.port).toBe(9000);
    expect(c.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(c.alerts.attendanceBelow).toBe(0.5);
    expect(c.seedUsers).toBe(false);
  });

  it('reaches a protected ClickHouse server: user and password are settings', () => {
    const c = loadConfig({ EDU_CLICKHOUSE_USER: 'streamer', EDU_CLICKHOUSE_PASSWORD: 'pw' });
    expect(c.clickhouse).toMatchObject({ username: 'streamer', password: 'pw' });
  });

  it('stops while an old setting name is set, naming the new one', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://x:1' })).toThrow(/EDU_REDIS_URL/);
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => loadConfig({ EDU_STREAMER_PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ EDU_STREAMER_PORT: '80.5' })).toThrow(/EDU_STREAMER_PORT/);
    expect(() => loadConfig({ EDU_REDIS_URL: 'http://x' })).toThrow(/EDU_REDIS_URL/);
    expect(() => loadConfig({ EDU_KAFKA_BROKERS: 'nohost' })).toThrow(/EDU_KAFKA_BROKERS/);
    expect(() => loadConfig({ EDU_STORE_ENGINE: 'mysql' })).toThrow(/EDU_STORE_ENGINE/);
    expect(() => loadConfig({ EDU_LOGIN_LOCKOUT_BASE_SECONDS: '100', EDU_LOGIN_LOCKOUT_MAX_SECONDS: '10' })).toThrow(
      /LOCKOUT/,
    );
  });
});
