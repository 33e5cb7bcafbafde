import { join } from 'node:path';
import type { Overview } from '@edu/analytics';
import { FIXTURE_DAY } from '@edu/analytics/testing';
import { ApiClient, TEST_PASSWORD } from '@edu/streamer/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launch } from './browser.ts';
import { LATER_SESSION, startFixtureStack, type E2EStack } from './stack.ts';

// The wall mid-afternoon (contract v1.1, issue 10): the stack's clock stands at 16:05 of the
// fixture day, when the city's 15:30 classes are under way and one more, at 17:00, has not
// begun. The headline attendance is the figure due so far (4 of the 6 students due, 66.7%), not
// the day's progress (4 of 8, 50.0%); completion is "not yet time" (no class is due to have
// ended); the map is coloured by each district's due attendance. Everything is checked against
// the read API's `due` at the same moment (`&at=16:05`).

const AT = '16:05';

type Rgb = { r: number; g: number; b: number };

/** The visualMap's colour of a rate (0.6 red → 0.8 yellow → 1 green, linear between), as CityMap sets it. */
function mapColour(rate: number): Rgb {
  const red = { r: 0xff, g: 0x4d, b: 0x4f };
  const yellow = { r: 0xff, g: 0xd1, b: 0x66 };
  const green = { r: 0x27, g: 0xd1, b: 0x7f };
  const v = Math.min(1, Math.max(0.6, rate));
  const [from, to, t] = v <= 0.8 ? [red, yellow, (v - 0.6) / 0.2] : [yellow, green, (v - 0.8) / 0.2];
  const mix = (a: number, b: number) => Math.round(a + t * (b - a));
  return { r: mix(from.r, to.r), g: mix(from.g, to.g), b: mix(from.b, to.b) };
}

describe('the wall at 16:05 of the fixture day', () => {
  let stack: E2EStack;
  let browser: Browser;
  let page: Page;
  let api: ApiClient;
  const pageErrors: string[] = [];

  const overview = async (scope = 'city') =>
    (await api.get<Overview>(`/api/v1/overview?scope=${scope}&date=${FIXTURE_DAY}&at=${AT}`)).body;
  const card = (key: string) => page.getByTestId(`kpi-${key}`);
  const kpi = (key: string) => card(key).locator('.kpi-value').getAttribute('data-value');

  beforeAll(async () => {
    ({ stack, api } = await startFixtureStack(AT, [LATER_SESSION], 5));
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    page.on('pageerror', (e) => pageErrors.push(`${e.message} ${e.stack ?? ''}`.slice(0, 800)));
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows the attendance due so far as the headline, labelled with the moment, the day beside it', async () => {
    const o = await overview();
    // The fixture as worked out by hand: the API's due figures are what the wall must show.
    expect(o.due).toMatchObject({ sessions_due: 4, students_due: 6, students_present: 4, sessions_due_end: 0 });
    expect(o.due.completion_rate).toBeNull();
    expect(o.metrics).toMatchObject({ sessions_scheduled: 5, students_expected: 8, students_present: 4 });
    expect(o.due.attendance_rate).not.toBe(o.metrics.attendance_rate);

    await page.goto(`${stack.url}/?date=${FIXTURE_DAY}&rotate=0&sound=0`);
    await page.getByTestId('login-phone').fill('13800000001');
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await card('attendance_rate').locator('.kpi-value[data-value]:not([data-value=""])').waitFor({ timeout: 15_000 });

    expect(Number(await kpi('attendance_rate'))).toBe(o.due.attendance_rate);
    expect(Number(await kpi('teacher_attendance_rate'))).toBe(o.due.teacher_attendance_rate);
    // The clock runs on from 16:05; nothing falls due before 16:40, so the figures hold.
    expect(await card('attendance_rate').getByTestId('kpi-moment').innerText()).toMatch(/^截至 16:(0[5-9]|[1-3]\d)$/);
    const day = card('attendance_rate').getByTestId('kpi-day');
    expect(Number(await day.getAttribute('data-value'))).toBe(o.metrics.attendance_rate);
    expect(await day.innerText()).toBe('全天进度 50.0%');
    // No class is due to have ended: not yet time, in grey, never 0.0%.
    expect(await kpi('completion_rate')).toBe('');
    expect(await card('completion_rate').locator('.kpi-value').innerText()).toBe('未到下课时间');
    expect(await card('completion_rate').locator('.kpi-value.no-data').count()).toBe(1);
    expect(await page.getByTestId('kpi-day').nth(2).innerText()).toBe('全天进度 40.0%');
    expect(await page.locator('.scopebar .day').innerText()).toBe(`${FIXTURE_DAY} · 2026年秋季学期`);
    await page.screenshot({ path: join(ARTIFACTS, 'wall-due-1605.png') });
  });

  it('colours the map by each district’s attendance due so far', async () => {
    const expected = await Promise.all(
      ['d1', 'd2', 'd3'].map(async (d) => [`district:${d}`, (await overview(`district:${d}`)).due.attendance_rate]),
    );
    // d1: 3 of its 4 students due are present (75%); the day's progress is 3 of 6 (50%).
    expect(expected).toEqual([
      ['district:d1', 0.75],
      ['district:d2', 0.5],
      ['district:d3', null],
    ]);
    await expect
      .poll(() =>
        page
          .getByTestId('map-patch')
          .evaluateAll((els) => els.map((e) => [e.getAttribute('data-scope'), e.getAttribute('data-value')])),
      )
      .toEqual(expected.map(([s, v]) => [s, v === null ? '' : String(v)]));
    expect(await page.getByTestId('map-caption').innerText()).toMatch(/^着色：学生出勤率（截至 16:\d\d）$/);

    // The canvas itself: d1's patch is painted in the colour of 75% (orange), which the day's
    // 50% (red, below the scale) would never give.
    const near = await page
      .getByTestId('city-map')
      .locator('canvas')
      .first()
      .evaluate((c: HTMLCanvasElement, { r, g, b }: Rgb) => {
        const ctx = c.getContext('2d');
        if (!ctx) return -1;
        // The top four fifths: the map, not the colour scale's legend at the bottom.
        const px = ctx.getImageData(0, 0, c.width, Math.floor(c.height * 0.8)).data;
        let n = 0;
        for (let i = 0; i < px.length; i += 4)
          if (Math.abs(px[i]! - r) < 12 && Math.abs(px[i + 1]! - g) < 12 && Math.abs(px[i + 2]! - b) < 12) n++;
        return n;
      }, mapColour(0.75));
    expect(near).toBeGreaterThan(1000);
    expect(pageErrors).toEqual([]);
  });
});
