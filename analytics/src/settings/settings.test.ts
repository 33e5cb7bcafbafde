import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadSettings, parseEnv } from './load.ts';
import { refuseRenamed, renamedTo } from './renamed.ts';
import { settingsTable } from './table.ts';

const spec = {
  label: 'demo',
  schema: z.object({ port: z.coerce.number().int().min(1), db: z.object({ password: z.string().min(3) }) }),
  defaults: { port: 80, db: { password: 'abc' } },
  vars: {
    EDU_DEMO_PORT: { path: 'port', doc: 'The port.' },
    EDU_DEMO_PASSWORD: { path: 'db.password', doc: 'A | secret.', secret: true },
  },
};

describe('loadSettings', () => {
  it('takes defaults, then overrides, then the environment; empty is unset', () => {
    expect(loadSettings(spec, {})).toEqual({ port: 80, db: { password: 'abc' } });
    expect(loadSettings(spec, {}, { port: 81 }).port).toBe(81);
    expect(loadSettings(spec, { EDU_DEMO_PORT: '82' }, { port: 81 }).port).toBe(82);
    expect(loadSettings(spec, { EDU_DEMO_PORT: '' }, { port: 81 }).port).toBe(81);
  });

  it('reports every bad variable at once, never a secret', () => {
    const run = () => loadSettings(spec, { EDU_DEMO_PORT: 'x', EDU_DEMO_PASSWORD: 'no' });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/EDU_DEMO_PORT="x"[\s\S]*EDU_DEMO_PASSWORD=\(hidden\)/);
    expect(run).not.toThrow(/"no"/);
  });

  it('has a flat form for small tools', () => {
    expect(parseEnv(z.object({ N: z.coerce.number().default(3) }), {}, 'tool')).toEqual({ N: 3 });
    expect(() => parseEnv(z.object({ N: z.coerce.number() }), { N: 'x' }, 'tool')).toThrow(/N="x"/);
  });
});

describe('renamed settings', () => {
  it('name the new variable', () => {
    expect(renamedTo('CLICKHOUSE_URL')).toBe('EDU_CLICKHOUSE_URL');
    expect(renamedTo('KAFKA_GROUP_ID')).toBe('EDU_INGEST_GROUP_ID');
    expect(renamedTo('SIM_SEED')).toBe('EDU_SIM_SEED');
    expect(renamedTo('KAFKA_HEAP_OPTS')).toBeUndefined();
    expect(renamedTo('EDU_SIM_SEED')).toBeUndefined();
  });

  it('stop start-up while set', () => {
    expect(() => refuseRenamed({ INGEST_WORKERS: '1', PATH: '/bin' }, 'ingest')).toThrow(
      /INGEST_WORKERS is now EDU_INGEST_WORKERS/,
    );
    expect(() => refuseRenamed({ INGEST_WORKERS: '' }, 'ingest')).not.toThrow();
    // A count that became bytes: the old value must not be read as bytes, nor silently ignored.
    expect(() => refuseRenamed({ EDU_INGEST_MAX_IN_FLIGHT: '500000' }, 'ingest')).toThrow(
      /EDU_INGEST_MAX_IN_FLIGHT is now EDU_INGEST_MAX_IN_FLIGHT_BYTES \(bytes, not messages\)/,
    );
  });
});

describe('settingsTable', () => {
  it('lists each variable with its default, hiding secrets and escaping pipes', () => {
    const t = settingsTable([{ title: 'Demo', spec }]);
    expect(t).toContain('| `EDU_DEMO_PORT` | `80` | The port. |');
    expect(t).toContain('| `EDU_DEMO_PASSWORD` |  | A \\| secret. |');
  });
});
