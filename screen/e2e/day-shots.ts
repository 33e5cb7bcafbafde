import { join } from 'node:path';
import { ARTIFACTS, launch } from './browser.ts';

// Screenshots of a running product's wall at moments of its day, as a bureau leader sees it:
// `npm start` in one terminal, then
//
//   npx tsx screen/e2e/day-shots.ts          (DAY_SHOTS_URL=http://127.0.0.1:8080,
//                                             DAY_SHOTS_AT=15:45,16:40,17:40,18:20)
//
// signs in as the leader (the demo's first sign-in changes the initial password to
// DAY_SHOTS_PASSWORD, and later runs use that), opens the wall on the city in headless Chromium
// at 1920×1080 and saves test-artifacts/screen/day-HHMM.png when the wall's own clock (the
// service's, the simulator's virtual day) reaches each moment. The embedded default plays
// 15:15–18:30 and then the next day: a moment the day ends before is reported, not awaited
// forever. Not part of `npm test`.

const URL = process.env.DAY_SHOTS_URL ?? 'http://127.0.0.1:8080';
const PHONE = process.env.DAY_SHOTS_PHONE ?? '13800000001';
const INITIAL = '123456';
const PASSWORD = process.env.DAY_SHOTS_PASSWORD ?? 'Day-shots-2026';
const MOMENTS = (process.env.DAY_SHOTS_AT ?? '15:45,16:40,17:40,18:20').split(',').map((m) => m.trim());

interface Login {
  token: string;
  user: { must_change_password?: boolean };
}

async function post<T>(path: string, body: unknown, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(URL + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as T };
}

async function signIn(): Promise<Login> {
  const first = await post<Login>('/api/v1/auth/login', { phone: PHONE, password: INITIAL });
  if (first.status === 200 && first.body.user.must_change_password) {
    const changed = await post(
      '/api/v1/auth/password',
      { old_password: INITIAL, new_password: PASSWORD },
      first.body.token,
    );
    if (changed.status >= 300) throw new Error(`password change refused: ${JSON.stringify(changed.body)}`);
  } else if (first.status === 200) return first.body;
  const again = await post<Login>('/api/v1/auth/login', { phone: PHONE, password: PASSWORD });
  if (again.status !== 200) throw new Error(`sign-in refused (${again.status}): ${JSON.stringify(again.body)}`);
  return again.body;
}

async function main(): Promise<void> {
  const login = await signIn();
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await context.addInitScript((session) => sessionStorage.setItem('edu.session', session), JSON.stringify(login));
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  await page.goto(`${URL}/?rotate=0&sound=0`);
  const left = [...MOMENTS].sort();
  let day = '';
  let last = '';
  while (left.length > 0) {
    await new Promise((r) => setTimeout(r, 5000));
    const clock = await page
      .locator('.header .clock')
      .innerText()
      .catch(() => '');
    // "2026/12/3 16:42:21": the service's date and time, as of the figures shown.
    const [, date, now] = /^(\S+)\s+(\d\d:\d\d)/.exec(clock.trim()) ?? [];
    if (date && day && date !== day) {
      // The date moved on: the played day ended (and the next began) before these moments.
      console.log(`the day ended at ${last}, before ${left.join(', ')}: not taken`);
      break;
    }
    // Not the day's end: a wall that (re)joins its room is first shown the room's last figures,
    // whose time can be a little older than those of the figures it showed before.
    if (now && now < last) console.log(`the wall's clock went back from ${last} to ${now}`);
    if (date) day = date;
    if (now) last = now;
    while (now && left[0] !== undefined && now >= left[0]) {
      const file = join(ARTIFACTS, `day-${left.shift()!.replace(':', '')}.png`);
      await page.screenshot({ path: file });
      console.log(`${now} ${file}`);
    }
  }
  await browser.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
