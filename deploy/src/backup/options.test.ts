import { describe, expect, it } from 'vitest';
import { parseBackupCommand, UsageError } from './options.ts';

describe('the backup command options', () => {
  const parse = (action: string, argv: string[], env: Record<string, string> = {}) =>
    parseBackupCommand(action, argv, env, '/home/op', '/srv/edu');

  it('defaults to the embedded store, with paths from where the command was typed', () => {
    expect(parse('backup', ['--out', 'b.jsonl.gz'])).toEqual({
      action: 'backup',
      file: '/home/op/b.jsonl.gz',
      store: { engine: 'chdb', path: '/srv/edu/.cache/embedded/chdb', database: 'edu' },
      force: false,
      cluster: '',
    });
    expect(parse('restore', ['--in', '/x/b.gz', '--chdb-path', 'data']).store).toEqual({
      engine: 'chdb',
      path: '/home/op/data',
      database: 'edu',
    });
    expect(parse('backup', ['--out', 'b'], { EDU_DATA_DIR: '/var/edu' }).store).toMatchObject({
      path: '/var/edu/chdb',
    });
  });

  it('takes the server from flags over EDU_* settings, the password from the environment only', () => {
    const env = {
      EDU_STORE_ENGINE: 'server',
      EDU_CLICKHOUSE_URL: 'http://ch:8123',
      EDU_CLICKHOUSE_DATABASE: 'edu_prod',
      EDU_CLICKHOUSE_USER: 'backup',
      EDU_CLICKHOUSE_PASSWORD: 's3cret',
    };
    expect(parse('restore', ['--in', 'b', '--force', '--database', 'edu_new'], env)).toMatchObject({
      force: true,
      store: { engine: 'server', url: 'http://ch:8123', database: 'edu_new', username: 'backup', password: 's3cret' },
    });
    expect(() => parse('backup', ['--out', 'b', '--password', 'x'], env)).toThrow(UsageError);
    // Settings go through the product's one parser, which names the variable.
    expect(() => parse('backup', ['--out', 'b'], { ...env, EDU_CLICKHOUSE_URL: 'ch 8123' })).toThrow(
      /EDU_CLICKHOUSE_URL="ch 8123"/,
    );
    expect(parse('backup', ['--out', 'b'], { ...env, EDU_CLICKHOUSE_CLUSTER: 'edu' }).cluster).toBe('edu');
  });

  it('says what is wrong', () => {
    expect(() => parse('backup', [])).toThrow('--out FILE is required');
    expect(() => parse('restore', ['--out', 'b'])).toThrow('--in FILE is required');
    expect(() => parse('backup', ['--out', 'b', '--force'])).toThrow('--force is for restore');
    expect(() => parse('backup', ['--out', 'b', '--engine', 'mysql'])).toThrow('server or chdb');
    expect(() => parse('backup', ['--out', 'b', '--database', 'edu; DROP'])).toThrow('not a database name');
    expect(() => parse('dump', ['--out', 'b'])).toThrow(UsageError);
  });
});
