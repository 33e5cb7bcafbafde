import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { InboundEvent, StudentList, TeacherList, Timetable } from '@edu/analytics';
import { FIXTURE_DAY, fixtureCityEvents, fixtureDimensionEvents } from '@edu/analytics/testing';
import { produceEvents } from '@edu/ingest/testing/kafka';
import { ApiClient, TEST_PASSWORD } from '@edu/streamer/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launch } from './browser.ts';
import { DIST, startStack, type E2EStack } from './stack.ts';

// Finding people and weeks (manual 4.3) in headless Chromium against the real stack: a leader
// finds a student of 第1小学 by part of the name and opens 一生一表 (masked), opens a teacher
// from 教师名单, and steps the timetable back a week — the grid shows the sessions the read API
// answers for that week, the address says the week and a reload keeps it — then back to 本周;
// 安全监管's day view steps by day. The fixture's week (Monday 11-23) gets two sessions of s1
// in the week before, so that week is not empty.

const PREV_MONDAY = '2026-11-16';
const planned = (day: string, hhmm: string) => `${day}T${hhmm}:00+08:00`;
const earlier = (id: string, day: string): InboundEvent => ({
  id: `people-e2e-${id}`,
  type: 'session_scheduled',
  ts: planned('2026-11-10', '08:00'),
  school_id: 's1',
  session_id: id,
  offering_id: 'o1',
  course_id: 'c-o1',
  teacher_id: 't1',
  room: '302',
  planned_start: planned(day, '15:30'),
  planned_end: planned(day, '16:30'),
});

describe('finding people and weeks in the console', () => {
  let stack: E2EStack;
  let browser: Browser;
  let page: Page;
  let leader: ApiClient;
  const pageErrors: string[] = [];
  const S1 = '/api/v1/dimensions/process/schools/s1';

  const api = async <T>(path: string) => {
    const r = await leader.get<T>(path);
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  /** Answers arrive over the real stack: a wider wait than expect.poll's default second. */
  const poll = <T>(f: () => Promise<T> | T) => expect.poll(f, { timeout: 10_000 });
  const shown = () => page.getByTestId('console-date-shown').getAttribute('data-shown');
  const grid = async () =>
    page
      .locator('[data-testid="console-timetable"] [data-testid="console-session"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-subject')));

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) throw new Error('screen/dist is missing: npm run build -w @edu/screen');
    stack = await startStack();
    await produceEvents(stack.kafka, stack.prefix, [
      ...fixtureCityEvents(),
      ...fixtureDimensionEvents(),
      earlier('se-prev-1', '2026-11-18'),
      earlier('se-prev-2', '2026-11-20'),
    ]);
    leader = await new ApiClient(stack.url).login('13800000001');
    const ready = async () => {
      const [prev, students] = await Promise.all([
        api<Timetable>(`${S1}/timetable?date=${PREV_MONDAY}`),
        api<StudentList>(`${S1}/students`),
      ]);
      return prev.sessions.length === 2 && students.total === 3;
    };
    for (let i = 0; i < 150 && !(await ready().catch(() => false)); i++) await new Promise((r) => setTimeout(r, 200));
    expect(await ready()).toBe(true);
    await stack.streamer.refreshGeography();

    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    page.on('pageerror', (e) => pageErrors.push(`${e.message} ${e.stack ?? ''}`.slice(0, 800)));
    await page.goto(`${stack.url}/?date=${FIXTURE_DAY}#/console/process?scope=school:s1`);
    await page.getByTestId('login-phone').fill('13800000001');
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('console-detail').waitFor({ timeout: 15_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('finds a student by part of the name and opens 一生一表, masked', async () => {
    await page.getByTestId('console-tab-students').click();
    await page.getByTestId('console-student-search').fill('小明');
    await page.getByTestId('console-action-student-search').click();
    const found = await api<StudentList>(`${S1}/students?q=${encodeURIComponent('小明')}`);
    expect(found.students.map((s) => s.masked_name)).toEqual(['张*明']);
    await poll(() => page.getByTestId('console-student-row').allInnerTexts()).toEqual([
      expect.stringContaining('张*明'),
    ]);
    await page.getByTestId('console-student-row').getByTestId('console-action-student').click();
    await poll(() => page.getByTestId('console-student-name').innerText()).toBe('张*明');
    const week = await api<Timetable>(`${S1}/students/st1/timetable?date=${FIXTURE_DAY}`);
    await poll(() => page.getByTestId('console-timetable').getAttribute('data-sessions')).toBe(
      String(week.sessions.length),
    );
    const text = await page.getByTestId('console-detail').innerText();
    expect(text).not.toContain('张小明');
    expect(text).not.toMatch(/\bst1\b/);
    await page.screenshot({ path: join(ARTIFACTS, 'console-student-search.png') });
  });

  it('lists the school’s teachers and opens 一师一表 from the list', async () => {
    await page.getByTestId('console-tab-teachers').click();
    const list = await api<TeacherList>(`${S1}/teachers?date=${FIXTURE_DAY}`);
    await poll(() => page.getByTestId('console-teacher-row').count()).toBe(list.teachers.length);
    await page
      .locator('[data-testid="console-teacher-row"][data-subject="t2"]')
      .getByTestId('console-action-teacher')
      .click();
    await poll(() => page.getByTestId('console-teacher-profile').innerText()).toContain('王芳');
    await poll(() => page.getByTestId('console-teacher-profile').innerText()).toContain('星火体育');
  });

  it('steps the timetable a week back: the API’s sessions of that week, in the address, kept on reload', async () => {
    await page.getByTestId('console-tab-school').click();
    await poll(shown).toBe('2026-11-23');
    await page.getByTestId('console-date-prev').click();
    await poll(shown).toBe(PREV_MONDAY);
    const prev = await api<Timetable>(`${S1}/timetable?date=${PREV_MONDAY}`);
    expect(prev.sessions.map((s) => s.session_id)).toEqual(['se-prev-1', 'se-prev-2']);
    await poll(grid).toEqual(prev.sessions.map((s) => s.session_id));
    expect(new URL(page.url()).searchParams.get('date')).toBe(PREV_MONDAY);
    await page.screenshot({ path: join(ARTIFACTS, 'console-week-nav.png') });

    await page.reload();
    await page.getByTestId('console-detail').waitFor({ timeout: 15_000 });
    await poll(shown).toBe(PREV_MONDAY);
    await poll(grid).toEqual(['se-prev-1', 'se-prev-2']);

    // Back: the browser's history holds the week before the step.
    await page.goBack();
    await poll(shown).toBe('2026-11-23');
    await page.getByTestId('console-date-pick').fill('2026-11-19');
    await poll(shown).toBe(PREV_MONDAY);
    // 本周: the server's today (the stack's clock is on the fixture day), no date in the address.
    await page.getByTestId('console-date-today').click();
    await poll(shown).toBe('2026-11-23');
    expect(new URL(page.url()).searchParams.has('date')).toBe(false);
    const now = await api<Timetable>(`${S1}/timetable`);
    await poll(grid).toEqual(now.sessions.map((s) => s.session_id));
  });

  it('安全监管 steps by day', async () => {
    await page.goto(`${stack.url}/?date=${FIXTURE_DAY}#/console/safety?scope=school:s1`);
    await page.getByTestId('console-date-nav').waitFor({ timeout: 15_000 });
    await poll(shown).toBe(FIXTURE_DAY);
    await page.getByTestId('console-date-prev').click();
    await poll(shown).toBe('2026-11-26');
    expect(new URL(page.url()).searchParams.get('date')).toBe('2026-11-26');
    await poll(() => page.getByTestId('console-page-safety').innerText()).toContain('（2026-11-26）');
    expect(pageErrors).toEqual([]);
  });
});
