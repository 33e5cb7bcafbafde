// Writes analytics/schema/*.json from the zod schemas: `npm run contract:gen`.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jsonSchemaFiles } from './json-schema.ts';

const dir = fileURLToPath(new URL('../../schema/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const f of readdirSync(dir)) if (f.endsWith('.schema.json')) rmSync(dir + f);
const files = jsonSchemaFiles();
for (const [name, text] of files) writeFileSync(dir + name, text);
// The command's answer on stdout (not a log line).
process.stdout.write(`wrote ${files.size} JSON Schema files to analytics/schema/\n`);
