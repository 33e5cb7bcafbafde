import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_DAY, fixtureCityEvents, fixtureDimensionEvents } from '@edu/analytics/testing';
import { produceEvents } from '@edu/ingest/testing/kafka';
import { ApiClient, TEST_PASSWORD } from '@edu/streamer/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch } from './browser.ts';
import { DIST, startStack, type E2EStack } from './stack.ts';

// What a reader sees, on the wall and on every console page at every level of the drill-down:
// Chinese, names — never a raw id of the schools' systems or an English word (outside a short
// list of names everyone reads as they are). The fixture city's ids are short (s1, st1, se1, o1…),
// so one left on a page is found by its shape.

const ALLOWED_WORDS = new Set(['CSV', 'Excel', 'TOP']);
const RAW_ID =
  /(?<![A-Za-z0-9_-])(?:d|z|s|st|se|o|m|b|t|p|op|c|fb|rep|n)\d+(?![A-Za-z0-9_-])|\bc-o\d+\b|[a-z]+_[a-z_]+/g;
const WORD = /[A-Za-z]{2,}/g;

/** Offending bits of a page's visible text, each with a little context. */
export function offendersIn(text: string): string[] {
  const out: string[] = [];
  const around = (i: number, len: number) => text.slice(Math.max(0, i - 12), i + len + 12).replace(/\s+/g, ' ');
  for (const m of text.matchAll(RAW_ID)) out.push(`id ${m[0]}: …${around(m.index, m[0].length)}…`);
  for (const m of text.matchAll(WORD))
    if (!ALLOWED_WORDS.has(m[0]) && !/^\d/.test(m[0])) out.push(`word ${m[0]}: …${around(m.index, m[0].length)}…`);
  return out;
}

describe('visible text', () => {
  let stack: E2EStack;
  let browser: Browser;
  let page: Page;
  const seen = new Map<string, string[]>();

  const settle = async () => {
    await page.waitForTimeout(300);
    await page
      .locator('.loading')
      .first()
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => undefined);
    await page.waitForTimeout(500);
  };
  const look = async (where: string) => {
    const text = await page.locator('body').innerText();
    const bad = offendersIn(text);
    if (bad.length) seen.set(where, bad);
  };

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) throw new Error('screen/dist is missing: npm run build -w @edu/screen');
    stack = await startStack();
    await produceEvents(stack.kafka, stack.prefix, [...fixtureCityEvents(), ...fixtureDimensionEvents()]);
    const leader = await new ApiClient(stack.url).login('13800000001');
    for (let i = 0; i < 150; i++) {
      const r = await leader.get<{ metrics: { sessions_scheduled: number } }>(
        `/api/v1/overview?scope=city&date=${FIXTURE_DAY}`,
      );
      if (r.body.metrics.sessions_scheduled === 4) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    await new Promise((res) => setTimeout(res, 1500)); // the dimension events, after the city's
    await stack.streamer.refreshGeography();
    await stack.streamer.evaluator.evaluate();
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${stack.url}/?date=${FIXTURE_DAY}&rotate=0&sound=0`);
    await page.getByTestId('login-phone').fill('13800000001');
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('finds the patterns it looks for', () => {
    const found = offendersIn('学校 s1 的 st12 在 implementation_plan 中 Overview').join('\n');
    for (const bit of ['id s1', 'id st12', 'id implementation_plan', 'word Overview']) expect(found).toContain(bit);
    expect(offendersIn('导出 Excel · 下载材料清单（CSV）· 第1小学 · 2026年秋季学期 15:30')).toEqual([]);
  });

  it('is Chinese and names on the wall and every console page, at every level', async () => {
    await page
      .getByTestId('kpi-attendance_rate')
      .locator('.kpi-value[data-value]:not([data-value=""])')
      .waitFor({ timeout: 20_000 });
    await settle();
    await look('wall');

    await page.goto(`${stack.url}/?date=${FIXTURE_DAY}#/console`);
    await page.getByTestId('console').waitFor({ timeout: 15_000 });
    await page.getByTestId('console-nav-charts').waitFor();
    const nav = await page
      .locator('[data-testid^="console-nav-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')?.slice('console-nav-'.length) ?? ''));
    expect(nav.length).toBeGreaterThan(6);
    for (const name of nav) {
      await page.getByTestId(`console-nav-${name}`).click();
      await settle();
      await look(`${name} (city)`);
      // Down the drill-down: the first row at each level, to a school.
      for (let level = 0; level < 3; level++) {
        const row = page.getByTestId('console-row').first();
        if (!(await row.count())) break;
        await row.click();
        await settle();
        await look(`${name} (level ${level + 1})`);
      }
    }
    expect(Object.fromEntries(seen)).toEqual({});
  });
});
