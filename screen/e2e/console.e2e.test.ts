import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SupervisionEvent } from '@edu/analytics';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { FIXTURE_DAY, fixtureCityEvents, fixtureDimensionEvents } from '@edu/analytics/testing';
import { produceEvents, readTopic } from '@edu/ingest/testing/kafka';
import { ApiClient, TEST_PASSWORD } from '@edu/streamer/testing';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launch } from './browser.ts';
import { DIST, startStack, type E2EStack } from './stack.ts';

// The desk console (#/console) in headless Chromium against the real stack: the fixture city
// and its dimension events go through Kafka and ingest into ClickHouse; every page is opened,
// drilled down city → 东城区 d1 → 学区 → 第1小学 s1 with its numbers checked against the read
// API, and its action performed and read back from edu.supervision.v1. Then a department staff
// member of d1 with the safety dimension only sees 安全监管 and 图表, no 喊停 / 否定, and is
// refused another district.

const Q = `date=${FIXTURE_DAY}`;
const TERM = '2026-autumn';

interface Rows<R> {
  rows: R[];
}
type ChildRow = { child: { kind: string; id: string } } & Record<string, unknown>;

describe('the desk console', () => {
  let stack: E2EStack;
  let browser: Browser;
  let page: Page;
  let leader: ApiClient;
  let published = 0;
  const pageErrors: string[] = [];

  const get = async <T>(path: string, as: ApiClient = leader) => {
    const r = await as.get<T>(path);
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  /** The API's row of `child` in the per-child table of `scope`. */
  const apiRow = async (dimension: string, scope: string, child: string) => {
    const body = await get<Rows<ChildRow>>(`/api/v1/dimensions/${dimension}?scope=${scope}&${Q}&term=${TERM}`);
    const row = body.rows.find((r) => `${r.child.kind}:${r.child.id}` === child);
    if (!row) throw new Error(`no row ${child} in ${dimension} of ${scope}`);
    return row;
  };
  const row = (scope: string) => page.locator(`[data-testid="console-row"][data-scope="${scope}"]`);
  const cell = (scope: string, key: string) => row(scope).locator(`[data-key="${key}"]`).getAttribute('data-value');
  /** The next message on edu.supervision.v1 (each action publishes exactly one). */
  const nextPublished = async (): Promise<SupervisionEvent> => {
    published += 1;
    const messages = await readTopic(stack.kafka, stack.supervisionTopic, published, 15_000);
    expect(messages).toHaveLength(published);
    return JSON.parse(String(messages.at(-1)?.value ?? '{}')) as SupervisionEvent;
  };

  /** Opens a page from the nav, back at the top of the user's scope. */
  const open = async (name: string) => {
    await page.getByTestId(`console-nav-${name}`).click();
    await page.getByTestId(`console-page-${name}`).waitFor();
    const top = page.getByTestId('breadcrumb').getByRole('button').first();
    if (await top.count()) await top.click();
  };

  /**
   * City → d1 → its zone → s1, checking at each level that the table's `key` of the row
   * drilled into is the API's (`value` picks it from an API row).
   */
  const drillToS1 = async (dimension: string, key: string, value: (r: ChildRow) => unknown) => {
    for (const [scope, child] of [
      ['city', 'district:d1'],
      ['district:d1', 'zone:z1'],
      ['zone:z1', 'school:s1'],
    ] as const) {
      await row(child).waitFor({ timeout: 15_000 });
      const expected = value(await apiRow(dimension, scope, child));
      expect([child, await cell(child, key)]).toEqual([child, expected === null ? '' : String(expected)]);
      await row(child).click();
    }
    await expect.poll(() => page.getByTestId('breadcrumb').innerText()).toMatch(/全市.*东城区.*一学区.*第1小学/s);
    await row('school:s1').waitFor({ timeout: 15_000 });
  };

  /** Fills and submits the decision dialog opened by `button`. */
  const decide = async (button: Locator, reason: string) => {
    await button.click();
    const dialog = page.getByTestId('console-dialog');
    await dialog.waitFor();
    if (reason) await dialog.getByTestId('console-reason').fill(reason);
    await dialog.getByTestId('console-submit').dblclick(); // a double click is one decision
    // On failure, say what the dialog said (e.g. the server's refusal), not only "timeout".
    await dialog
      .getByTestId('console-done')
      .waitFor({ timeout: 10_000 })
      .catch(async (e: unknown) => {
        throw new Error(`the decision was not published; the dialog says: ${await dialog.innerText()} (${String(e)})`);
      });
    await dialog.getByTestId('console-close').click();
  };

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) throw new Error('screen/dist is missing: npm run build -w @edu/screen');
    stack = await startStack();
    await produceEvents(stack.kafka, stack.prefix, [...fixtureCityEvents(), ...fixtureDimensionEvents()]);
    leader = await new ApiClient(stack.url).login('13800000001');
    // Stored when the last of each kind of event is readable through the API.
    const ready = async () => {
      const [budget, material, feedback, report] = await Promise.all([
        leader.get<Rows<{ total: number }>>(`/api/v1/dimensions/budget?scope=city&${Q}`),
        leader.get<Rows<{ materials: number }>>(`/api/v1/dimensions/material?scope=city&${Q}`),
        leader.get<Rows<{ total: { count: number } }>>(`/api/v1/dimensions/feedback?scope=city&${Q}`),
        leader.get<{ summary?: string }>(`/api/v1/dimensions/safety/schools/s1/sessions/se1/report?${Q}`),
      ]);
      const sum = <R>(rows: R[] | undefined, f: (r: R) => number) => (rows ?? []).reduce((a, r) => a + f(r), 0);
      return (
        sum(budget.body.rows, (r) => r.total) === 190_000 &&
        sum(material.body.rows, (r) => r.materials) === 10 &&
        sum(feedback.body.rows, (r) => r.total.count) === 10 &&
        report.body.summary === '本节课完成运球练习'
      );
    };
    for (let i = 0; i < 150 && !(await ready().catch(() => false)); i++) await new Promise((r) => setTimeout(r, 200));
    expect(await ready()).toBe(true);
    // The geography names the districts (and seeds their staff members).
    await stack.streamer.refreshGeography();

    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, acceptDownloads: true });
    page.on('pageerror', (e) => pageErrors.push(`${e.message} ${e.stack ?? ''}`.slice(0, 800)));
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

  it('offers a leader every page', async () => {
    await page.getByTestId('console-nav-charts').waitFor();
    const nav = await page
      .locator('[data-testid^="console-nav-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    // The six dimensions, 图表, 流程全景, 督办, and the operations pages 数据质量 and 操作日志
    // (leaders and administrators).
    expect(nav).toEqual(
      [
        'material',
        'budget',
        'process',
        'course',
        'safety',
        'feedback',
        'charts',
        'pipeline',
        'notices',
        'quality',
        'audit',
      ].map((p) => `console-nav-${p}`),
    );
  });

  it('数据质量: the fixture’s check-ins by students the registry does not know, by names, ids masked', async () => {
    await page.getByTestId('console-nav-quality').click();
    await page.getByTestId('console-page-quality').waitFor();
    // The streamer read its report before the fixture landed: 刷新 reads it now.
    await page.getByTestId('console-quality-reload').click();
    const checkins = page.getByTestId('console-quality-row').filter({ hasText: '签到' });
    await checkins.first().waitFor({ timeout: 15_000 });
    const text = await page.getByTestId('console-quality').innerText();
    expect(text).toContain('考勤');
    expect(text).toContain('未登记学生');
    expect(text).toContain('今日及前7日');
    // Students' ids are masked (st1 → ***): none of the fixture's reaches the page.
    expect(text).not.toMatch(/\bst[0-9x]\b/);
  });

  it('导出 Excel: the city’s 经费预算 table downloads as an .xlsx holding the page’s headers and figures', async () => {
    await open('budget');
    const table = page.getByTestId('console-children');
    await row('district:d1').waitFor({ timeout: 15_000 });
    const section = page.locator('section.console-section', { has: table });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByTestId('console-export-xlsx').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^各辖区.*经费预算.*-全市-.*\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path()) as string);
    const ws = wb.worksheets[0];
    if (!ws) throw new Error('no worksheet');
    expect(String(ws.getCell('A1').value)).toMatch(/经费预算.*全市/);
    // The page's column titles (操作 left out), in Chinese.
    const pageHeaders = (await table.locator('thead tr').last().locator('th').allInnerTexts())
      .map((t) => t.trim())
      .filter((t) => t && t !== '操作');
    const fileHeaders = (ws.getRow(3).values as unknown[]).slice(1).map(String);
    expect(fileHeaders.map((h) => h.split('·').at(-1))).toEqual(pageHeaders);
    for (const h of fileHeaders) expect(h).toMatch(/[\u4e00-\u9fff]/);
    // Each district's row: its name, and its figures as numbers equal to the page's.
    const names = await table.locator('[data-testid="console-row"] td.name').allInnerTexts();
    const totals = await table
      .locator('[data-testid="console-row"] [data-key="total"]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    const fileRows = names.map((_, i) => ws.getRow(4 + i).values as unknown[]);
    expect(fileRows.map((r) => r[1])).toEqual(names.map((n) => n.trim()));
    const keyIndex = await table
      .locator('[data-testid="console-row"]')
      .first()
      .locator('td')
      .evaluateAll((tds) => tds.findIndex((td) => td.getAttribute('data-key') === 'total'));
    // The file leaves out no column before 总额 (操作 is last), so the page's index is the file's.
    expect(fileRows.map((r) => r[keyIndex + 1])).toEqual(totals);
    const api = await get<Rows<ChildRow & { total: number }>>(`/api/v1/dimensions/budget?scope=city&${Q}&term=${TERM}`);
    expect(totals.reduce((a, b) => a + b, 0)).toBe(api.rows.reduce((a, r) => a + r.total, 0));
  });

  it('材料公示: drills to a school, downloads its list and rejects a material with a reason', async () => {
    await open('material');
    await drillToS1('material', 'materials', (r) => r.materials);
    const api = await get<{ materials: { material_id: string }[] }>(`/api/v1/dimensions/material/schools/s1?${Q}`);
    await expect.poll(() => page.getByTestId('console-item').count()).toBe(api.materials.length);
    // The file links are the published files; the list downloads as CSV with the token.
    expect(
      await page.locator('[data-subject="m2"] [data-testid="console-action-download"]').getAttribute('href'),
    ).toMatch(/^https:\/\/files\.example\/m2-/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('console-action-download-list').click(),
    ]);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv).toContain('material_id,kind,title,file_url,ts,decision');
    expect(csv).toContain('m2');

    const m2 = page.locator('[data-testid="console-item"][data-subject="m2"]');
    await decide(m2.getByTestId('console-action-reject'), '中标公示缺少盖章页，请补充后重新公示');
    const event = await nextPublished();
    expect(event).toMatchObject({
      type: 'decision',
      decision: 'rejected',
      dimension: 'material',
      subject_id: 'm2',
      target_type: 'school',
      target_id: 's1',
      issuer_role: 'leader',
      content: '中标公示缺少盖章页，请补充后重新公示',
    });
    await expect.poll(() => m2.getByTestId('console-decision-state').getAttribute('data-decision')).toBe('rejected');
  });

  it('批量下载: the chosen materials of a school come as one zip, unfetched ones listed with why', async () => {
    // A material on the product's own file store, beside the fixture's on a server not allowed.
    mkdirSync(join(stack.filesDir, 'materials'), { recursive: true });
    writeFileSync(join(stack.filesDir, 'materials', 'e2e-plan.txt'), '第1小学安全管理及应急预案（正文）');
    await produceEvents(stack.kafka, stack.prefix, [
      {
        id: 'm-e2e:pub',
        type: 'material_published',
        ts: `${FIXTURE_DAY}T08:00:00+08:00`,
        school_id: 's1',
        material_id: 'm-e2e',
        term: TERM,
        kind: 'safety_plan',
        title: '第1小学安全预案',
        file_url: `${stack.url}/files/materials/e2e-plan.txt`,
      },
    ]);
    await expect
      .poll(
        async () =>
          (
            await get<{ materials: { material_id: string }[] }>(`/api/v1/dimensions/material/schools/s1?${Q}`)
          ).materials.map((m) => m.material_id),
        { timeout: 15_000 },
      )
      .toContain('m-e2e');
    await open('material');
    await drillToS1('material', 'materials', (r) => r.materials);
    for (const id of ['m-e2e', 'm2'])
      await page.locator(`[data-testid="console-item"][data-subject="${id}"] input[type=checkbox]`).check();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('console-action-download-selected').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^公示材料-第1小学\.zip$/);
    const zip = await JSZip.loadAsync(readFileSync((await download.path()) as string));
    expect(Object.keys(zip.files).sort()).toEqual(['安全管理及应急预案-第1小学安全预案.txt', '未能打包的文件.txt']);
    expect(await zip.file('安全管理及应急预案-第1小学安全预案.txt')?.async('string')).toBe(
      '第1小学安全管理及应急预案（正文）',
    );
    // m2's file is on files.example, not a file server the bureau named: listed, not fetched.
    expect(await zip.file('未能打包的文件.txt')?.async('string')).toMatch(
      /中标公示\t.*files\.example\/m2-.*\t文件不在允许的文件服务器上/,
    );
  });

  it('经费预算: drills to a school, downloads the report and rejects budget b1 with a reason', async () => {
    await open('budget');
    await drillToS1('budget', 'total', (r) => r.total);
    const b1 = page.locator('[data-testid="console-item"][data-subject="b1"]');
    const api = await get<{ budgets: { budget_id: string; total: number }[] }>(
      `/api/v1/dimensions/budget/schools/s1?${Q}`,
    );
    expect(await b1.locator('[data-key="total"]').getAttribute('data-value')).toBe(
      String(api.budgets.find((b) => b.budget_id === 'b1')?.total),
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('console-action-download-report').click(),
    ]);
    expect(readFileSync((await download.path()) as string, 'utf8')).toContain('800.00');
    await decide(b1.getByTestId('console-action-reject'), '课程类经费占比过高，请调整');
    expect(await nextPublished()).toMatchObject({
      type: 'decision',
      decision: 'rejected',
      dimension: 'budget',
      subject_id: 'b1',
      target_id: 's1',
      content: '课程类经费占比过高，请调整',
    });
    await expect.poll(() => b1.getByTestId('console-decision-state').getAttribute('data-decision')).toBe('rejected');
    await page.screenshot({ path: join(ARTIFACTS, 'console-budget.png') });
  });

  it('过程监管: drills to a school and shows 一校一表, 一师一表 and 一生一表 with a masked name', async () => {
    await open('process');
    await drillToS1('process', 'students_enrolled', (r) => r.students_enrolled);
    const week = await get<{ sessions: unknown[] }>(`/api/v1/dimensions/process/schools/s1/timetable?${Q}`);
    await expect
      .poll(() => page.getByTestId('console-timetable').getAttribute('data-sessions'))
      .toBe(String(week.sessions.length));
    await page.locator('[data-testid="console-teacher"][data-teacher="t1"]').first().click();
    await expect.poll(() => page.getByTestId('console-teacher-profile').innerText()).toContain('李明华');
    // 一生一表 through 学生查询: found by part of the name, never by a typed id.
    await page.getByTestId('console-tab-students').click();
    await page.getByTestId('console-student-search').fill('小明');
    await page.getByTestId('console-action-student-search').click();
    await page
      .getByTestId('console-student-row')
      .filter({ hasText: '张*明' })
      .getByTestId('console-action-student')
      .click();
    await expect.poll(() => page.getByTestId('console-student-name').innerText()).toBe('张*明');
    expect(await page.getByTestId('console-detail').innerText()).not.toContain('张小明');
    await page.screenshot({ path: join(ARTIFACTS, 'console-process.png') });
  });

  it('开课审批: drills to a school and approves an offering', async () => {
    await open('course');
    await drillToS1('course', 'offerings', (r) => r.offerings);
    const o1 = page.locator('[data-testid="console-item"][data-subject="o1"]');
    await o1.getByTestId('console-action-detail').click();
    await expect.poll(() => page.getByTestId('console-course-detail').innerText()).toContain('星火体育');
    await decide(o1.getByTestId('console-action-approve'), '');
    expect(await nextPublished()).toMatchObject({
      type: 'decision',
      decision: 'approved',
      dimension: 'course',
      subject_id: 'o1',
      target_id: 's1',
      content: '审核通过',
    });
    await expect.poll(() => o1.getByTestId('console-decision-state').getAttribute('data-decision')).toBe('approved');
  });

  it('安全监管: drills school → course → session → 学情汇报 and issues 一键监管 from the course list', async () => {
    await open('safety');
    await drillToS1('safety', 'students_present', (r) => (r.metrics as { students_present: number }).students_present);
    const api = await get<{ courses: { course_id: string; metrics: { students_present: number } }[] }>(
      `/api/v1/dimensions/safety/schools/s1?${Q}`,
    );
    const course = page.locator('[data-testid="console-item"][data-subject="c-o1"]');
    expect(await course.locator('[data-key="students_present"]').getAttribute('data-value')).toBe(
      String(api.courses.find((c) => c.course_id === 'c-o1')?.metrics.students_present),
    );
    // A leader may halt a course; the button is there (not pressed here).
    expect(await course.getByTestId('console-action-halt').count()).toBe(1);
    await course.getByTestId('console-action-sessions').click();
    const se1 = page.locator('[data-testid="console-session"][data-subject="se1"]');
    await se1.waitFor();
    await se1.getByTestId('console-action-report').click();
    await expect.poll(() => page.getByTestId('console-report-summary').innerText()).toBe('本节课完成运球练习');
    await page.getByTestId('console-tab-students').click();
    await expect.poll(() => page.getByTestId('console-report-student').first().innerText()).toContain('张*明');
    await page.screenshot({ path: join(ARTIFACTS, 'console-safety.png'), fullPage: true });

    await page.getByTestId('console-action-notice').click();
    const dialog = page.getByTestId('console-dialog');
    await dialog.getByTestId('console-content').fill('第1小学今日考勤异常，请立即核实并反馈');
    await dialog.getByTestId('console-submit').dblclick();
    await dialog.getByTestId('console-done').waitFor({ timeout: 10_000 });
    await dialog.getByTestId('console-close').click();
    expect(await nextPublished()).toMatchObject({
      type: 'notice_issued',
      decision: 'notice',
      dimension: 'safety',
      target_type: 'school',
      target_id: 's1',
      content: '第1小学今日考勤异常，请立即核实并反馈',
    });
  });

  it('评价反馈: drills to a school, reads a target’s feedback and sends 一键监管 to its provider', async () => {
    await open('feedback');
    await drillToS1('feedback', 'count', (r) => (r.total as { count: number }).count);
    // Comments are shown as text: the fixture's <script> comment is inert.
    await page.locator('[data-testid="console-target"][data-subject="course:c-o1"]').click();
    await expect
      .poll(() => page.getByTestId('console-detail').innerText())
      .toContain('<script>alert("x")</script>太吵');
    await page.locator('[data-testid="console-target"][data-subject="provider:p1"]').click();
    const api = await get<{ items: unknown[] }>(`/api/v1/dimensions/feedback/provider/p1?scope=school:s1&${Q}`);
    await expect
      .poll(() => page.getByTestId('console-detail').locator('[data-key="count"]').getAttribute('data-value'))
      .toBe(String(api.items.length));
    await page.getByTestId('console-action-notice').click();
    const dialog = page.getByTestId('console-dialog');
    await dialog.getByTestId('console-recipient-provider').check();
    await page.screenshot({ path: join(ARTIFACTS, 'console-feedback-notice.png') });
    await dialog.getByTestId('console-submit').click();
    await dialog.getByTestId('console-done').waitFor({ timeout: 10_000 });
    await dialog.getByTestId('console-close').click();
    expect(await nextPublished()).toMatchObject({
      type: 'notice_issued',
      dimension: 'feedback',
      target_type: 'provider',
      target_id: 'p1',
      subject_id: 'provider:p1',
    });
  });

  it('图表: every chart group renders, and the numbers follow the drill-down', async () => {
    await open('charts');
    const stat = (key: string) =>
      page.locator(`[data-testid="console-stat"][data-key="${key}"]`).getAttribute('data-value');
    for (const scope of ['city', 'district:d1', 'zone:z1', 'school:s1']) {
      if (scope !== 'city') await row(scope).click();
      const api = await get<{ data: { selection: { offerings: number }; delivery: { sessions_scheduled: number } } }>(
        `/api/v1/charts/totals?scope=${scope}&${Q}`,
      );
      await expect.poll(() => stat('offerings')).toBe(String(api.data.selection.offerings));
      expect([scope, await stat('sessions_scheduled')]).toEqual([scope, String(api.data.delivery.sessions_scheduled)]);
    }
    await page.getByTestId('breadcrumb').getByRole('button', { name: '全市' }).click();
    for (const group of ['registry', 'selection', 'scheduling', 'enrollment', 'attendance', 'settlement']) {
      await page.getByTestId(`console-chart-${group}`).click();
      await page.getByTestId('console-chart').first().waitFor({ timeout: 10_000 });
    }
    // 上课 at the city: the student attendance chart draws the overview's students_present.
    await page.getByTestId('console-chart-attendance').click();
    const attendance = await get<{
      data: { students: { students_present: number }; attendance_rate: { top: unknown[] } };
    }>(`/api/v1/charts/attendance?scope=city&${Q}`);
    await expect
      .poll(() => page.locator('[data-chart="students"]').getAttribute('data-value'))
      .toBe(String(attendance.data.students.students_present));
    // The ranking lists the API's rows, drawn on a canvas: ECharts creates it in an effect that
    // runs after React commits the attributes, so the canvas is polled for, not counted once.
    expect(attendance.data.attendance_rate.top.length).toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('[data-chart="attendance_top"]').getAttribute('data-value'))
      .toBe(String(attendance.data.attendance_rate.top.length));
    await expect.poll(() => page.locator('[data-chart="attendance_top"] canvas').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'console-charts.png') });
    expect(pageErrors).toEqual([]);
  });

  it('shows department staff only their dimensions, no 喊停 / 否定, and refuses another district', async () => {
    const admin = await new ApiClient(stack.url).login('13800000000');
    const patched = await admin.call('PATCH', '/api/v1/admin/users/seed-staff-d1', { dimensions: ['safety'] });
    expect(patched.status).toBe(200);
    const staff = await new ApiClient(stack.url).login('13900000001');
    expect((await staff.get(`/api/v1/dimensions/material?scope=district:d1&${Q}`)).status).toBe(403);

    await page.getByTestId('console-logout').click();
    await page.getByTestId('login-phone').fill('13900000001');
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('console').waitFor({ timeout: 15_000 });
    await expect
      .poll(() =>
        page
          .locator('[data-testid^="console-nav-"]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid'))),
      )
      .toEqual(['console-nav-safety', 'console-nav-charts', 'console-nav-pipeline', 'console-nav-notices']);

    await open('safety');
    // Their district is the top: no 全市.
    await expect.poll(() => page.getByTestId('breadcrumb').innerText()).toMatch(/^东城区/);
    await row('zone:z1').click();
    await row('school:s1').click();
    await page.getByTestId('console-detail').waitFor();
    await page.locator('[data-testid="console-item"][data-subject="c-o1"]').waitFor();
    expect(await page.getByTestId('console-action-notice').count()).toBe(1);
    expect(await page.getByTestId('console-action-halt').count()).toBe(0);
    expect(await page.getByTestId('console-action-void').count()).toBe(0);

    // Another district's school, asked for by address: the server refuses it, and the console
    // opens the staff member's own district instead, saying why (nothing of 西城区 is shown).
    expect((await staff.get(`/api/v1/overview?scope=school:s3&${Q}`)).status).toBe(403);
    await page.evaluate(() => {
      window.location.hash = '#/console/safety?scope=school%3As3';
    });
    await expect
      .poll(() => page.getByTestId('console-out-of-scope').innerText(), { timeout: 10_000 })
      .toBe('所要查看的范围不在您的权限内，已为您打开东城区');
    await expect.poll(() => page.getByTestId('breadcrumb').innerText()).toMatch(/^东城区/);
    expect(await page.locator('[data-testid="console-row"][data-scope="school:s3"]').count()).toBe(0);
    // A page outside their dimensions, asked for by address, is not shown.
    await page.evaluate(() => {
      window.location.hash = '#/console/material?scope=district%3Ad1';
    });
    await page.getByTestId('console-page-safety').waitFor();
    expect(await page.getByTestId('console-page-material').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'console-staff.png') });
    expect(pageErrors).toEqual([]);
  });
});
