import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Store } from '@edu/analytics';
import { disposeTestStore, openTestStore } from '@edu/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStreamer, type TestStreamer } from '../testing/harness.ts';

// The built screen as the streamer serves it to old wall PCs (the manual's floor is Chrome 61):
// index.html loads the legacy bundle (SystemJS chunks and core-js polyfills) from nomodule
// scripts and from an inline fallback for browsers with modules but without what the modern
// chunks need; every file it names is served, and the CSP lets its inline scripts run (by
// hash) without data: scripts or 'unsafe-inline'. Needs the screen built (deploy/test-all.sh
// builds it before the tests).

const DIST = fileURLToPath(new URL('../../../screen/dist', import.meta.url));

interface Script {
  attrs: Record<string, string>;
  body: string;
}

/** The script elements of a page with their attributes (a bare attribute reads ''). */
function scripts(html: string): Script[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map(([, attrs, body]) => ({
    attrs: Object.fromEntries(
      [...attrs!.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map(([, name, value]) => [name!, value ?? '']),
    ),
    body: body!,
  }));
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

describe('the legacy screen bundle, served by the streamer', () => {
  let store: Store;
  let t: TestStreamer;
  let html: string;
  let csp: string;
  const get = (path: string) => fetch(new URL(path, `${t.url}/`));

  beforeAll(async () => {
    if (!existsSync(`${DIST}/index.html`)) throw new Error('screen/dist is missing: npm run build -w @edu/screen');
    store = await openTestStore('chdb', 'legacy_screen');
    t = await startTestStreamer(store, { staticDir: DIST });
    const res = await get('/');
    expect(res.status).toBe(200);
    html = await res.text();
    csp = res.headers.get('content-security-policy') ?? '';
  });
  afterAll(async () => {
    await t?.close();
    if (store) await disposeTestStore(store);
  });

  it('names the legacy polyfills and entry in nomodule scripts, and serves them', async () => {
    const all = scripts(html);
    const polyfills = all.find((s) => s.attrs.id === 'vite-legacy-polyfill');
    const entry = all.find((s) => s.attrs.id === 'vite-legacy-entry');
    expect(polyfills?.attrs).toMatchObject({
      nomodule: '',
      src: expect.stringMatching(/^\.\/assets\/polyfills-legacy-/),
    });
    expect(entry?.attrs).toMatchObject({
      nomodule: '',
      'data-src': expect.stringMatching(/^\.\/assets\/index-legacy-/),
    });
    // The entry script starts the legacy bundle with SystemJS, which the polyfills bring.
    expect(entry?.body).toContain("System.import(document.getElementById('vite-legacy-entry')");

    const p = await get(polyfills!.attrs.src!);
    expect([p.status, p.headers.get('content-type')]).toEqual([200, expect.stringMatching(/javascript/)]);
    const polyfillCode = await p.text();
    expect(polyfillCode).toMatch(/System\.register|System=|\.System/); // SystemJS runtime
    expect(polyfillCode).toContain('core-js'); // core-js's shared-store marker
    const e = await get(entry!.attrs['data-src']!);
    expect([e.status, e.headers.get('content-type')]).toEqual([200, expect.stringMatching(/javascript/)]);
    expect(await e.text()).toContain('System.register(');
  });

  it('serves every legacy chunk, among them the lazily loaded 3D view (echarts-gl, three)', async () => {
    const legacy = readdirSync(`${DIST}/assets`).filter((f) => /-legacy-.*\.js$/.test(f));
    expect(legacy.some((f) => f.startsWith('gl-legacy-'))).toBe(true);
    for (const file of legacy) {
      const res = await get(`/assets/${file}`);
      expect([file, res.status]).toEqual([file, 200]);
      const code = await res.text();
      // SystemJS modules (in an IIFE), loadable without native modules.
      if (!file.startsWith('polyfills-')) expect([file, code.includes('System.register(')]).toEqual([file, true]);
    }
  });

  it('lets exactly the inline scripts of index.html run, by hash, never inline or data: scripts at large', () => {
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
    const inline = scripts(html).filter((s) => s.attrs.src === undefined && s.body !== '');
    // The Safari nomodule fix, the SystemJS start, the modern-browser check and its fallback.
    expect(inline.length).toBeGreaterThanOrEqual(3);
    for (const s of inline)
      expect([s.body.slice(0, 60), scriptSrc]).toEqual([s.body.slice(0, 60), expect.stringContaining(sha256(s.body))]);
    expect(scriptSrc.match(/'sha256-/g)).toHaveLength(inline.length);
    expect(scriptSrc).not.toMatch(/unsafe-inline|data:|\*/);
  });

  it('checks for a modern browser with a served file, not a data: module the CSP refuses', async () => {
    const modern = scripts(html).find((s) => s.attrs.type === 'module' && s.attrs.src !== undefined);
    expect(modern?.attrs.src).toMatch(/^\.\/assets\/index-[\w-]+\.js$/);
    const entry = await (await get(modern!.attrs.src!)).text();
    const guards = [
      ...[...html.matchAll(/import\s*'(\.\/assets\/legacy-guard-[\w-]+\.js)'/g)].map((m) => m[1]!),
      ...[...entry.matchAll(/import\s*'\.\/(legacy-guard-[\w-]+\.js)'/g)].map((m) => `./assets/${m[1]!}`),
    ];
    expect(guards).toHaveLength(2); // the inline check, and the modern entry's own
    for (const g of guards) {
      const res = await get(g);
      expect([g, res.status, res.headers.get('content-type')]).toEqual([g, 200, expect.stringMatching(/javascript/)]);
      expect(await res.text()).toContain('if(!import.meta.resolve)throw');
    }
    expect(html + entry).not.toContain('data:text/javascript');
  });
});
