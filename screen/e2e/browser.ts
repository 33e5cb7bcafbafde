import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type CDPSession } from 'playwright-core';

// Debian's Chromium, headless, driven by playwright-core (no browser is ever downloaded).
// The flags keep it off the network (this machine's closed network refuses everything else),
// and give it software WebGL (SwiftShader) for the 3D view.

export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/screen', import.meta.url));

export async function launch(extraArgs: readonly string[] = []): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  // `npm test` installs it; `npm start` does not, so the screenshot tools can meet a machine without.
  if (!existsSync(executablePath))
    throw new Error(
      `no Chromium at ${executablePath}: install Debian's (apt-get install chromium fonts-wqy-microhei; npm test does) or set CHROMIUM_PATH`,
    );
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      ...extraArgs,
    ],
  });
}

/**
 * The page's JS heap after a forced GC, its DOM nodes and its main-thread task time so far, over
 * the DevTools protocol (`Performance.enable` sent first): what the soaks sample.
 */
export async function pageMetrics(cdp: CDPSession): Promise<{ heapMb: number; nodes: number; taskSeconds: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  return { heapMb: (m.JSHeapUsedSize ?? 0) / 2 ** 20, nodes: m.Nodes ?? 0, taskSeconds: m.TaskDuration ?? 0 };
}

/** A heap snapshot summed by what its nodes are: `type` (and constructor or function name). */
export type HeapSummary = Map<string, { count: number; bytes: number }>;

/**
 * Takes a heap snapshot over the DevTools protocol and sums its nodes' own sizes by kind
 * (objects and closures by their constructor or function name, the rest by type): two of them,
 * compared with heapGrowth, say what a page holds more of, not only that it holds more.
 */
export async function heapSummary(cdp: CDPSession): Promise<HeapSummary> {
  const chunks: string[] = [];
  const onChunk = (e: { chunk: string }) => chunks.push(e.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const snap = JSON.parse(chunks.join('')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [fType, fName, fSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const out: HeapSummary = new Map();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + fType]!]!;
    const named = type === 'object' || type === 'closure' || type === 'native' || type === 'code';
    const key = named ? `${type} ${snap.strings[snap.nodes[i + fName]!]!.slice(0, 60)}` : type;
    const cur = out.get(key) ?? { count: 0, bytes: 0 };
    cur.count++;
    cur.bytes += snap.nodes[i + fSize]!;
    out.set(key, cur);
  }
  return out;
}

/** The kinds that grew most in bytes from `a` to `b`, largest first. */
export function heapGrowth(a: HeapSummary, b: HeapSummary, top = 15): { key: string; count: number; bytes: number }[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys]
    .map((key) => ({
      key,
      count: (b.get(key)?.count ?? 0) - (a.get(key)?.count ?? 0),
      bytes: (b.get(key)?.bytes ?? 0) - (a.get(key)?.bytes ?? 0),
    }))
    .sort((x, y) => y.bytes - x.bytes)
    .slice(0, top);
}

/**
 * A snapshot's bytes split into V8's compiled code (the JIT's machine code and bytecode, which
 * grows as functions warm up and tier up) and everything else (the page's objects, strings, DOM
 * wrappers): a heap that rises by code alone is warming up, not leaking.
 */
export function heapSplit(s: HeapSummary): { codeMb: number; otherMb: number } {
  let code = 0;
  let other = 0;
  for (const [key, v] of s) {
    if (key === 'code' || key.startsWith('code ')) code += v.bytes;
    else other += v.bytes;
  }
  return { codeMb: code / 2 ** 20, otherMb: other / 2 ** 20 };
}
