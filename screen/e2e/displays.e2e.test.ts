import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Overview } from '@edu/analytics';
import { FIXTURE_DAY, fixtureCityEvents } from '@edu/analytics/testing';
import { produceEvents } from '@edu/ingest/testing/kafka';
import { ApiClient, TEST_PASSWORD } from '@edu/streamer/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launch } from './browser.ts';
import { DIST, startStack, type E2EStack } from './stack.ts';

// Wall displays (issue 12) in headless Chromium against the real stack: the administrator
// registers a display pinned to 东城区 on 用户管理 · 大屏终端 and reads its pairing code; a wall
// machine (another browser, no session) opens the product's address, types the code beside the
// login, and shows 东城区's live figures — no password typed on the wall. Its credential is kept
// across a reload. The administrator revokes it while it is connected: the wall is back at the
// pairing form at once, saying why, without anyone touching it.

describe('pairing a wall display, and revoking it while connected', () => {
  let stack: E2EStack;
  let browser: Browser;
  let admin: Page;
  let wall: Page;
  let api: ApiClient;
  const pageErrors: string[] = [];
  const overview = async (scope: string) =>
    (await api.get<Overview>(`/api/v1/overview?scope=${scope}&date=${FIXTURE_DAY}`)).body;

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) throw new Error('screen/dist is missing: npm run build -w @edu/screen');
    stack = await startStack();
    await produceEvents(stack.kafka, stack.prefix, fixtureCityEvents());
    api = await new ApiClient(stack.url).login('13800000000');
    for (let i = 0; i < 150; i++) {
      await stack.streamer.refreshGeography();
      const geo = await api.get<{ districts: { id: string }[] }>('/api/v1/geo');
      if (geo.body.districts?.some((d) => d.id === 'd1') && (await overview('city')).metrics.sessions_scheduled === 4)
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
    browser = await launch();
    // Two machines: the administrator's desk and the wall; separate contexts share no storage.
    admin = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    wall = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    for (const p of [admin, wall]) p.on('pageerror', (e) => pageErrors.push(`${e.message}`.slice(0, 800)));
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('registers a display, pairs the wall with the code, and the wall shows its scope live', async () => {
    await admin.goto(`${stack.url}/#/console/users`);
    await admin.getByTestId('login-phone').fill('13800000000');
    await admin.getByTestId('login-password').fill(TEST_PASSWORD);
    await admin.getByTestId('login-submit').click();
    await admin.getByTestId('console-displays').waitFor({ timeout: 15_000 });
    await admin.getByTestId('console-display-new').click();
    await admin.getByTestId('console-display-name').fill('东城区指挥中心屏');
    await admin.getByTestId('console-display-scope-pick').selectOption({ label: '东城区' });
    await admin.getByTestId('console-display-save').click();
    const shown = admin.getByTestId('console-display-pairing-code');
    await shown.waitFor({ timeout: 10_000 });
    const code = (await shown.innerText()).trim();
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
    await admin.screenshot({ path: join(ARTIFACTS, 'console-display-code.png') });
    await admin.getByText('关闭').click();

    await wall.goto(`${stack.url}/?date=${FIXTURE_DAY}`);
    await wall.getByTestId('pairing-code').fill(code.toLowerCase());
    await wall.screenshot({ path: join(ARTIFACTS, 'wall-pairing.png') });
    await wall.getByTestId('pairing-submit').click();
    await wall
      .getByTestId('kpi-sessions_scheduled')
      .locator('.kpi-value[data-value]:not([data-value=""])')
      .waitFor({ timeout: 15_000 });
    const o = await overview('district:d1');
    const shownSessions = await wall
      .getByTestId('kpi-sessions_scheduled')
      .locator('.kpi-value')
      .getAttribute('data-value');
    expect(Number(shownSessions)).toBe(o.metrics.sessions_scheduled);
    expect(await wall.getByTestId('breadcrumb').innerText()).toContain('东城区');
    // No way above its pinned scope: its credential could not look there.
    expect(await wall.getByTestId('breadcrumb').innerText()).not.toContain('全市');
    await expect.poll(() => wall.getByTestId('connection').innerText(), { timeout: 10_000 }).toContain('实时');
    // No password on the wall, no way out to the console, nothing stored for a person's session.
    expect(await wall.getByTestId('wall-console').count()).toBe(0);
    expect(await wall.evaluate(() => sessionStorage.getItem('edu.session'))).toBeNull();
    await wall.screenshot({ path: join(ARTIFACTS, 'wall-paired.png') });

    // The credential outlives a reload (and the browser: localStorage).
    await wall.reload();
    await wall.getByTestId('breadcrumb').waitFor({ timeout: 15_000 });
    expect(await wall.getByTestId('pairing-code').count()).toBe(0);

    // The administration page lists it by name and scope name, paired, with the build it runs.
    await admin.reload();
    const row = admin.getByTestId('console-display').filter({ hasText: '东城区指挥中心屏' });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getByTestId('console-display-scope').innerText()).toBe('东城区');
    expect(await row.innerText()).toContain('已配对');
    await expect
      .poll(() => row.getByTestId('console-display-build').innerText(), { timeout: 10_000 })
      .toMatch(/^\d{14}-\d+$/);
  });

  it('revoking it while connected sends the wall back to the pairing form at once', async () => {
    await wall.evaluate(() => Object.assign(window, { e2eNoReload: 'still here' }));
    const row = admin.getByTestId('console-display').filter({ hasText: '东城区指挥中心屏' });
    await row.getByTestId('console-display-revoke').click();
    await admin.getByTestId('console-display-revoke-confirm').click();
    await wall.getByTestId('pairing-ended').waitFor({ timeout: 5000 });
    expect(await wall.getByTestId('pairing-code').isVisible()).toBe(true);
    expect(await wall.evaluate(() => localStorage.getItem('edu.display'))).toBeNull();
    expect(await wall.evaluate(() => (window as unknown as { e2eNoReload?: string }).e2eNoReload)).toBe('still here');
    await wall.screenshot({ path: join(ARTIFACTS, 'wall-revoked.png') });
    await expect.poll(() => row.innerText(), { timeout: 10_000 }).toContain('已注销');
    expect(pageErrors).toEqual([]);
  });
});
