import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_DAY, fixtureCityEvents } from '@edu/analytics/testing';
import { produceEvents } from '@edu/ingest/testing/kafka';
import { ApiClient, TEST_PASSWORD } from '@edu/streamer/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launch } from './browser.ts';
import { DIST, startStack, type E2EStack } from './stack.ts';

// 用户管理 in headless Chromium against the real stack (manual §2.1, 修改即刻生效): the
// administrator moves a staff member from 东城区 to 西城区 in one browser while the staff
// member's console is open in another. The staff page leaves for the login form by itself,
// saying why, without a reload; signed in again it shows 西城区. The change is in 操作日志.
// The wall's 图表 (top right) opens the console.

describe('用户管理: a change of districts reaches an open console', () => {
  let stack: E2EStack;
  let browser: Browser;
  let admin: Page;
  let staff: Page;
  const pageErrors: string[] = [];

  const login = async (page: Page, phone: string) => {
    await page.getByTestId('login-phone').fill(phone);
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
  };

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) throw new Error('screen/dist is missing: npm run build -w @edu/screen');
    stack = await startStack();
    await produceEvents(stack.kafka, stack.prefix, fixtureCityEvents());
    const api = await new ApiClient(stack.url).login('13800000000');
    for (let i = 0; i < 150; i++) {
      await stack.streamer.refreshGeography();
      const geo = await api.get<{ districts: { id: string }[] }>('/api/v1/geo');
      if (geo.body.districts?.some((d) => d.id === 'd2')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await new ApiClient(stack.url).login('13900000001'); // the staff member's first password change

    browser = await launch();
    // Two people, two browsers: separate contexts share no storage.
    admin = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    staff = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    for (const p of [admin, staff]) p.on('pageerror', (e) => pageErrors.push(`${e.message}`.slice(0, 800)));
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('moves the staff member to 西城区 while their console is open: it follows without a reload', async () => {
    await staff.goto(`${stack.url}/?date=${FIXTURE_DAY}#/console`);
    await login(staff, '13900000001');
    await staff.getByTestId('console').waitFor({ timeout: 15_000 });
    await expect.poll(() => staff.getByTestId('breadcrumb').innerText(), { timeout: 15_000 }).toContain('东城区');
    // Marks this document: a reload would lose it.
    await staff.evaluate(() => Object.assign(window, { e2eNoReload: 'still here' }));

    await admin.goto(`${stack.url}/?date=${FIXTURE_DAY}#/console/users`);
    await login(admin, '13800000000');
    await admin.getByTestId('console-page-users').waitFor({ timeout: 15_000 });
    const row = admin.locator('[data-testid="console-user"][data-phone="13900000001"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getByTestId('console-user-districts').innerText()).toBe('东城区');
    await row.getByTestId('console-user-edit').click();
    const dialog = admin.getByTestId('console-dialog');
    await dialog.locator('input[data-district="d1"]').uncheck();
    await dialog.locator('input[data-district="d2"]').check();
    await dialog.getByTestId('console-user-save').click();
    await expect.poll(() => row.getByTestId('console-user-districts').innerText(), { timeout: 10_000 }).toBe('西城区');
    expect(await admin.getByTestId('console-users-message').innerText()).toContain('即刻生效');
    await admin.screenshot({ path: join(ARTIFACTS, 'console-users.png') });

    // The staff page, untouched, is back at the login form, saying why.
    await staff.getByTestId('login-ended').waitFor({ timeout: 10_000 });
    expect(await staff.getByTestId('login-ended').innerText()).toContain('权限');
    await staff.screenshot({ path: join(ARTIFACTS, 'console-session-ended.png') });
    await login(staff, '13900000001');
    await staff.getByTestId('console').waitFor({ timeout: 15_000 });
    await expect.poll(() => staff.getByTestId('breadcrumb').innerText(), { timeout: 15_000 }).toContain('西城区');
    await staff.screenshot({ path: join(ARTIFACTS, 'console-after-relogin.png') });
    expect(await staff.getByTestId('breadcrumb').innerText()).not.toContain('东城区');
    expect(await staff.evaluate(() => (window as unknown as { e2eNoReload?: string }).e2eNoReload)).toBe('still here');
  });

  it('shows the change in 操作日志 by names, filtered to user changes', async () => {
    await admin.getByTestId('console-nav-audit').click();
    await admin.getByTestId('console-page-audit').waitFor();
    await admin.getByTestId('console-audit-action').selectOption('user_update');
    const rows = admin.locator('[data-testid="console-audit-row"][data-action="user_update"]');
    await rows.first().waitFor({ timeout: 10_000 });
    const text = await rows.first().innerText();
    expect(text).toContain('系统管理员');
    expect(text).toContain('修改用户');
    expect(text).toContain(stack.streamer.users.get('seed-staff-d1')?.name ?? 'no such user');
    expect(text).not.toContain('seed-');
    expect(await admin.locator('[data-testid="console-audit-row"]:not([data-action="user_update"])').count()).toBe(0);
  });

  it("the wall's 图表 at the top right opens the console", async () => {
    await admin.goto(`${stack.url}/?date=${FIXTURE_DAY}`);
    const entry = admin.getByTestId('wall-console');
    await entry.waitFor({ timeout: 15_000 });
    expect(await entry.innerText()).toBe('图表');
    await entry.click();
    await admin.getByTestId('console').waitFor({ timeout: 15_000 });
    expect(pageErrors).toEqual([]);
  });
});
