import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SupervisionEvent } from '@edu/analytics';
import { FIXTURE_DAY, fixtureCityEvents, fixtureDimensionEvents } from '@edu/analytics/testing';
import { produceEvents, readTopic } from '@edu/ingest/testing/kafka';
import { ApiClient, TEST_PASSWORD } from '@edu/streamer/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launch } from './browser.ts';
import { DIST, startStack, type E2EStack } from './stack.ts';

// (contract v1.1) A 否定 from the desk console changes the figures: in headless Chromium a
// leader voids s1's offering o2 on 开课审批; the page's count of s1's offerings goes 2 → 1 and
// 已否定 0 → 1 without a reload, the offering stays listed marked 已否定, the decision is on
// edu.supervision.v1, and the day's overview of s1 no longer counts o2's session se2.

const Q = `date=${FIXTURE_DAY}`;

describe('a decision changes the console’s counts', () => {
  let stack: E2EStack;
  let browser: Browser;
  let page: Page;
  let leader: ApiClient;

  const row = (scope: string) => page.locator(`[data-testid="console-row"][data-scope="${scope}"]`);
  const cell = (scope: string, key: string) => row(scope).locator(`[data-key="${key}"]`).getAttribute('data-value');
  const scheduled = async () =>
    (await leader.get<{ metrics: { sessions_scheduled: number } }>(`/api/v1/overview?scope=school:s1&${Q}`)).body
      .metrics.sessions_scheduled;

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) throw new Error('screen/dist is missing: npm run build -w @edu/screen');
    stack = await startStack();
    await produceEvents(stack.kafka, stack.prefix, [...fixtureCityEvents(), ...fixtureDimensionEvents()]);
    leader = await new ApiClient(stack.url).login('13800000001');
    const ready = async () =>
      (
        await leader.get<{ rows: { offerings: number }[] }>(`/api/v1/dimensions/course?scope=city&${Q}`)
      ).body.rows.reduce((a, r) => a + r.offerings, 0) === 4 && (await scheduled()) === 2;
    for (let i = 0; i < 150 && !(await ready().catch(() => false)); i++) await new Promise((r) => setTimeout(r, 200));
    expect(await ready()).toBe(true);
    await stack.streamer.refreshGeography();

    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${stack.url}/?${Q}#/console`);
    await page.getByTestId('login-phone').fill('13800000001');
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('console').waitFor({ timeout: 15_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('否定 an offering: the count of offerings drops, 已否定 rises, the day no longer counts its session', async () => {
    await page.getByTestId('console-nav-course').click();
    await page.getByTestId('console-page-course').waitFor();
    for (const child of ['district:d1', 'zone:z1', 'school:s1']) {
      await row(child).waitFor({ timeout: 15_000 });
      await row(child).click();
    }
    await row('school:s1').waitFor({ timeout: 15_000 });
    expect([await cell('school:s1', 'offerings'), await cell('school:s1', 'state_voided')]).toEqual(['2', '0']);
    expect(await cell('school:s1', 'state_pending')).toBe('2');

    const o2 = page.locator('[data-testid="console-item"][data-subject="o2"]');
    await o2.getByTestId('console-action-void').click();
    const dialog = page.getByTestId('console-dialog');
    await dialog.getByTestId('console-reason').fill('虚报开课，予以否定');
    await dialog.getByTestId('console-submit').click();
    await dialog.getByTestId('console-done').waitFor({ timeout: 10_000 });
    await dialog.getByTestId('console-close').click();

    await expect.poll(() => cell('school:s1', 'offerings')).toBe('1');
    expect([await cell('school:s1', 'state_voided'), await cell('school:s1', 'state_pending')]).toEqual(['1', '1']);
    // o2 counts only as 已否定, yet stays listed, marked so.
    await expect.poll(() => o2.getByTestId('console-decision-state').getAttribute('data-state')).toBe('voided');
    expect(await o2.getByTestId('console-decision-state').innerText()).toContain('已否定');
    await page.screenshot({ path: join(ARTIFACTS, 'console-course-voided.png') });

    const [message] = await readTopic(stack.kafka, stack.supervisionTopic, 1, 15_000);
    expect(JSON.parse(String(message?.value ?? '{}')) as SupervisionEvent).toMatchObject({
      decision: 'voided',
      dimension: 'course',
      subject_id: 'o2',
    });
    // The day's figures: s1 had se1 (o1) and se2 (o2) scheduled; se2 no longer counts.
    expect(await scheduled()).toBe(1);
  });
});
