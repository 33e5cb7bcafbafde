import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { FIXTURE_DAY, fixtureCityEvents } from '@edu/analytics/testing';
import { goodCheckin } from '@edu/ingest/testing/hostile';
import { postToIntake } from '@edu/ingest/testing/intake';
import { produceEvents } from '@edu/ingest/testing/kafka';
import { ApiClient, TEST_PASSWORD } from '@edu/streamer/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launch } from './browser.ts';
import { DIST, startStack, type E2EStack } from './stack.ts';

// 数据源密钥 in headless Chromium against the real stack: the administrator issues a key for
// 第1小学 in the console, reads it once from the dialog, a school system posts with it to
// ingest's intake (its school's event stored, another school's refused), and the
// administrator revokes it after the confirmation; the intake then refuses the key.

describe('数据源密钥 in the console', () => {
  let stack: E2EStack;
  let browser: Browser;
  let page: Page;
  let intake: Server;
  let intakeUrl: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) throw new Error('screen/dist is missing: npm run build -w @edu/screen');
    stack = await startStack();
    await produceEvents(stack.kafka, stack.prefix, fixtureCityEvents());
    const admin = await new ApiClient(stack.url).login('13800000000');
    // The console names the schools once the registry is stored.
    for (let i = 0; i < 150; i++) {
      await stack.streamer.refreshGeography();
      const geo = await admin.get<{ schools: { id: string }[] }>('/api/v1/geo');
      if (geo.body.schools?.some((s) => s.id === 's1')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    intake = stack.ingest.app.listen(0, '127.0.0.1');
    await new Promise((r) => intake.once('listening', r));
    intakeUrl = `http://127.0.0.1:${(intake.address() as AddressInfo).port}/v1/events`;

    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    page.on('pageerror', (e) => pageErrors.push(`${e.message} ${e.stack ?? ''}`.slice(0, 800)));
    await page.goto(`${stack.url}/?date=${FIXTURE_DAY}#/console`);
    await page.getByTestId('login-phone').fill('13800000000');
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('console').waitFor({ timeout: 15_000 });
  });
  afterAll(async () => {
    intake?.close();
    await browser?.close();
    await stack?.close();
  });

  it('issues a key shown once, which posts for its school only, and revokes it after a confirmation', async () => {
    await page.getByTestId('console-nav-keys').click();
    await page.getByTestId('console-page-keys').waitFor();
    expect(page.url()).toMatch(/#\/console\/keys$/);
    await page.getByTestId('console-source-key-name').fill('第1小学闸机系统');
    await page.getByTestId('console-source-key-schools').selectOption({ label: '第1小学' });
    await page.getByTestId('console-source-key-issue').click();
    const secret = page.getByTestId('console-source-key-secret');
    await secret.waitFor({ timeout: 10_000 });
    const key = (await secret.innerText()).trim();
    expect(key).toMatch(/^edu_sk_[\w-]{43}$/);
    expect(await page.getByTestId('console-source-key-warning').innerText()).toContain('只显示这一次');
    await page.screenshot({ path: join(ARTIFACTS, 'console-source-key-issued.png') });
    await page.getByTestId('console-source-key-close').click();
    expect(await page.locator('body').innerText()).not.toContain(key);

    const row = page.getByTestId('console-source-key').filter({ hasText: '第1小学闸机系统' });
    await row.waitFor();
    expect(await row.innerText()).toContain('第1小学');
    expect(await row.innerText()).toContain('有效');

    const r = await postToIntake(
      intakeUrl,
      key,
      JSON.stringify([goodCheckin('e2e-sk-1'), { ...goodCheckin('e2e-sk-2'), school_id: 's3' }]),
    );
    expect(r.status).toBe(200);
    const answer = (await r.json()) as { results: { code?: string }[] };
    expect(answer.results.map((x) => x.code ?? 'ok')).toEqual(['ok', 'forbidden_school']);

    await row.getByTestId('console-source-key-revoke').click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.innerText()).toContain('第1小学闸机系统');
    await page.screenshot({ path: join(ARTIFACTS, 'console-source-key-revoke.png') });
    await dialog.getByTestId('console-source-key-confirm').click();
    await expect.poll(() => row.innerText(), { timeout: 10_000 }).toContain('已撤销');
    await page.screenshot({ path: join(ARTIFACTS, 'console-source-keys.png') });
    await expect
      .poll(async () => (await postToIntake(intakeUrl, key, JSON.stringify([goodCheckin('e2e-sk-3')]))).status, {
        timeout: 5000,
      })
      .toBe(401);
    expect(pageErrors).toEqual([]);
  });
});
