import { describe, expect, it } from 'vitest';
import { ConfigError, loadIngestConfig } from './config.ts';

describe('ingest configuration', () => {
  it('has working defaults', () => {
    const c = loadIngestConfig({});
    expect(c.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.batch).toEqual({ maxRows: 50_000, maxWaitMs: 500 });
    expect(c.store.engine).toBe('server');
    expect(c.kafka.sessionTimeoutMs).toBe(10_000);
  });

  it('parses overrides, integers as integers', () => {
    const c = loadIngestConfig({
      KAFKA_BROKERS: 'a:1, b:2',
      INGEST_BATCH_MAX_ROWS: '1000',
      KAFKA_TOPIC_PREFIX: 'cityA.',
    });
    expect(c.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(c.batch.maxRows).toBe(1000);
    expect(c.kafka.topicPrefix).toBe('cityA.');
  });

  it.each([
    ['INGEST_BATCH_MAX_ROWS', '1.5'],
    ['INGEST_BATCH_MAX_ROWS', '0'],
    ['KAFKA_BROKERS', 'no-port'],
    ['CLICKHOUSE_URL', 'not a url'],
    ['CLICKHOUSE_DATABASE', 'edu; DROP'],
    ['STORE_ENGINE', 'sqlite'],
    ['KAFKA_TOPIC_PREFIX', 'a/b'],
    ['KAFKA_SESSION_TIMEOUT_MS', '1000'],
  ])('stops on a bad %s=%j, naming it', (name, value) => {
    expect(() => loadIngestConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadIngestConfig({ [name]: value })).toThrow(name);
  });

  it('refuses a retry minimum above the maximum', () => {
    expect(() => loadIngestConfig({ INGEST_RETRY_MIN_MS: '900', INGEST_RETRY_MAX_MS: '100' })).toThrow(/RETRY_MIN/);
  });
});
