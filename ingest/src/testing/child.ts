import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Admin, Kafka } from 'kafkajs';
import { askKafka, publishedCount } from './kafka.ts';

// Runs the real ingest binary as a child process, so tests can SIGKILL and SIGTERM it.

const BIN = fileURLToPath(new URL('../bin/ingest.ts', import.meta.url));

export interface IngestChild {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** `nodeFlags`: e.g. `--cpu-prof` (which NODE_OPTIONS does not take) for a profile of each thread. */
export function spawnIngest(env: Record<string, string>, nodeFlags: readonly string[] = []): IngestChild {
  // `node --import tsx` rather than the tsx CLI: signals reach the ingest process itself.
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', BIN], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/**
 * Committed offsets of the group against the ends of the topics, summed over partitions.
 * Pass a connected admin to poll often without a connection per call.
 */
export async function groupProgress(
  kafka: Kafka,
  groupId: string,
  topics: string[],
  connected?: Admin,
): Promise<{ committed: number; end: number }> {
  const admin = connected ?? kafka.admin();
  if (!connected) await admin.connect();
  try {
    let committed = 0;
    let end = 0;
    const offsets = await askKafka(() => admin.fetchOffsets({ groupId, topics }));
    for (const t of offsets) for (const p of t.partitions) committed += Math.max(0, Number(p.offset));
    for (const topic of topics) end += await publishedCount(admin, topic);
    return { committed, end };
  } finally {
    if (!connected) await admin.disconnect();
  }
}
