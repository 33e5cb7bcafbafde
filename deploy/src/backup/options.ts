import { CLICKHOUSE_DEFAULTS, CLICKHOUSE_VARS, clickhouseSchema, loadSettings } from '@edu/analytics';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';

// The backup command's options: flags over EDU_* environment variables over defaults. The
// defaults are the embedded default's store (`npm start`: chDB in .cache/embedded/chdb,
// database edu). The password is read from EDU_CLICKHOUSE_PASSWORD only, never a flag that
// `ps` would show.

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type StoreTarget =
  | { engine: 'server'; url: string; database: string; username: string; password: string }
  | { engine: 'chdb'; path: string; database: string };

export interface BackupCommand {
  action: 'backup' | 'restore';
  /** The backup file, absolute. */
  file: string;
  store: StoreTarget;
  force: boolean;
  cluster: string;
}

export const USAGE = `usage:
  npm run backup  -w @edu/deploy -- --out FILE [store]
  npm run restore -w @edu/deploy -- --in FILE [--force] [store]
  (or deploy/backup.sh backup|restore …)
store (flag, else environment, else default):
  --engine server|chdb     EDU_STORE_ENGINE         chdb
  --url URL                EDU_CLICKHOUSE_URL       http://127.0.0.1:8123
  --database NAME          EDU_CLICKHOUSE_DATABASE  edu
  --user NAME              EDU_CLICKHOUSE_USER      default
  (password)               EDU_CLICKHOUSE_PASSWORD  (empty)
  --chdb-path DIR          EDU_CHDB_PATH            $EDU_DATA_DIR/chdb (.cache/embedded/chdb)
  --cluster NAME           EDU_CLICKHOUSE_CLUSTER   (none; restore migrates ON CLUSTER)
--force restores into a database that already holds bureau records, adding to them.
Stop the product first on chDB (one process owns its folder); on a server, back up while the
streamer is quiet (a write during the backup may or may not be in it).`;

/**
 * @param argv the arguments after the action
 * @param cwd where relative paths are from (npm runs workspace scripts in the workspace, and
 *   says where it was started in INIT_CWD)
 * @param root the repository, where the embedded default keeps its data
 */
export function parseBackupCommand(
  action: string | undefined,
  argv: readonly string[],
  env: Record<string, string | undefined>,
  cwd: string,
  root: string,
): BackupCommand {
  if (action !== 'backup' && action !== 'restore') throw new UsageError(`unknown action ${String(action)}`);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        out: { type: 'string' },
        in: { type: 'string' },
        force: { type: 'boolean', default: false },
        engine: { type: 'string' },
        url: { type: 'string' },
        database: { type: 'string' },
        user: { type: 'string' },
        'chdb-path': { type: 'string' },
        cluster: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const a = parsed.values;
  const file = action === 'backup' ? a.out : a.in;
  if (!file) throw new UsageError(action === 'backup' ? '--out FILE is required' : '--in FILE is required');
  if (action === 'backup' && a.force) throw new UsageError('--force is for restore');
  // The settings through the product's one parser and its ClickHouse group (bad values named
  // by variable), with the embedded default's store as the default; then the flags over them.
  const dataDir = env.EDU_DATA_DIR || '.cache/embedded';
  const { clickhouse: ch } = loadSettings(
    {
      label: 'backup',
      schema: z.object({ clickhouse: clickhouseSchema }),
      defaults: { clickhouse: { ...CLICKHOUSE_DEFAULTS, engine: 'chdb', chdbPath: join(dataDir, 'chdb') } },
      vars: CLICKHOUSE_VARS,
    },
    env,
  );
  const engine = a.engine ?? ch.engine;
  const database = a.database ?? ch.database;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new UsageError(`not a database name: ${database}`);
  let store: StoreTarget;
  if (engine === 'server') {
    const url = a.url ?? ch.url;
    if (!URL.canParse(url)) throw new UsageError(`not a URL: ${url}`);
    store = { engine, url, database, username: a.user ?? ch.username, password: ch.password };
  } else if (engine === 'chdb') {
    // A flag is from where the command was typed; a setting, like the product's, from the repository.
    const path = a['chdb-path'] ? resolve(cwd, a['chdb-path']) : resolve(root, ch.chdbPath);
    store = { engine, path, database };
  } else {
    throw new UsageError(`--engine must be server or chdb, not ${engine}`);
  }
  const cluster = a.cluster ?? ch.cluster;
  return {
    action,
    file: resolve(cwd, file),
    store,
    force: a.force ?? false,
    cluster,
  };
}
