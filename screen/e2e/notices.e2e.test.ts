import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { InboundEvent, Notice, SupervisionEvent } from '@edu/analytics';
import { FIXTURE_DAY, fixtureCityEvents } from '@edu/analytics/testing';
import { produceEvents, readTopic } from '@edu/ingest/testing/kafka';
import { ApiClient, TEST_PASSWORD } from '@edu/streamer/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launch } from './browser.ts';
import { DIST, startStack, type E2EStack } from './stack.ts';

// The 督办 loop in headless Chromium against the real stack: a notice issued from the wall, the
// school's receipt and rectification sent to Kafka (through ingest into ClickHouse), 销号 from
// the console's 督办 page, and the wall's 督办事项 panel following each step live.

describe('the 督办 loop, wall and console', () => {
  let stack: E2EStack;
  let browser: Browser;
  let wall: Page;
  let console_: Page;
  let api: ApiClient;
  let notice: SupervisionEvent;
  const pageErrors: string[] = [];

  const wallItem = () => wall.locator(`[data-testid="notice-item"][data-notice="${notice.notice_id}"]`);
  const count = (state: string) =>
    wall.getByTestId('notice-counts').locator(`[data-state="${state}"] b`).innerText({ timeout: 5_000 });
  const school = (fields: Record<string, unknown>, secondsAfter: number): InboundEvent =>
    ({
      ts: new Date(Date.parse(notice.ts) + secondsAfter * 1000).toISOString(),
      school_id: notice.target_id,
      notice_id: notice.notice_id,
      ...fields,
    }) as InboundEvent;

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) throw new Error('screen/dist is missing: npm run build -w @edu/screen');
    stack = await startStack();
    await produceEvents(stack.kafka, stack.prefix, fixtureCityEvents());
    api = new ApiClient(stack.url);
    await api.login('13800000001');
    for (let i = 0; i < 100; i++) {
      const o = await api.get<{ metrics: { sessions_scheduled: number } }>(
        `/api/v1/overview?scope=city&date=${FIXTURE_DAY}`,
      );
      if (o.body.metrics.sessions_scheduled === 4) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await stack.streamer.refreshGeography();
    await stack.streamer.evaluator.evaluate();
    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    wall = await context.newPage();
    wall.on('pageerror', (e) => pageErrors.push(e.message));
    await wall.goto(`${stack.url}/?date=${FIXTURE_DAY}&rotate=0&sound=0`);
    await wall.getByTestId('login-phone').fill('13800000001');
    await wall.getByTestId('login-password').fill(TEST_PASSWORD);
    await wall.getByTestId('login-submit').click();
    await wall.getByTestId('notice-counts').waitFor({ timeout: 15_000 });
    console_ = await context.newPage();
    console_.on('pageerror', (e) => pageErrors.push(e.message));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('issues a notice from the wall: 待签收 on the panel', async () => {
    const item = wall.locator('[data-testid="alert-item"]:visible').first();
    await item.waitFor({ timeout: 15_000 });
    const alertId = await item.getAttribute('data-alert');
    await wall.locator(`[data-alert="${alertId}"]`).click();
    await wall.getByTestId('notice-dialog').waitFor();
    await wall.getByTestId('notice-submit').click();
    await wall.getByTestId('notice-done').waitFor({ timeout: 10_000 });
    const [message] = await readTopic(stack.kafka, stack.supervisionTopic, 1, 15_000);
    notice = JSON.parse(String(message?.value)) as SupervisionEvent;
    expect(notice).toMatchObject({ type: 'notice_issued', target_type: 'school', subject_id: alertId });
    await wall.keyboard.press('Escape');
    await wall.locator('.modal-backdrop').click({ position: { x: 5, y: 5 } });
    await expect.poll(() => wallItem().getAttribute('data-state'), { timeout: 10_000 }).toBe('issued');
    expect(await count('issued')).toBe('1');
  });

  it('follows the school live: signed for (已签收), then answered (待审核)', async () => {
    await produceEvents(stack.kafka, stack.prefix, [
      school({ id: 'e2e-recv', type: 'notice_received', receiver_id: 'head-office' }, 60),
    ]);
    await expect.poll(() => wallItem().getAttribute('data-state'), { timeout: 15_000 }).toBe('received');
    await produceEvents(stack.kafka, stack.prefix, [
      school(
        {
          id: 'e2e-sub',
          type: 'rectification_submitted',
          submission_id: 'e2e-sub-1',
          content: '已逐一电话核实，学生均已安全到家',
          attachments: [{ name: '核实记录.pdf', url: 'https://files.example/e2e.pdf' }],
        },
        120,
      ),
    ]);
    await expect.poll(() => wallItem().getAttribute('data-state'), { timeout: 15_000 }).toBe('submitted');
    await expect.poll(() => count('submitted'), { timeout: 10_000 }).toBe('1');
    await wall.screenshot({ path: join(ARTIFACTS, 'wall-notices-submitted.png') });
  });

  it('closes it (销号) from the console; the decision goes out and the wall counts it', async () => {
    // A tab of its own signs in (the session lives in the tab's sessionStorage).
    await console_.goto(`${stack.url}/?date=${FIXTURE_DAY}#/console/notices?scope=city`);
    await console_.getByTestId('login-phone').fill('13800000001');
    await console_.getByTestId('login-password').fill(TEST_PASSWORD);
    await console_.getByTestId('login-submit').click();
    const row = console_.locator(`[data-testid="notices-item"][data-notice="${notice.notice_id}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getAttribute('data-state')).toBe('submitted');
    await row.click();
    const steps = console_.getByTestId('notice-step');
    await expect.poll(() => steps.count(), { timeout: 10_000 }).toBe(3);
    expect(await steps.nth(2).innerText()).toContain('核实记录.pdf');
    await console_.getByTestId('notice-close').click();
    await expect
      .poll(() => console_.getByTestId('notice-state').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('closed');
    await console_.screenshot({ path: join(ARTIFACTS, 'console-notices.png') });

    const [, closed] = await readTopic(stack.kafka, stack.supervisionTopic, 2, 15_000);
    expect(JSON.parse(String(closed?.value))).toMatchObject({
      type: 'decision',
      decision: 'closed',
      subject_id: notice.notice_id,
      target_id: notice.target_id,
      dimension: notice.dimension,
    });
    // The wall: off the list, counted among the day's 销号.
    await expect.poll(() => wallItem().count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => count('closed'), { timeout: 10_000 }).toBe('1');
    const listed = await api.get<{ notices: Notice[] }>('/api/v1/notices?scope=city&state=closed');
    expect(listed.body.notices.map((n) => n.notice_id)).toEqual([notice.notice_id]);
    expect(pageErrors).toEqual([]);
  });
});
