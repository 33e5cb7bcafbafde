import { join } from 'node:path';
import type { Overview } from '@edu/analytics';
import { FIXTURE_DAY } from '@edu/analytics/testing';
import { ApiClient, TEST_PASSWORD } from '@edu/streamer/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launch } from './browser.ts';
import { startFixtureStack, type E2EStack } from './stack.ts';

// The two bundles of the built screen in headless Chromium, under the streamer's real
// Content-Security-Policy. A current browser runs the modern bundle only. The legacy bundle
// (SystemJS chunks and core-js polyfills, for the manual's floor of Chrome 61) is forced the
// way a browser without modules sees the page: index.html as the streamer sends it, headers
// and all, minus its module scripts and with its nomodule scripts enabled; the wall then logs
// in, shows the read API's figures, opens the 3D view (echarts-gl, three) and the console.
// Chromium is not Chrome 61: this proves the legacy bundle loads and runs; its syntax is
// checked by es-check in deploy/test-all.sh.

describe('the modern and the legacy bundle in Chromium', () => {
  let stack: E2EStack;
  let browser: Browser;
  let api: ApiClient;

  const overview = async () => (await api.get<Overview>(`/api/v1/overview?scope=city&date=${FIXTURE_DAY}`)).body;

  /** A fresh page recording the scripts it loads, its errors and the CSP violations it reports. */
  async function open(legacy: boolean) {
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page: Page = await context.newPage();
    const scripts: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.endsWith('.js')) scripts.push(path.replace(/^.*\//, ''));
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    if (legacy)
      await page.route(
        (url) => url.origin === stack.url && url.pathname === '/',
        async (route) => {
          const res = await route.fetch();
          const html = (await res.text())
            .replace(/<script type="module"[^>]*>[\s\S]*?<\/script>/g, '')
            .replace(/<link rel="modulepreload"[^>]*>/g, '')
            .replace(/<script nomodule/g, '<script');
          await route.fulfill({ response: res, body: html });
        },
      );
    return { context, page, scripts, errors };
  }

  async function logIn(page: Page, hash = '') {
    await page.goto(`${stack.url}/?date=${FIXTURE_DAY}&rotate=0&sound=0${hash}`);
    await page.getByTestId('login-phone').fill('13800000001');
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
  }

  const kpi = (page: Page, key: string) =>
    page.getByTestId(`kpi-${key}`).locator('.kpi-value[data-value]:not([data-value=""])');

  beforeAll(async () => {
    ({ stack, api } = await startFixtureStack('18:00', [], 4));
    // The legacy page is index.html rewritten by the test (below); Chromium takes such a page
    // for a public one and refuses its WebSocket to 127.0.0.1 (Local Network Access).
    browser = await launch(['--disable-features=LocalNetworkAccessChecks']);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('runs the modern bundle alone in a current browser', async () => {
    const { context, page, scripts, errors } = await open(false);
    try {
      await logIn(page);
      await kpi(page, 'enrollment_rate').waitFor({ timeout: 15_000 });
      expect(
        await page.evaluate(() => (window as { __vite_is_modern_browser?: boolean }).__vite_is_modern_browser),
      ).toBe(true);
      expect(scripts.some((s) => /^index-[\w-]+\.js$/.test(s) && !s.includes('-legacy-'))).toBe(true);
      expect(scripts.filter((s) => s.includes('-legacy-'))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('runs the legacy bundle where modules are not used: the wall, its 3D view and the console', async () => {
    const { context, page, scripts, errors } = await open(true);
    try {
      await logIn(page);
      const o = await overview();
      for (const key of ['enrollment_rate', 'sessions_scheduled'] as const) {
        const value = await kpi(page, key).getAttribute('data-value', { timeout: 30_000 });
        expect([key, Number(value)]).toEqual([key, o.metrics[key]]);
      }
      expect(scripts.some((s) => /^polyfills-legacy-/.test(s))).toBe(true);
      expect(scripts.some((s) => /^index-legacy-/.test(s))).toBe(true);
      // Lazily loaded through SystemJS: echarts-gl and three.
      await page.getByTestId('toggle-3d').click();
      await page.getByTestId('city-3d').locator('canvas').first().waitFor({ timeout: 30_000 });
      expect(scripts.some((s) => /^gl-legacy-/.test(s))).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, 'wall-legacy-3d-1920x1080.png') });
      await page.goto(`${stack.url}/?date=${FIXTURE_DAY}#/console`);
      await page.locator('[data-testid="console-row"]').first().waitFor({ timeout: 30_000 });
      expect(scripts.some((s) => /^console-legacy-/.test(s))).toBe(true);
      // Not one modern chunk: every script came from the legacy bundle.
      expect(scripts.filter((s) => !s.includes('-legacy-'))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
