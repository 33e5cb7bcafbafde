import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadIngestConfig } from '@edu/ingest';
import { loadConfig } from '@edu/streamer/config';
import { describe, expect, it } from 'vitest';
import { loadEmbeddedConfig } from '../embedded-config.ts';
import { settingsMarkdown, withSettings } from './doc.ts';

const path = fileURLToPath(new URL('../../../README.md', import.meta.url));
const readme = readFileSync(path, 'utf8');

describe('the settings', () => {
  it('are listed in the README as their specs say (npm run settings:doc -w @edu/deploy rewrites it)', async () => {
    expect(await withSettings(readme, path)).toBe(readme);
  });

  it('list every variable once, each taken by a process', () => {
    const names = [...settingsMarkdown().matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1] as string);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThan(60);
    for (const n of names) expect(n).toMatch(/^EDU_/);
  });

  it('mean the same to ingest and the streamer when shared', () => {
    const env = { EDU_CLICKHOUSE_URL: 'http://ch:8123', EDU_CLICKHOUSE_PASSWORD: 'pw', EDU_KAFKA_BROKERS: 'k:1' };
    const i = loadIngestConfig(env);
    const s = loadConfig(env);
    expect(i.clickhouse).toEqual(s.clickhouse);
    expect(i.kafka.brokers).toEqual(s.kafka.brokers);
  });

  it('apply in the embedded default where they mean something, and say so where they do not', () => {
    const c = loadEmbeddedConfig({
      EDU_INGEST_MAX_FUTURE_MINUTES: '1440',
      EDU_ALERTS_TEACHER_LATE_MINUTES: '9',
      EDU_INGEST_HTTP_PORT: '7001',
      EDU_KAFKA_BROKERS: 'k:1',
      EDU_STORE_ENGINE: 'server',
    });
    expect(c.ingest.limits.maxFutureMs).toBe(1440 * 60_000);
    expect(c.ingest.http.port).toBe(7001);
    expect(c.streamer.alerts.teacherLateMinutes).toBe(9);
    // The embedded default always keeps its data in chDB.
    expect(c.ingest.clickhouse.engine).toBe('chdb');
    expect(c.streamer.clickhouse.engine).toBe('chdb');
    expect(c.notApplicable).toEqual([
      expect.stringMatching(/^EDU_STORE_ENGINE does not apply to the embedded default/),
      expect.stringMatching(/^EDU_KAFKA_BROKERS does not apply to the embedded default \(it runs no Kafka\)/),
    ]);
  });

  it('stop the embedded default on a bad ingest value too', () => {
    expect(() => loadEmbeddedConfig({ EDU_INGEST_MAX_FUTURE_MINUTES: 'soon' })).toThrow(
      /EDU_INGEST_MAX_FUTURE_MINUTES/,
    );
    expect(() => loadEmbeddedConfig({ SIM_SCHOOLS: '10' })).toThrow(/EDU_SIM_SCHOOLS/);
  });
});
