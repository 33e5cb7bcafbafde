import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { jsonSchemaFiles } from './json-schema.ts';

const dir = fileURLToPath(new URL('../../schema/', import.meta.url));

describe('published JSON Schema files', () => {
  it('are up to date with the zod schemas (run `npm run contract:gen`)', () => {
    const expected = jsonSchemaFiles();
    const committed = readdirSync(dir)
      .filter((f) => f.endsWith('.schema.json'))
      .sort();
    expect(committed).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) expect(readFileSync(dir + name, 'utf8'), name).toBe(text);
  });

  it('describe every required field of an event', () => {
    const checkin = JSON.parse(jsonSchemaFiles().get('checkin.schema.json') ?? '{}') as { required: string[] };
    expect(checkin.required.sort()).toEqual([
      'id',
      'method',
      'person',
      'person_id',
      'school_id',
      'session_id',
      'ts',
      'type',
    ]);
  });
});
