import type { z } from 'zod';

// Every service parses its environment the same way: only the variables its schema names,
// empty meaning unset, and every bad value reported at once, naming the variable.

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function parseEnv<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined>,
  label: string,
): z.infer<S> {
  const relevant = Object.fromEntries(
    Object.keys(schema.shape)
      .filter((k) => env[k] !== undefined && env[k] !== '')
      .map((k) => [k, env[k]]),
  );
  const parsed = schema.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${String(i.path[0])}=${JSON.stringify(env[String(i.path[0])])}: ${i.message}`,
    );
    throw new ConfigError(`invalid ${label} configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
