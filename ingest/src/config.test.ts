import { describe, expect, it } from 'vitest';
import { ConfigError, loadIngestConfig } from './config.ts';

describe('ingest configuration', () => {
  it('has working defaults', () => {
    const c = loadIngestConfig({});
    expect(c.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.batch).toEqual({ maxRows: 50_000, maxWaitMs: 500 });
    expect(c.clickhouse.engine).toBe('server');
    expect(c.kafka.sessionTimeoutMs).toBe(10_000);
    expect(c.kafka.sasl.mechanism).toBe('');
    expect(c.limits.maxFutureMs).toBe(60 * 60_000);
  });

  it('parses overrides, integers as integers', () => {
    const c = loadIngestConfig({
      EDU_KAFKA_BROKERS: 'a:1, b:2',
      EDU_INGEST_BATCH_MAX_ROWS: '1000',
      EDU_KAFKA_TOPIC_PREFIX: 'cityA.',
      EDU_INGEST_MAX_FUTURE_MINUTES: '1440',
      EDU_CLICKHOUSE_USER: 'ingest',
      EDU_CLICKHOUSE_PASSWORD: 's3cret',
    });
    expect(c.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(c.batch.maxRows).toBe(1000);
    expect(c.kafka.topicPrefix).toBe('cityA.');
    expect(c.limits.maxFutureMs).toBe(1440 * 60_000);
    expect(c.clickhouse).toMatchObject({ username: 'ingest', password: 's3cret' });
  });

  it('takes typed overrides under the environment', () => {
    const c = loadIngestConfig({ EDU_INGEST_HTTP_PORT: '9999' }, { http: { port: 1234, host: '0.0.0.0' } });
    expect(c.http).toMatchObject({ port: 9999, host: '0.0.0.0' });
  });

  it.each([
    ['EDU_INGEST_BATCH_MAX_ROWS', '1.5'],
    ['EDU_INGEST_BATCH_MAX_ROWS', '0'],
    ['EDU_KAFKA_BROKERS', 'no-port'],
    ['EDU_CLICKHOUSE_URL', 'not a url'],
    ['EDU_CLICKHOUSE_DATABASE', 'edu; DROP'],
    ['EDU_STORE_ENGINE', 'sqlite'],
    ['EDU_KAFKA_TOPIC_PREFIX', 'a/b'],
    ['EDU_INGEST_SESSION_TIMEOUT_MS', '1000'],
    ['EDU_KAFKA_SASL_MECHANISM', 'plain'],
    ['EDU_LOG_LEVEL', 'loud'],
  ])('stops on a bad %s=%j, naming it', (name, value) => {
    expect(() => loadIngestConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadIngestConfig({ [name]: value })).toThrow(name);
  });

  it('never prints a secret in its message', () => {
    expect(() => loadIngestConfig({ EDU_CLICKHOUSE_URL: 'nope', EDU_KAFKA_PASSWORD: 'hunter2' })).not.toThrow(
      /hunter2/,
    );
  });

  it('refuses a retry minimum above the maximum', () => {
    expect(() => loadIngestConfig({ EDU_INGEST_RETRY_MIN_MS: '900', EDU_INGEST_RETRY_MAX_MS: '100' })).toThrow(
      /RETRY_MIN/,
    );
  });

  it.each([
    ['CLICKHOUSE_URL', 'EDU_CLICKHOUSE_URL'],
    ['INGEST_MAX_FUTURE_MINUTES', 'EDU_INGEST_MAX_FUTURE_MINUTES'],
    ['KAFKA_GROUP_ID', 'EDU_INGEST_GROUP_ID'],
  ])('stops while the old name %s is set, naming %s', (old, now) => {
    expect(() => loadIngestConfig({ [old]: '1' })).toThrow(ConfigError);
    expect(() => loadIngestConfig({ [old]: '1' })).toThrow(now);
  });
});
