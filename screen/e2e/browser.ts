import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

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
