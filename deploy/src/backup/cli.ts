import { ConfigError, openChdbStore, openServerStore, type Store } from '@edu/analytics';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { restoreBackup, RestoreRefused, writeBackup } from './file.ts';
import { parseBackupCommand, USAGE, UsageError, type StoreTarget } from './options.ts';

// `npm run backup|restore -w @edu/deploy -- …` and deploy/backup.sh: the bureau's own records
// to a file and back (README "Backup and restore"). Exit codes: 0 done, 1 failed, 2 usage,
// 3 restore refused (nothing written).

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function productVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function openStore(t: StoreTarget): Promise<Store> {
  if (t.engine === 'server') {
    return openServerStore({ url: t.url, database: t.database, username: t.username, password: t.password });
  }
  try {
    return await openChdbStore({ path: t.path, database: t.database });
  } catch (err) {
    // chDB locks its folder: the usual cause is the product still running on it.
    throw new Error(
      `cannot open chDB at ${t.path} (is the product still running on it? stop it first): ${(err as Error).message}`,
    );
  }
}

const where = (t: StoreTarget) =>
  t.engine === 'server' ? `${t.url} database ${t.database}` : `chDB ${t.path} database ${t.database}`;

async function main(): Promise<number> {
  const [action, ...rest] = process.argv.slice(2);
  if (rest.includes('--help') || action === '--help' || action === undefined) {
    console.log(USAGE);
    return action === undefined ? 2 : 0;
  }
  const cmd = parseBackupCommand(action, rest, process.env, process.env.INIT_CWD ?? process.cwd(), ROOT);
  const store = await openStore(cmd.store);
  try {
    if (cmd.action === 'backup') {
      const m = await writeBackup(store, cmd.file, { productVersion: productVersion() });
      const rows = m.tables.map((t) => `${t.name} ${t.rows}`).join(', ');
      console.log(
        `backed up ${where(cmd.store)} at migration ${m.migrations.at(-1)?.version ?? 0} to ${cmd.file}: ${rows}`,
      );
    } else {
      const r = await restoreBackup(store, cmd.file, {
        force: cmd.force,
        ...(cmd.cluster ? { cluster: cmd.cluster } : {}),
      });
      const rows = Object.entries(r.restored)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ');
      console.log(
        `restored ${cmd.file} (taken ${r.manifest.created_at}, product ${r.manifest.product_version}) into ${where(cmd.store)}: ${rows}`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof ConfigError) {
      console.error(`${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(
      err instanceof RestoreRefused ? `restore refused: ${err.message}` : `failed: ${(err as Error).message}`,
    );
    process.exit(err instanceof RestoreRefused ? 3 : 1);
  },
);
