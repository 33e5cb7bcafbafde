import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Admission, SupervisionEvent } from '@edu/analytics';
import { FIXTURE_DAY, fixtureCityEvents, fixtureDimensionEvents } from '@edu/analytics/testing';
import { produceEvents, readTopic } from '@edu/ingest/testing/kafka';
import { ApiClient, TEST_PASSWORD } from '@edu/streamer/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launch } from './browser.ts';
import { DIST, startStack, type E2EStack } from './stack.ts';

// The thin parts of issue 11 in headless Chromium against the real stack: a leader 驳回s a
// provider's admission on 开课审批 (published on the supervision topic, the row then 已驳回);
// 评价反馈 at the city lists its targets by name; 过程监管 draws its charts beside the table;
// 图表·入库 counts registrations per district. Nothing on those sections shows a raw id.

const Q = `date=${FIXTURE_DAY}`;

describe('准入审核, 评议对象, 过程监管 charts and 入库统计 in the console', () => {
  let stack: E2EStack;
  let browser: Browser;
  let page: Page;
  let leader: ApiClient;
  const pageErrors: string[] = [];
  const poll = <T>(f: () => Promise<T> | T) => expect.poll(f, { timeout: 10_000 });
  const open = async (name: string) => {
    await page.getByTestId(`console-nav-${name}`).click();
    await page.getByTestId(`console-page-${name}`).waitFor();
  };

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) throw new Error('screen/dist is missing: npm run build -w @edu/screen');
    stack = await startStack();
    await produceEvents(stack.kafka, stack.prefix, [...fixtureCityEvents(), ...fixtureDimensionEvents()]);
    leader = await new ApiClient(stack.url).login('13800000001');
    const ready = async () => {
      const [admission, feedback] = await Promise.all([
        leader.get<Admission>('/api/v1/dimensions/course/admission?scope=city'),
        leader.get<{ targets: unknown[] }>(`/api/v1/dimensions/feedback?scope=city&${Q}`),
      ]);
      return admission.body.rows?.length === 4 && feedback.body.targets?.length === 6;
    };
    for (let i = 0; i < 150 && !(await ready().catch(() => false)); i++) await new Promise((r) => setTimeout(r, 200));
    expect(await ready()).toBe(true);
    await stack.streamer.refreshGeography();

    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    page.on('pageerror', (e) => pageErrors.push(`${e.message} ${e.stack ?? ''}`.slice(0, 800)));
    await page.goto(`${stack.url}/?${Q}#/console/course?scope=city`);
    await page.getByTestId('login-phone').fill('13800000001');
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('console-admission').waitFor({ timeout: 15_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('驳回 a provider’s admission: published on the provider, the row then 已驳回', async () => {
    const p3 = page.locator('[data-testid="console-admission-row"][data-subject="provider:p3"]');
    await poll(() => p3.locator('td').first().innerText()).toBe('未来科技');
    await p3.getByTestId('console-action-reject').click();
    const dialog = page.getByTestId('console-dialog');
    await dialog.getByTestId('console-reason').fill('无办学资质');
    await dialog.getByTestId('console-submit').click();
    await dialog.getByTestId('console-done').waitFor({ timeout: 10_000 });
    await dialog.getByTestId('console-close').click();
    const [message] = await readTopic(stack.kafka, stack.supervisionTopic, 1, 15_000);
    expect(JSON.parse(String(message?.value ?? '{}')) as SupervisionEvent).toMatchObject({
      type: 'decision',
      target_type: 'provider',
      target_id: 'p3',
      dimension: 'course',
      subject_id: 'provider:p3',
      decision: 'rejected',
      content: '无办学资质',
    });
    await poll(() => p3.getByTestId('console-decision-state').getAttribute('data-decision')).toBe('rejected');
    await poll(() => page.getByTestId('console-admission-states').innerText()).toBe('待审核 3 · 已通过 0 · 已驳回 1');
    const text = await page.getByTestId('console-admission').innerText();
    expect(text).not.toMatch(/\bp\d\b|\bt\d\b|provider:/);
    await page.screenshot({ path: join(ARTIFACTS, 'console-admission.png') });
  });

  it('评价反馈 at the city lists every target by name, lowest average first', async () => {
    await open('feedback');
    await poll(() => page.locator('[data-testid="console-feedback-target"] td.name').allInnerTexts()).toEqual([
      '智慧运营',
      '篮球训练',
      '星火体育',
      '阅读写作',
      '李明华',
      '陈静',
    ]);
    await poll(() => page.getByTestId('console-low-run').innerText()).toContain('篮球训练');
  });

  it('过程监管 draws its charts beside the table, and 图表·入库 counts per district', async () => {
    await open('process');
    await page.getByTestId('console-process-charts').waitFor();
    await poll(() => page.locator('[data-chart="sessions_by_day"]').getAttribute('data-value')).toBe('4');
    await poll(() => page.locator('[data-chart="sessions_by_day"] canvas').count()).toBeGreaterThan(0);
    await open('charts');
    await page.getByTestId('console-chart-registry').click();
    await poll(() => page.getByTestId('console-registration-row').allInnerTexts()).toEqual([
      expect.stringMatching(/^东城区\s+2\s+3\s+3$/),
      expect.stringMatching(/^西城区\s+2\s+2\s+3$/),
      expect.stringMatching(/^新区\s+0\s+0\s+0$/),
    ]);
    expect(pageErrors).toEqual([]);
  });
});
