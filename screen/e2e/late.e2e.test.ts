import { join } from 'node:path';
import type { Alert, Overview } from '@edu/analytics';
import { lateDataMinutes } from '@edu/analytics/late';
import { FIXTURE_DAY } from '@edu/analytics/testing';
import { ApiClient, TEST_PASSWORD } from '@edu/streamer/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launch } from './browser.ts';
import { LATER_SESSION, startFixtureStack, type E2EStack } from './stack.ts';

// Late data on the wall: at 17:30 of the fixture day a 17:00 class is under way, but the newest
// event the city sent is from 16:35. The pushes arrive; what they carry is old. The wall says
// so in amber (接入数据延迟 N 分钟), so that low rates are read as a slow pipe, not a crisis
// (the absence alerts wait for the data: alertsJudgedAt); and stops saying so once the class is over.

const AT = '17:30';

describe('the wall when the data is late', () => {
  let stack: E2EStack;
  let browser: Browser;
  let page: Page;
  let api: ApiClient;

  const overview = async () => (await api.get<Overview>(`/api/v1/overview?scope=city&date=${FIXTURE_DAY}`)).body;
  /** The open alerts about the 17:00 class (LATER_SESSION, se9), by rule. */
  const laterAlerts = async () => {
    await stack.streamer.evaluator.evaluate();
    const { alerts } = (await api.get<{ alerts: Alert[] }>('/api/v1/alerts')).body;
    return alerts
      .filter((a) => a.subject_id === 'se9' && a.state !== 'resolved')
      .map((a) => a.rule)
      .sort();
  };

  beforeAll(async () => {
    ({ stack, api } = await startFixtureStack(AT, [LATER_SESSION], 5));
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('says how late, in Chinese, while a class runs', async () => {
    const o = await overview();
    const minutes = lateDataMinutes(o, Date.parse(o.computed_at));
    expect(minutes).toBeGreaterThanOrEqual(50);

    await page.goto(`${stack.url}/?rotate=0&sound=0`);
    await page.getByTestId('login-phone').fill('13800000001');
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    const banner = page.getByTestId('late-banner');
    await banner.waitFor({ timeout: 15_000 });
    const text = await banner.innerText();
    expect(text).toMatch(/^接入数据延迟 \d+ 分钟：比率可能偏低，未签到、未签退等预警待数据到齐后判断$/);
    expect(Number(/(\d+) 分钟/.exec(text)![1])).toBeGreaterThanOrEqual(minutes!);
    await page.screenshot({ path: join(ARTIFACTS, 'wall-late-data.png') });
    // Its teacher is half an hour late by the clock; the data stops at 16:35: not an alert yet.
    expect(await laterAlerts()).toEqual([]);
  });

  it('is gone once the class has ended: old events after the last class are not late', async () => {
    // 18:00 + the grace: every class of the day is due to have ended.
    stack.clock.now = () => Date.parse(`${FIXTURE_DAY}T18:15:00+08:00`);
    await expect.poll(() => page.getByTestId('late-banner').count(), { timeout: 40_000 }).toBe(0);
    // Nothing is late now: judged on the clock, the 17:00 class had no teacher and never started.
    expect(await laterAlerts()).toEqual(['class_not_started', 'teacher_not_checked_in']);
  });
});
