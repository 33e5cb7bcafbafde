import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Overview } from '@edu/analytics';
import { WALL_STALE_AFTER_MS } from '@edu/analytics/live';
import { FIXTURE_DAY } from '@edu/analytics/testing';
import { createCity, kafkaSink, planDay, play, sendAll, setupEvents } from '@edu/ingest/simulator';
import { ApiClient, listening, OwnRedis } from '@edu/streamer/testing';
import { heapGrowth, heapSplit, heapSummary, launch, pageMetrics, type HeapSummary } from './browser.ts';
import { DIST, startStack } from './stack.ts';

// The paired display's soak (issue 12, "Must show"): a wall display paired on the city scope
// runs for SOAK_MINUTES under the simulator, with the streamer restarted at about a third of
// the run and Redis at about two thirds; it must never show the login or pairing form, its
// heap must stay flat (the last 10 minutes' mean within 10% of the first 10's) and it must
// never show stale data without saying so.
//
// The real stack runs in this process (stack.ts: Kafka under a test prefix, ingest, a fresh
// ClickHouse database, the streamer serving screen/dist) on a Redis this script starts itself
// (its own port and folder, append-only file on, never the machine's 6379 nor the tests' 6389).
// The simulator (ingest/src/simulator) plays a reduced seeded city (SOAK_SIM_SCHOOLS) into
// Kafka: its master data and term set-up, then the fixture day's after-school window on the
// stack's clock from SOAK_AT (real speed), so the wall moves as it does in production.
//
// The administrator registers the display through the API (the browser test covers the page);
// the wall, a headless Chromium with no session, types the code in the pairing form. Every 5 s
// the page is checked (login or pairing form on screen, the stale and disconnected banners);
// pushes (the socket's snapshot and update frames, which are what the wall's 推送 age counts)
// are timed over the DevTools protocol; every 30 s the JS heap is read after a forced GC.
//
//   npx tsx screen/e2e/soak-display.ts    (SOAK_MINUTES=60; needs the services — Kafka and
//   npm run soak:display -w @edu/screen    ClickHouse — and npm run build -w @edu/screen)

const MINUTES = Number(process.env.SOAK_MINUTES ?? 60);
const SAMPLE_MS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 30) * 1000;
const CHECK_MS = 5000;
const SCHOOLS = Number(process.env.SOAK_SIM_SCHOOLS ?? 120);
const START_AT = process.env.SOAK_AT ?? '16:00';
/** The heap windows: 10 minutes on an hour's run, a sixth of a shorter one. */
const WINDOW_MIN = MINUTES >= 60 ? 10 : MINUTES / 6;
const HEAP_LIMIT = 1.1;
/** The stale banner looks at the clock every 5 s (components/StaleBanner.tsx): its own lag. */
const BANNER_TICK_MS = 5000;
const RECOVERY_TIMEOUT_MS = 5 * 60_000;
/** How long Redis stays down after it is killed, before it is started again. */
const REDIS_DOWN_MS = Number(process.env.SOAK_REDIS_DOWN_SECONDS ?? 10) * 1000;

const log = (s: string) => console.log(s);
const elapsedMin = (t0: number) => (Date.now() - t0) / 60_000;

interface Sample {
  min: number;
  heapMb: number;
  nodes: number;
  /** The last push's size (characters of its frame): what the wall holds of the scope's data. */
  pushKb: number;
  /** Alert lines, the alerts they stand for (a folded line draws only its count), notice lines. */
  groups: number;
  members: number;
  notices: number;
}

/** Killed on a crash too: nothing of this soak outlives it. */
let ownRedis: OwnRedis | undefined;
let ownStack: { close(): Promise<void> } | undefined;

async function main(): Promise<number> {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('screen/dist is missing: npm run build -w @edu/screen');
  let redisPort = 0;
  for (let i = 0; i < 20 && !redisPort; i++) {
    const p = 18_000 + Math.floor(Math.random() * 2000);
    if (!(await listening(p))) redisPort = p;
  }
  const redis = new OwnRedis(redisPort, mkdtempSync(join(tmpdir(), 'edu-soak-redis-')), { persist: true });
  ownRedis = redis;
  await redis.start();
  const stack = await startStack({ at: START_AT, redisUrl: redis.url });
  ownStack = stack;
  log(`stack at ${stack.url} (fixture day ${FIXTURE_DAY}, clock from ${START_AT}); own Redis ${redis.url}`);

  // The simulator: a reduced seeded city into Kafka, then the day's window on the stack's clock.
  const city = createCity({ seed: 20261128, schools: SCHOOLS, students: SCHOOLS * 500 });
  const sink = kafkaSink({ kafka: stack.kafka, topicPrefix: stack.prefix });
  const setupSent = await sendAll(setupEvents(city, FIXTURE_DAY), sink);
  const plan = planDay(city, FIXTURE_DAY);
  const player = play({ cursor: plan.cursor(), sink, clock: stack.clock });
  log(
    `simulator: ${city.schools.length} schools, ${city.totalStudents} students; set-up ${setupSent} events; ` +
      `${FIXTURE_DAY}: ${plan.sessionCount} sessions, ${plan.size} events, played on the stack's clock`,
  );
  const admin = await new ApiClient(stack.url).login('13800000000');
  for (let i = 0; i < 600; i++) {
    await stack.streamer.refreshGeography();
    const o = (await admin.get<Overview>(`/api/v1/overview?scope=city&date=${FIXTURE_DAY}`)).body;
    if ((o.metrics?.sessions_scheduled ?? 0) > 0 && stack.streamer.geo().districts.size > 0) break;
    await sleep(500);
  }
  const reg = await admin.post<{ code: string }>('/api/v1/admin/displays', {
    name: '全市指挥中心屏 (soak)',
    scope: 'city',
  });
  if (reg.status !== 201 && reg.status !== 200) throw new Error(`registering the display: ${reg.status}`);

  const browser = await launch();
  const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message.slice(0, 300)));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('Network.enable');
  // Pushes: the socket's snapshot and update frames (state/live.ts sets receivedAt on those).
  const pushes: number[] = [];
  let lastPush = 0;
  let lastPushChars = 0;
  // Snapshots (a join's answer) and updates with the alert groups: an update leaves them out
  // when the wall holds them, and a wall that cannot make one whole joins again (issue 13).
  const frames = { snapshots: 0, updates: 0, withGroups: 0 };
  cdp.on('Network.webSocketFrameReceived', (e: { response: { payloadData: string } }) => {
    const d = e.response.payloadData;
    if (d.startsWith('42["update"') || d.startsWith('42["snapshot"')) {
      lastPush = Date.now();
      lastPushChars = d.length;
      pushes.push(lastPush);
      if (d.startsWith('42["snapshot"')) frames.snapshots++;
      else {
        frames.updates++;
        if (d.includes('"alert_groups":')) frames.withGroups++;
      }
    }
  });
  // A login or pairing form appearing even between two checks is reported by the page itself.
  const formsSeen: string[] = [];
  page.on('console', (m) => {
    if (m.text().startsWith('SOAK_FORM ')) formsSeen.push(m.text().slice(10));
  });
  // The wall's socket connections (1 + its reconnects).
  let sockets = 0;
  cdp.on('Network.webSocketCreated', () => sockets++);
  let reloads = 0;
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) reloads++;
  });

  await page.goto(`${stack.url}/`);
  await page.getByTestId('pairing-code').fill(reg.body.code);
  await page.getByTestId('pairing-submit').click();
  await page
    .getByTestId('kpi-sessions_scheduled')
    .locator('.kpi-value[data-value]:not([data-value=""])')
    .waitFor({ timeout: 30_000 });
  // As text: tsx's helpers (__name) do not exist in the page.
  const watchForms = `(() => {
    const look = () => {
      const f = document.querySelector('[data-testid="pairing-form"], [data-testid="login-phone"]');
      if (f) console.log('SOAK_FORM ' + f.getAttribute('data-testid') + ' ' + new Date().toISOString());
    };
    look();
    new MutationObserver(look).observe(document, { childList: true, subtree: true });
  })()`;
  await page.addInitScript({ content: watchForms });
  await page.evaluate(watchForms);
  reloads = 0;
  sockets = 1;
  log(`wall paired on the city scope (code ${reg.body.code}); ${MINUTES} min from now`);

  const sample = async (t0: number): Promise<Sample> => {
    const { heapMb, nodes } = await pageMetrics(cdp);
    const sizes = await page.evaluate(() => ({
      groups: document.querySelectorAll('[data-testid="alert-feed"] > li').length,
      members:
        document.querySelectorAll('[data-testid="alert-feed"] > li.alert-line').length +
        [...document.querySelectorAll('[data-testid="alert-feed"] .alert-count')].reduce(
          (n, c) => n + Number(c.textContent),
          0,
        ),
      notices: document.querySelectorAll('[data-testid="notice-item"]').length,
    }));
    return { min: elapsedMin(t0), heapMb, nodes, pushKb: lastPushChars / 1024, ...sizes };
  };
  const screen = () =>
    page.evaluate(() => ({
      form: !!document.querySelector('[data-testid="pairing-form"], [data-testid="login-phone"]'),
      stale: !!document.querySelector('[data-testid="stale-banner"]'),
      disconnected: !!document.querySelector('[data-testid="disconnected-banner"]'),
      connection: document.querySelector('[data-testid="connection"]')?.textContent?.trim() ?? '',
    }));

  const t0 = Date.now();
  const end = t0 + MINUTES * 60_000;
  const samples: Sample[] = [await sample(t0)];
  let checks = 0;
  let formOnScreen = 0;
  let staleChecks = 0;
  let staleAnnounced = 0;
  let staleUnannounced = 0;
  let staleInTick = 0;
  let maxGapMs = 0;
  let checkErrors = 0;
  const recoveries: { what: string; at: number; downMs: number; recoverMs: number | null; pushesWhileDown: number }[] =
    [];

  /** Waits for the first push after `from` (the wall shows live data again); ms since `since`. */
  const nextPush = async (since: number, from: number): Promise<number | null> => {
    while (Date.now() - since < RECOVERY_TIMEOUT_MS) {
      const p = pushes.find((t) => t > from);
      if (p !== undefined) return p - since;
      await sleep(100);
    }
    return null;
  };
  const restart = async (what: string, stop: () => Promise<void>, start: () => Promise<void>) => {
    const at = Date.now();
    log(`${elapsedMin(t0).toFixed(1).padStart(6)}  — ${what}: stopping`);
    await stop();
    const stopped = Date.now();
    await start();
    const started = Date.now();
    const recoverMs = await nextPush(at, started);
    const pushesWhileDown = pushes.filter((t) => t > stopped && t <= started).length;
    recoveries.push({ what, at: (at - t0) / 60_000, downMs: started - at, recoverMs, pushesWhileDown });
    log(
      `${elapsedMin(t0).toFixed(1).padStart(6)}  — ${what}: down ${((started - at) / 1000).toFixed(1)} s, ` +
        `live again ${recoverMs === null ? 'NEVER' : `${(recoverMs / 1000).toFixed(1)} s`} after the stop`,
    );
  };
  let restarts = Promise.resolve();
  const streamerAt = t0 + (MINUTES * 60_000) / 3;
  const redisAt = t0 + (2 * MINUTES * 60_000) / 3;
  let streamerDone = false;
  let redisDone = false;

  log(' minute  heap MB  DOM nodes  push KB  lines  members  notices  last push  banner          connection');
  let nextSample = t0 + SAMPLE_MS;
  // What the heap holds more of at the end than after the first window (by kind): the growth
  // the heap figure measures, named.
  let heapAfterFirst: HeapSummary | undefined;
  while (Date.now() < end) {
    await sleep(CHECK_MS);
    if (!streamerDone && Date.now() >= streamerAt) {
      streamerDone = true;
      restarts = restarts.then(() =>
        restart(
          'streamer restart',
          async () => {},
          () => stack.restartStreamer(),
        ),
      );
    }
    if (!redisDone && Date.now() >= redisAt) {
      redisDone = true;
      const keys = redis.keys();
      restarts = restarts.then(() =>
        restart(
          `Redis killed (${keys} keys), restarted after ${REDIS_DOWN_MS / 1000} s`,
          async () => {
            await redis.stop('SIGKILL');
            await sleep(REDIS_DOWN_MS);
          },
          async () => {
            await redis.start();
            log(`          Redis back with ${redis.keys()} keys`);
          },
        ),
      );
    }
    let s: Awaited<ReturnType<typeof screen>>;
    try {
      s = await screen();
    } catch {
      checkErrors++;
      continue;
    }
    checks++;
    const gap = Date.now() - lastPush;
    maxGapMs = Math.max(maxGapMs, gap);
    if (s.form) formOnScreen++;
    const says = s.stale || s.disconnected;
    if (gap > WALL_STALE_AFTER_MS) {
      staleChecks++;
      if (says) staleAnnounced++;
      else if (gap > WALL_STALE_AFTER_MS + BANNER_TICK_MS) staleUnannounced++;
      else staleInTick++;
    }
    if (!heapAfterFirst && elapsedMin(t0) >= WINDOW_MIN) heapAfterFirst = await heapSummary(cdp);
    if (Date.now() >= nextSample) {
      nextSample += SAMPLE_MS;
      const x = await sample(t0);
      samples.push(x);
      const banner = s.stale ? 'stale' : s.disconnected ? 'disconnected' : s.form ? 'FORM' : '—';
      log(
        `${x.min.toFixed(1).padStart(7)}  ${x.heapMb.toFixed(1).padStart(7)}  ${String(x.nodes).padStart(9)}  ` +
          `${x.pushKb.toFixed(0).padStart(7)}  ${String(x.groups).padStart(5)}  ${String(x.members).padStart(7)}  ` +
          `${String(x.notices).padStart(7)}  ${(gap / 1000).toFixed(0).padStart(7)} s  ${banner.padEnd(14)}  ${s.connection}`,
      );
    }
  }
  await restarts;
  const heapAtEnd = await heapSummary(cdp);
  await player.stop();

  // ---- The figures ----
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const firstW = samples.filter((x) => x.min <= WINDOW_MIN);
  const lastW = samples.filter((x) => x.min >= MINUTES - WINDOW_MIN);
  const firstHeap = mean(firstW.map((x) => x.heapMb));
  const lastHeap = mean(lastW.map((x) => x.heapMb));
  const ratio = lastHeap / firstHeap;
  const windowText =
    MINUTES >= 60
      ? 'first 10 min vs last 10 min'
      : `first vs last sixth (${WINDOW_MIN.toFixed(1)} min each: the run is shorter than 60 min)`;
  const forms = formOnScreen + formsSeen.length;
  const missed: string[] = [];
  if (forms > 0) missed.push('a login or pairing form was shown');
  if (staleUnannounced > 0) missed.push('stale data without a banner');
  if (!(ratio <= HEAP_LIMIT)) missed.push(`heap grew ${((ratio - 1) * 100).toFixed(1)}%`);
  for (const r of recoveries) if (r.recoverMs === null) missed.push(`no live data after the ${r.what}`);
  if (recoveries.length < 2) missed.push('a restart did not happen');

  const row = (a: string, b: string, c: string) => log(`| ${a.padEnd(52)} | ${b.padEnd(44)} | ${c.padEnd(22)} |`);
  log('');
  log(
    `paired display soak: ${MINUTES} min on the city scope, simulator ${SCHOOLS} schools (${player.progress().sent} ` +
      `events played from ${START_AT} of ${FIXTURE_DAY}), ${pushes.length} pushes, ${checks} checks every ` +
      `${CHECK_MS / 1000} s, ${samples.length} heap samples every ${SAMPLE_MS / 1000} s`,
  );
  if (MINUTES < 60) log(`shorter than 60 min: the heap windows are the run's first and last sixth, not 10 min`);
  row('figure', 'result', 'target');
  row('-'.repeat(52), '-'.repeat(44), '-'.repeat(22));
  row(
    `JS heap after GC, ${windowText}`.slice(0, 52),
    `${firstHeap.toFixed(2)} → ${lastHeap.toFixed(2)} MB (×${ratio.toFixed(3)})`,
    `≤ ×${HEAP_LIMIT.toFixed(2)}`,
  );
  if (windowText.length > 52) log(`  (${windowText})`);
  const firstLast = (f: (x: Sample) => number, d = 0) =>
    `${f(samples[0]!).toFixed(d)} → ${f(samples.at(-1)!).toFixed(d)}`;
  row(
    'DOM nodes, first → last sample',
    firstLast((x) => x.nodes),
    '—',
  );
  row(
    'last push, KB, first → last sample',
    firstLast((x) => x.pushKb),
    '—',
  );
  row(
    'alert lines / members / notices, first → last',
    `${firstLast((x) => x.groups)} / ${firstLast((x) => x.members)} / ${firstLast((x) => x.notices)}`,
    '—',
  );
  row('login or pairing form shown', forms === 0 ? 'never' : `${forms} time(s)`, 'never');
  row(
    `stale (no push > ${WALL_STALE_AFTER_MS / 1000} s) without a banner`,
    `${staleUnannounced} of ${checks} checks`,
    '0',
  );
  row(
    'checks stale: with a banner (stale or disconnected)',
    `${staleChecks}: ${staleAnnounced} (+${staleInTick} within the banner's 5 s tick)`,
    '—',
  );
  row('longest gap between pushes', `${(maxGapMs / 1000).toFixed(1)} s`, '—');
  for (const r of recoveries)
    row(
      `${r.what} at ${r.at.toFixed(1)} min`.slice(0, 52),
      `live again ${r.recoverMs === null ? 'never' : `${(r.recoverMs / 1000).toFixed(1)} s`} after the stop (down ${(r.downMs / 1000).toFixed(1)} s)`,
      'by itself',
    );
  row('socket connections (1 + reconnects)', String(sockets), '—');
  row(
    'snapshots; updates, of them with the alert groups',
    `${frames.snapshots}; ${frames.updates}, ${frames.withGroups}`,
    'snapshots ≈ connections',
  );
  row('page reloads, page errors, failed checks', `${reloads}, ${pageErrors.length}, ${checkErrors}`, '—');
  for (const e of pageErrors.slice(0, 5)) log(`  page error: ${e}`);
  if (heapAfterFirst) {
    const [a, b] = [heapSplit(heapAfterFirst), heapSplit(heapAtEnd)];
    log(
      `heap snapshots, minute ${WINDOW_MIN.toFixed(1)} → the end: compiled code ${a.codeMb.toFixed(2)} → ` +
        `${b.codeMb.toFixed(2)} MB, the rest ${a.otherMb.toFixed(2)} → ${b.otherMb.toFixed(2)} MB`,
    );
    log(`heap growth by kind, after minute ${WINDOW_MIN.toFixed(1)} → the end (KB, count):`);
    for (const g of heapGrowth(heapAfterFirst, heapAtEnd))
      log(`  ${(g.bytes / 1024).toFixed(0).padStart(7)} KB  ${String(g.count).padStart(7)}  ${g.key}`);
  }
  for (const f of formsSeen.slice(0, 5)) log(`  form seen: ${f}`);
  log(missed.length ? `MISSED: ${missed.join('; ')}` : 'all targets met');

  await browser.close();
  await stack.close();
  await redis.stop('SIGTERM');
  rmSync(redis.dir, { recursive: true, force: true });
  return missed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    console.error(err);
    await ownStack?.close().catch(() => {});
    await ownRedis?.stop('SIGTERM');
    process.exit(2);
  },
);
