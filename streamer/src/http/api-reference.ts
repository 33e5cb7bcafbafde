import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { format, resolveConfig } from 'prettier';
import { createHttpApp } from './app.ts';
import type { HttpContext } from './context.ts';
import { openApiOf } from './openapi.ts';

// docs/api-reference.md, rendered from the OpenAPI document (openapi.ts) of an app assembled
// with no services behind it: routes are registered without touching the context, which only
// their handlers read. `npm run api:doc -w @edu/streamer` writes it; openapi.test.ts fails
// when the file differs from what the routes say now.

/** The streamer's HTTP app with its routes and nothing behind them: for listing, never serving. */
export function describedApp(): Express {
  const ctx = { config: { trustProxy: '', files: { dir: '' } }, staticDir: null } as unknown as HttpContext;
  return createHttpApp(ctx, () => Promise.resolve({ ok: true }));
}

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: Schema;
}
interface Operation {
  tags: string[];
  summary: string;
  description: string;
  parameters: Parameter[];
  requestBody?: { content: { 'application/json': { schema: Schema } } };
  responses: Record<string, { description?: string; content?: Record<string, unknown> }>;
}

// Table cells: a pipe would end the cell, and `<id>` would read as an HTML tag.
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\n/g, ' ');

/** A JSON Schema in a few words: `string /re/, ≤ 64`, `top | bottom`, `integer 1–100, default 10`. */
export function typeText(s: Schema): string {
  const parts: string[] = [];
  if (Array.isArray(s.enum)) parts.push((s.enum as unknown[]).map((v) => String(v)).join(' | '));
  else if (s.const !== undefined) parts.push(JSON.stringify(s.const));
  else if (Array.isArray(s.anyOf)) parts.push((s.anyOf as Schema[]).map(typeText).join(' or '));
  else if (s.type === 'array') {
    parts.push(`${typeText((s.items as Schema | undefined) ?? {})}[]`);
    if (typeof s.maxItems === 'number') parts.push(`${String(s.minItems ?? 0)}–${String(s.maxItems)} items`);
  } else {
    parts.push(typeof s.type === 'string' ? s.type : 'any');
    if (typeof s.format === 'string') parts.push(s.format);
    // A format (date-time) says what its generated pattern spells out at length.
    else if (typeof s.pattern === 'string') parts.push(`/${s.pattern}/`);
    const min = s.minLength ?? s.minimum;
    const max = s.maxLength ?? s.maximum;
    const unit = s.type === 'string' ? ' chars' : '';
    if (min !== undefined && max !== undefined) parts.push(`${String(min)}–${String(max)}${unit}`);
    else if (max !== undefined) parts.push(`≤ ${String(max)}${unit}`);
    else if (min !== undefined) parts.push(`≥ ${String(min)}${unit}`);
  }
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  return parts.join(', ');
}

function table(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

export const API_REFERENCE_FILE = fileURLToPath(new URL('../../../docs/api-reference.md', import.meta.url));

/** docs/api-reference.md as it should be: rendered from the routes, formatted as the repo's Markdown is. */
export async function apiReferenceMarkdown(): Promise<string> {
  const options = (await resolveConfig(API_REFERENCE_FILE)) ?? {};
  return format(renderApiReference(openApiOf(describedApp())), { ...options, filepath: API_REFERENCE_FILE });
}

/** The Markdown reference of an OpenAPI document made by openApiOf. */
export function renderApiReference(api: Record<string, unknown>): string {
  const paths = api.paths as Record<string, Record<string, Operation>>;
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(paths))
    for (const [method, op] of Object.entries(ops)) {
      const out: string[] = [`### \`${method.toUpperCase()} ${path}\``, '', op.summary + '.', ''];
      if (op.description) out.push(op.description, '');
      const params = op.parameters;
      if (params.length)
        out.push(
          ...table(
            ['parameter', 'in', 'required', 'type'],
            params.map((p) => [
              `\`${p.name}\``,
              p.in,
              p.required ? 'yes' : '',
              cell([typeText(p.schema), p.description].filter(Boolean).join('; ')),
            ]),
          ),
          '',
        );
      const body = op.requestBody?.content['application/json'].schema;
      if (body) {
        const props = (body.properties ?? {}) as Record<string, Schema>;
        const required = (body.required ?? []) as string[];
        out.push(
          `Body (JSON${body.additionalProperties === false ? ', no other fields' : ''}):`,
          '',
          ...table(
            ['field', 'required', 'type'],
            Object.entries(props).map(([k, v]) => [`\`${k}\``, required.includes(k) ? 'yes' : '', cell(typeText(v))]),
          ),
          '',
        );
      }
      for (const [status, r] of Object.entries(op.responses)) {
        if (!/^\d{3}$/.test(status)) continue;
        const media = Object.keys(r.content ?? {})[0];
        out.push(`Returns ${status}${media ? ` (${media})` : ''}: ${r.description ?? ''}`, '');
      }
      const tag = op.tags[0] ?? 'api';
      byTag.set(tag, [...(byTag.get(tag) ?? []), ...out]);
    }
  const info = api.info as { title: string; version: string };
  return [
    `# ${info.title} — reference (v${info.version})`,
    '',
    '<!-- Generated by `npm run api:doc -w @edu/streamer` from the routes and their zod schemas',
    '     (streamer/src/http/openapi.ts). Do not edit: openapi.test.ts fails when this file differs. -->',
    '',
    'Every route of the streamer, with the parameters and bodies its handler validates. The guide —',
    'scopes, refusals and their codes, the 督办 loop — is [api.md](api.md). The same reference is',
    'served as OpenAPI 3.1 at `GET /api/v1/openapi.json`. Every `/api/v1` route needs',
    '`Authorization: Bearer <token>` unless it says "No login"; a refusal is `{error, code}` with a 4xx status.',
    '',
    ...[...byTag].flatMap(([tag, lines]) => [`## ${tag}`, '', ...lines]),
  ]
    .join('\n')
    .replace(/\n+$/, '\n');
}
