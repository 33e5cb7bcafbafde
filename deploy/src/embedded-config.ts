import { parseEnv } from '@edu/analytics';
import { z } from 'zod';

// Configuration of the embedded default (`npm start`): one process, chDB on disk, the
// simulator as the city's schools. Defaults in one place; a bad value stops start-up.

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  EDU_PORT: int(0, 65535).default(8080),
  EDU_HOST: z.string().default('127.0.0.1'),
  /** Where chDB keeps its data; it survives restarts. */
  EDU_DATA_DIR: z.string().min(1).default('.cache/embedded'),
  EDU_OPEN_BROWSER: z.enum(['0', '1']).default('1'),
  SIM_SEED: int(0, 2 ** 31 - 1).default(20261128),
  SIM_SCHOOLS: int(1, 20_000).default(1200),
  SIM_STUDENTS: int(1, 5_000_000).default(600_000),
  /** The after-school window (~15:30–18:00) compressed into this many real minutes, then again. */
  SIM_WINDOW_MINUTES: int(1, 600).default(20),
  /** `0` runs the product with no simulated city (events come over POST /v1/events). */
  EDU_SIMULATOR: z.enum(['0', '1']).default('1'),
});

export interface EmbeddedConfig {
  port: number;
  host: string;
  dataDir: string;
  openBrowser: boolean;
  simulator: { enabled: boolean; seed: number; schools: number; students: number; windowMinutes: number };
}

export function loadEmbeddedConfig(env: Record<string, string | undefined>): EmbeddedConfig {
  const e = parseEnv(schema, env, 'embedded');
  return {
    port: e.EDU_PORT,
    host: e.EDU_HOST,
    dataDir: e.EDU_DATA_DIR,
    openBrowser: e.EDU_OPEN_BROWSER === '1',
    simulator: {
      enabled: e.EDU_SIMULATOR === '1',
      seed: e.SIM_SEED,
      schools: e.SIM_SCHOOLS,
      students: e.SIM_STUDENTS,
      windowMinutes: e.SIM_WINDOW_MINUTES,
    },
  };
}
