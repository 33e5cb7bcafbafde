import { spawn, execFile } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

// Processes that outlive the command that starts them (deploy/cluster/local.sh up … down):
// each in its own session, its pid in a file, its output appended to a log. A pid file is
// trusted only while that pid still runs the command it was started with, so a stale file whose
// pid was reused is never signalled.

const run = promisify(execFile);

export interface Detached {
  pidFile: string;
  log: string;
  /** A string the process's command line contains: how its pid is told from a reused one. */
  marker: string;
}

export function livePid(p: Detached): number | null {
  if (!existsSync(p.pidFile)) return null;
  const pid = Number(readFileSync(p.pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return cmdline.includes(p.marker) ? pid : null;
  } catch {
    return null;
  }
}

export function spawnDetached(
  p: Detached,
  command: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
): number {
  mkdirSync(p.pidFile.slice(0, p.pidFile.lastIndexOf('/')), { recursive: true });
  mkdirSync(p.log.slice(0, p.log.lastIndexOf('/')), { recursive: true });
  const fd = openSync(p.log, 'a');
  writeFileSync(fd, `===== ${new Date().toISOString()}: starting ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  if (!child.pid) throw new Error(`could not start ${command}`);
  child.unref();
  writeFileSync(p.pidFile, `${child.pid}\n`);
  return child.pid;
}

/** SIGTERM (or the given signal), then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopDetached(p: Detached, signal: NodeJS.Signals = 'SIGTERM', graceMs = 30_000): Promise<void> {
  const pid = livePid(p);
  if (pid === null) {
    rmSync(p.pidFile, { force: true });
    return;
  }
  process.kill(pid, signal);
  for (const until = Date.now() + graceMs; Date.now() < until; await sleep(100)) {
    if (livePid(p) === null) break;
  }
  if (livePid(p) !== null) {
    process.kill(pid, 'SIGKILL');
    while (livePid(p) !== null) await sleep(50);
  }
  rmSync(p.pidFile, { force: true });
}

/** Polls `check` until it holds; fails early with the log's tail if the process died. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; process?: Detached },
): Promise<void> {
  for (const until = Date.now() + opts.timeoutMs; ; await sleep(200)) {
    if (await check().catch(() => false)) return;
    if (opts.process && livePid(opts.process) === null)
      throw new Error(`${what}: the process exited\n${tail(opts.process.log)}`);
    if (Date.now() > until)
      throw new Error(
        `${what}: not ready after ${opts.timeoutMs / 1000} s\n${opts.process ? tail(opts.process.log) : ''}`,
      );
  }
}

export function tail(file: string, lines = 30): string {
  if (!existsSync(file)) return `(no ${file})`;
  return `----- ${file} -----\n${readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n')}`;
}

export async function httpOk(url: string): Promise<boolean> {
  const r = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return r.ok;
}

/** Runs a deploy/services script (start|stop) with extra environment; its output on failure. */
export async function serviceScript(
  cwd: string,
  script: string,
  action: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  try {
    const { stdout } = await run('bash', [`deploy/services/${script}.sh`, action], {
      cwd,
      env: { ...process.env, ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout.trim();
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${script}.sh ${action} failed: ${err.stderr ?? ''}${err.stdout ?? ''}`.slice(-4000));
  }
}
