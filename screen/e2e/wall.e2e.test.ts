import { join } from 'node:path';
import { parseScope, type Overview, type Scope } from '@edu/analytics';
import { FIXTURE_DAY } from '@edu/analytics/testing';
import { produceEvents, publishedCount, readTopic } from '@edu/ingest/testing/kafka';
import { ApiClient, TEST_PASSWORD } from '@edu/streamer/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launch } from './browser.ts';
import { startFixtureStack, type E2EStack } from './stack.ts';

// The wall in headless Chromium against the real stack: events go into Kafka, through ingest
// into ClickHouse, and the screen shows what the read API says; a click on an alert issues a
// notice that appears on edu.supervision.v1.

const pctText = (v: number | null) => (v === null ? '暂无数据' : `${(v * 100).toFixed(1)}%`);

describe('the wall screen', () => {
  let stack: E2EStack;
  let browser: Browser;
  let page: Page;
  let api: ApiClient;
  const requested: string[] = [];
  const pageErrors: string[] = [];

  const overview = async (scope = 'city') =>
    (await api.get<Overview>(`/api/v1/overview?scope=${scope}&date=${FIXTURE_DAY}`)).body;
  const kpi = (key: string) => page.getByTestId(`kpi-${key}`).locator('.kpi-value').getAttribute('data-value');

  beforeAll(async () => {
    // The leader's first login (and the forced password change) is done through the API; the
    // browser then signs in with the new password, as on any later day.
    ({ stack, api } = await startFixtureStack('18:00', [], 4));
    await stack.streamer.evaluator.evaluate();
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    page.on('pageerror', (e) => pageErrors.push(`${e.message} ${e.stack ?? ''}`.slice(0, 800)));
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('logs in and shows the read API numbers', async () => {
    await page.goto(`${stack.url}/?date=${FIXTURE_DAY}&rotate=0&sound=0`);
    await page.getByTestId('login-phone').fill('13800000001');
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page
      .getByTestId('kpi-attendance_rate')
      .locator('.kpi-value[data-value]:not([data-value=""])')
      .waitFor({ timeout: 15_000 });
    const o = await overview();
    // The timetable rates are the figures due so far (contract v1.1), as of the stack's clock.
    for (const key of ['attendance_rate', 'teacher_attendance_rate', 'completion_rate'] as const) {
      expect([key, Number(await kpi(key))]).toEqual([key, o.due[key]]);
    }
    for (const key of ['enrollment_rate', 'sessions_scheduled', 'settled_amount'] as const) {
      expect([key, Number(await kpi(key))]).toEqual([key, o.metrics[key]]);
    }
    expect(await page.getByTestId('kpi-attendance_rate').getByTestId('kpi-moment').innerText()).toMatch(
      /^截至 18:\d\d$/,
    );
    // At 18:00 every class of the fixture day has ended: old events are not late data.
    expect(await page.getByTestId('late-banner').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'wall-1920x1080.png') });
  });

  it('changes the numbers when events arrive', async () => {
    const before = (await overview()).metrics.students_present;
    // st8 (enrolled in o5) checks in to se6 at s3: one more student present.
    await produceEvents(stack.kafka, stack.prefix, [
      {
        id: 'e2e-late-1',
        type: 'checkin',
        ts: `${FIXTURE_DAY}T15:35:00+08:00`,
        school_id: 's3',
        session_id: 'se6',
        person: 'student',
        person_id: 'st8',
        method: 'face',
      },
    ]);
    await expect.poll(async () => (await overview()).metrics.students_present, { timeout: 15_000 }).toBe(before + 1);
    const expected = String((await overview()).due.attendance_rate);
    await expect.poll(() => kpi('attendance_rate'), { timeout: 10_000 }).toBe(expected);
    // The flop is drawn (a canvas, made in an effect after the commit), not "no data" text.
    await expect.poll(() => page.getByTestId('kpi-attendance_rate').locator('canvas').count()).toBe(1);
    expect(pctText(Number(expected))).toBe('83.3%');
  });

  it('drills down from the city to a district and back with the breadcrumbs', async () => {
    await page.getByTestId('breadcrumb').waitFor();
    await page.evaluate(() => window.history.replaceState(null, '', '?scope=city'));
    // The map is a canvas: drill through the ranking rows' scope, then use the breadcrumbs.
    await page.getByTestId('ranking-row').first().dispatchEvent('click');
    await expect.poll(() => page.getByTestId('breadcrumb').innerText()).toMatch(/全市.*›.*›.*小学/s);
    const school = new URL(page.url()).searchParams.get('scope') as string;
    const o = await overview(school);
    await expect.poll(() => kpi('sessions_scheduled')).toBe(String(o.metrics.sessions_scheduled));
    await page.getByTestId('breadcrumb').getByRole('button', { name: '全市' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('scope')).toBe('city');
    expect(parseScope(school) as Scope).toMatchObject({ kind: 'school' });
  });

  it('issues a notice from an alert, once, onto edu.supervision.v1', async () => {
    // The first alert on show: a line of one, or a member of an unfolded line (folded members
    // are in the page, hidden).
    const item = page.locator('[data-testid="alert-item"]:visible').first();
    await item.waitFor({ timeout: 15_000 });
    const alertId = await item.getAttribute('data-alert');
    // By id: new alerts may arrive at the top of the feed at any moment.
    await page.locator(`[data-alert="${alertId}"]`).click();
    await page.getByTestId('notice-dialog').waitFor();
    // A double click is one notice.
    await page.getByTestId('notice-submit').dblclick();
    await page.getByTestId('notice-done').waitFor({ timeout: 10_000 });
    const [message] = await readTopic(stack.kafka, stack.supervisionTopic, 1, 15_000);
    const event = JSON.parse(String(message?.value ?? '{}')) as { type: string; subject_id: string; decision: string };
    expect(event).toMatchObject({ type: 'notice_issued', subject_id: alertId, decision: 'notice' });
    const admin = stack.kafka.admin();
    await admin.connect();
    const published = await publishedCount(admin, stack.supervisionTopic);
    await admin.disconnect();
    expect(published).toBe(1);
    await page.keyboard.press('Escape');
    await page.locator('.modal-backdrop').click({ position: { x: 5, y: 5 } });
    await expect
      .poll(() => page.locator(`[data-alert="${alertId}"]`).getAttribute('data-state'), { timeout: 10_000 })
      .toBe('notice_issued');
  });

  it('renders hostile names inert, in React text and in the DataV boards', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">第6小学';
    const at = (hhmm: string) => `${FIXTURE_DAY}T${hhmm}:00+08:00`;
    await produceEvents(stack.kafka, stack.prefix, [
      {
        id: 'e2e-s6',
        type: 'school',
        ts: '2026-09-01T08:00:00+08:00',
        school_id: 's6',
        entity_id: 's6',
        name: hostile,
        zone_id: 'z1',
        district_id: 'd1',
        stage: 'primary',
        students: 100,
      },
      {
        id: 'e2e-se8',
        type: 'session_scheduled',
        ts: '2026-11-20T08:00:00+08:00',
        school_id: 's6',
        session_id: 'se8',
        offering_id: 'o1',
        course_id: 'c-o1',
        teacher_id: 't8',
        room: '101',
        planned_start: at('15:30'),
        planned_end: at('16:30'),
      },
    ]);
    await expect.poll(async () => (await overview()).metrics.sessions_scheduled, { timeout: 15_000 }).toBe(5);
    await stack.streamer.refreshGeography();
    await stack.streamer.evaluator.evaluate();
    // The alert feed (React text) and the enrollment-rate board (DataV, raw HTML) both name it.
    // A grouped line draws its members only when opened: open the folded ones as they come.
    // In the page, in one go: a list of locators goes stale as each click opens a line (the
    // last of `.all()`'s nth locators then matches nothing and the click waits out its 30 s).
    await expect
      .poll(
        async () => {
          await page.evaluate(() => {
            for (const head of document.querySelectorAll<HTMLElement>('.alert-head[aria-expanded="false"]'))
              head.click();
          });
          return page.locator('[data-testid="alert-item"]', { hasText: '第6小学' }).count();
        },
        { timeout: 15_000 },
      )
      .toBeGreaterThan(0);
    await page.getByRole('button', { name: '报名率' }).click();
    await expect
      .poll(() => page.locator('.dv-scroll-ranking-board .info-name', { hasText: '第6小学' }).count(), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    expect(
      await page.locator('.dv-scroll-ranking-board .info-name', { hasText: '第6小学' }).first().innerText(),
    ).toContain('<img src=x');
    expect(await page.locator('.dv-scroll-ranking-board img, .alerts img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('loads the 3D view (echarts-gl, three) only when asked', async () => {
    const gl = () => requested.filter((p) => /\/assets\/gl-.*\.js$/.test(p)).length;
    expect(gl()).toBe(0);
    await page.getByTestId('toggle-3d').click();
    await page.getByTestId('city-3d').locator('canvas').first().waitFor({ timeout: 15_000 });
    expect(gl()).toBe(1);
    await page.getByTestId('toggle-3d').click();
    await page.getByTestId('city-map').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('renders at 3840×2160 without distortion', async () => {
    await page.setViewportSize({ width: 3840, height: 2160 });
    await expect.poll(async () => (await page.getByTestId('canvas').boundingBox())?.width).toBe(3840);
    const box = await page.getByTestId('canvas').boundingBox();
    expect(box?.height).toBe(2160);
    await page.screenshot({ path: join(ARTIFACTS, 'wall-3840x2160.png') });
    // Ultra-wide splice: letterboxed, never stretched.
    await page.setViewportSize({ width: 3840, height: 1080 });
    await expect.poll(async () => (await page.getByTestId('canvas').boundingBox())?.height).toBe(1080);
    expect((await page.getByTestId('canvas').boundingBox())?.width).toBe(1920);
  });
});
