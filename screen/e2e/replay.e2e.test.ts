import { join } from 'node:path';
import type { Overview, SafetyChildRow } from '@edu/analytics';
import { FIXTURE_DAY } from '@edu/analytics/testing';
import { ApiClient, TEST_PASSWORD } from '@edu/streamer/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launch } from './browser.ts';
import { startFixtureStack, type E2EStack } from './stack.ts';

// Replay (回放, issue 12): the stack's clock stands at 18:00 of the fixture day; the wall opened
// with ?replay=1&date=…&at=16:05 shows the figures the overview gives with that `at`, under a
// banner that says it is not live, keeps them on a reload, follows the time slider and the
// player, and 返回实时 brings back the live figures without the banner. The console opened from
// the replaying wall shows the same moment under the same banner (its day views read `at`), and
// 返回大屏 goes back to the wall still at that moment.

describe('the wall replaying the fixture day', () => {
  let stack: E2EStack;
  let browser: Browser;
  let page: Page;
  let api: ApiClient;
  const pageErrors: string[] = [];

  const overview = async (at?: string) =>
    (await api.get<Overview>(`/api/v1/overview?scope=city&date=${FIXTURE_DAY}${at ? `&at=${at}` : ''}`)).body;
  const kpiOf = (key: string) => page.getByTestId(`kpi-${key}`).locator('.kpi-value').getAttribute('data-value');
  const kpi = () => kpiOf('attendance_rate');
  /** The wall's two due rates, as the data-values it shows. */
  const rates = async () => [await kpi(), await kpiOf('completion_rate')];
  const shown = (v: number | null) => (v === null ? '' : String(v));
  const banner = () => page.getByTestId('replay-banner');

  beforeAll(async () => {
    ({ stack, api } = await startFixtureStack('18:00', [], 4));
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    page.on('pageerror', (e) => pageErrors.push(`${e.message} ${e.stack ?? ''}`.slice(0, 800)));
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows 16:05 as the overview gives it with that at, under the replay banner, after a reload too', async () => {
    const then = await overview('16:05');
    const live = await overview();
    // The moment must differ from live, or this test could not tell replay from live: at 16:05
    // no class is due to have ended (completion not yet time); at 18:00 half are complete.
    expect([then.due.attendance_rate, then.due.completion_rate]).toEqual([2 / 3, null]);
    expect(live.due.completion_rate).toBe(0.5);
    const expected = [shown(then.due.attendance_rate), shown(then.due.completion_rate)];

    await page.goto(`${stack.url}/?replay=1&date=${FIXTURE_DAY}&at=16:05&rotate=0&sound=0`);
    await page.getByTestId('login-phone').fill('13800000001');
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await expect.poll(rates, { timeout: 15_000 }).toEqual(expected);
    expect(await banner().innerText()).toMatch(new RegExp(`^回放 ${FIXTURE_DAY} 16:05 · 非实时数据`));
    expect(await page.getByTestId('kpi-completion_rate').locator('.kpi-value').innerText()).toBe('未到下课时间');
    expect(await page.getByTestId('connection').innerText()).toBe('● 回放');
    expect(await page.getByTestId('kpi-moment').allInnerTexts()).toEqual(Array(3).fill('截至 16:05'));
    // Live pushes keep coming on the socket; none may paint over the past moment.
    await page.waitForTimeout(1500);
    expect(await rates()).toEqual(expected);
    await page.screenshot({ path: join(ARTIFACTS, 'wall-replay-1605.png') });

    await page.reload();
    await expect.poll(rates, { timeout: 15_000 }).toEqual(expected);
    expect(await banner().innerText()).toMatch(/16:05 · 非实时数据/);
  });

  it('opens the console at the replayed moment, under the banner, and goes back to the wall still replaying', async () => {
    const safety = async (at?: string) =>
      (
        await api.get<{ rows: SafetyChildRow[] }>(
          `/api/v1/dimensions/safety?scope=city&date=${FIXTURE_DAY}${at ? `&at=${at}` : ''}`,
        )
      ).body.rows;
    /** Per district: due attendance, due completion, due students present, as data-values. */
    const dueOf = (rows: SafetyChildRow[]) =>
      rows
        .map((r) => [
          `district:${r.child.id}`,
          shown(r.due?.attendance_rate ?? null),
          shown(r.due?.completion_rate ?? null),
          String(r.due?.students_present ?? ''),
        ])
        .sort();
    const then = dueOf(await safety('16:05'));
    // The past differs from now, or the test could not tell the two apart.
    expect(then).not.toEqual(dueOf(await safety()));

    await page.getByTestId('wall-console').click();
    const consoleBanner = page.getByTestId('console-replay-banner');
    await consoleBanner.waitFor({ timeout: 15_000 });
    expect(await consoleBanner.innerText()).toContain(`回放 ${FIXTURE_DAY} 16:05 · 非实时数据`);
    await page.getByTestId('console-nav-safety').click();
    await page.getByTestId('console-page-safety').waitFor();
    const shownRows = async () =>
      (
        await page
          .locator('[data-testid="console-row"]')
          .evaluateAll((els) =>
            els.map((e) => [
              e.getAttribute('data-scope') ?? '',
              ...['due.attendance_rate', 'due.completion_rate', 'due.students_present'].map(
                (k) => e.querySelector(`[data-key="${k}"]`)?.getAttribute('data-value') ?? 'missing',
              ),
            ]),
          )
      ).sort();
    await expect.poll(shownRows, { timeout: 15_000 }).toEqual(then);
    expect(await consoleBanner.innerText()).toContain(`回放 ${FIXTURE_DAY} 16:05 · 非实时数据`);
    expect(await consoleBanner.getAttribute('data-follows')).toBe('all');
    await page.screenshot({ path: join(ARTIFACTS, 'console-replay-1605.png') });

    await page.getByTestId('console-wall').click();
    await expect
      .poll(rates, { timeout: 15_000 })
      .toEqual(await overview('16:05').then((o) => [shown(o.due.attendance_rate), shown(o.due.completion_rate)]));
    expect(await banner().innerText()).toMatch(/16:05 · 非实时数据/);
  });

  it('follows the time slider and the player, and the URL says where it is', async () => {
    // 15:35: the classes of 15:30 are within their grace minutes, so nobody is due yet.
    const early = await overview('15:35');
    expect(early.due.attendance_rate).toBeNull();
    await page.getByTestId('replay-slider').fill(String(15 * 60 + 35));
    // A minute nobody asked for yet is computed by the server first (seconds on a loaded machine).
    await expect.poll(kpi, { timeout: 15_000 }).toBe('');
    expect(await banner().innerText()).toMatch(/15:35 · 非实时数据/);
    expect(new URL(page.url()).searchParams.get('at')).toBe('15:35');

    // ×60: a minute of the day per second; past 15:40 the attendance due is the overview's then.
    await page.getByTestId('replay-speed-60').click();
    await page.getByTestId('replay-play').click();
    await expect
      .poll(async () => (await banner().innerText()).match(/(\d\d:\d\d) ·/)?.[1], { timeout: 15_000 })
      .toMatch(/^15:4[1-9]$/);
    await page.getByTestId('replay-play').click();
    const at = new URL(page.url()).searchParams.get('at') ?? '';
    await expect.poll(kpi, { timeout: 15_000 }).toBe(shown((await overview(at)).due.attendance_rate));
    expect(await kpi()).not.toBe('');
  });

  it('返回实时 removes the banner and brings back the live figures', async () => {
    const live = await overview();
    await page.getByTestId('replay-exit').click();
    await expect.poll(() => banner().count()).toBe(0);
    expect(await page.getByTestId('connection').innerText()).toBe('● 实时');
    await expect.poll(rates).toEqual([shown(live.due.attendance_rate), shown(live.due.completion_rate)]);
    const q = new URL(page.url()).searchParams;
    expect([q.get('replay'), q.get('at'), q.get('date')]).toEqual([null, null, null]);
    expect(await page.getByTestId('replay-enter').isVisible()).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
