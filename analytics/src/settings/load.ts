import type { z } from 'zod';

// The one way every process reads its settings: typed defaults, then typed overrides (tests and
// the embedded composition), then environment variables named `EDU_…`, each mapped to one path of
// the process's zod schema. Every bad value is reported at once, naming the variable; empty means
// unset. Nothing else in the product reads process.env for a setting.

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** One environment variable: the config path it sets and what it means (the README's table). */
export interface SettingVar {
  path: string;
  doc: string;
  /** A secret: the settings table and start-up messages never print its value. */
  secret?: boolean;
  /** The table's default column when the default is not one value (e.g. differs by process). */
  shownDefault?: string;
}

export type SettingVars = Record<string, SettingVar>;

export interface SettingsSpec<S extends z.ZodObject> {
  /** The process, in messages: `invalid streamer configuration`. */
  label: string;
  schema: S;
  defaults: z.input<S>;
  vars: SettingVars;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

type Json = Record<string, unknown>;

export function getPath(from: unknown, path: string): unknown {
  let cur = from;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[p];
  }
  return cur;
}

function setPath(target: Json, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = target;
  for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Json;
  cur[parts.at(-1) as string] = value;
}

function mergeDeep(into: Json, more: Json): void {
  for (const [k, v] of Object.entries(more)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) mergeDeep((into[k] ??= {}) as Json, v as Json);
    else if (v !== undefined) into[k] = v;
  }
}

/** Defaults, then `overrides`, then the environment; throws ConfigError naming each bad variable. */
export function loadSettings<S extends z.ZodObject>(
  spec: SettingsSpec<S>,
  env: Record<string, string | undefined>,
  overrides: DeepPartial<z.input<S>> = {},
): z.output<S> {
  const merged = structuredClone(spec.defaults) as unknown as Json;
  mergeDeep(merged, overrides as Json);
  for (const [name, v] of Object.entries(spec.vars)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(merged, v.path, value);
  }
  const parsed = spec.schema.safeParse(merged);
  if (!parsed.success) {
    const byPath = new Map(Object.entries(spec.vars).map(([name, v]) => [v.path, name]));
    const reasons = parsed.error.issues.map((i) => {
      const path = i.path.filter((k) => typeof k === 'string').join('.');
      const name = byPath.get(path);
      if (!name) return `${path}: ${i.message}`;
      const shown = spec.vars[name]?.secret ? '(hidden)' : JSON.stringify(env[name] ?? getPath(merged, path));
      return `${name}=${shown}: ${i.message}`;
    });
    throw new ConfigError(`invalid ${spec.label} configuration:\n  ${reasons.join('\n  ')}`);
  }
  return parsed.data;
}

/**
 * The flat form for small tools (a benchmark's options): each schema key is its own variable.
 * Same parser, same messages.
 */
export function parseEnv<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined>,
  label: string,
): z.infer<S> {
  const vars = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, { path: k, doc: '' }]));
  return loadSettings({ label, schema, defaults: {} as z.input<S>, vars }, env);
}
