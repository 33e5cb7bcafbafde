import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type CDPSession } from 'playwright-core';

// Debian's Chromium, headless, driven by playwright-core (no browser is ever downloaded).
// The flags keep it off the network (this machine's closed network refuses everything else),
// and give it software WebGL (SwiftShader) for the 3D view.

export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/screen', import.meta.url));

export async function launch(extraArgs: readonly string[] = []): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
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
