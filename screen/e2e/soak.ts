import { FIXTURE_DAY, fixtureCityEvents } from '@edu/analytics/testing';
import { produceEvents } from '@edu/ingest/testing/kafka';
import { ApiClient, TEST_PASSWORD } from '@edu/streamer/testing';
import type { Overview } from '@edu/analytics';
import { launch, pageMetrics } from './browser.ts';
import { startStack } from './stack.ts';

// The wall's soak (issue: hours of updates without memory growth; main thread under 30% busy
// at 1080p; first screen with live data within 2 s). The real stack runs in this process;
// check-ins go into Kafka SOAK_RATE times a second for SOAK_MINUTES, each one changing the
// city's numbers, so the wall gets an update about every streamer debounce window — at the
// default 4/s, ten minutes carry as many updates as 40 minutes at one a second. Every 30 s the
// page's JS heap (after a forced GC), DOM node count and main-thread task time are sampled
// over the Chrome DevTools Protocol.
//
//   npx tsx screen/e2e/soak.ts            (SOAK_MINUTES=10 SOAK_RATE=4; needs deploy/services/up.sh
//                                          and npm run build -w @edu/screen)

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const RATE = Number(process.env.SOAK_RATE ?? 4);
const SAMPLE_MS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 30) * 1000;

async function main(): Promise<void> {
  const stack = await startStack();
  await produceEvents(stack.kafka, stack.prefix, fixtureCityEvents());
  const api = await new ApiClient(stack.url).login('13800000001');
  for (let i = 0; i < 100; i++) {
    const o = (await api.get<Overview>(`/api/v1/overview?scope=city&date=${FIXTURE_DAY}`)).body;
    if (o.metrics.sessions_scheduled === 4) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await stack.streamer.refreshGeography();
  const browser = await launch();
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });

  // First screen: from navigation (signed in) to the first live KPI on screen.
  const login = await api.post<{ token: string; user: unknown }>('/api/v1/auth/login', {
    phone: '13800000001',
    password: TEST_PASSWORD,
  });
  await page.addInitScript(
    (session) => sessionStorage.setItem('edu.session', session),
    JSON.stringify({ token: login.body.token, user: login.body.user }),
  );
  const t0 = Date.now();
  await page.goto(`${stack.url}/?date=${FIXTURE_DAY}&rotate=0&sound=0`);
  await page
    .getByTestId('kpi-attendance_rate')
    .locator('.kpi-value[data-value]:not([data-value=""])')
    .waitFor({ timeout: 30_000 });
  const firstScreenMs = Date.now() - t0;

  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const sample = async () => ({ at: Date.now(), ...(await pageMetrics(cdp)) });

  let seq = 0;
  const producer = setInterval(() => {
    const i = seq++;
    void produceEvents(stack.kafka, stack.prefix, [
      {
        id: `soak-${i}`,
        type: 'checkin',
        ts: `${FIXTURE_DAY}T15:${String(30 + (i % 29)).padStart(2, '0')}:00+08:00`,
        school_id: 's1',
        session_id: 'se1',
        person: 'student',
        person_id: `soak-st${i}`,
        method: 'face',
      },
    ]);
  }, 1000 / RATE);

  const samples = [await sample()];
  console.log(`first screen with live data: ${firstScreenMs} ms`);
  console.log('minute  heap MB  DOM nodes  main thread busy');
  const end = Date.now() + MINUTES * 60_000;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
    const s = await sample();
    const prev = samples.at(-1) as (typeof samples)[number];
    samples.push(s);
    const busy = ((s.taskSeconds - prev.taskSeconds) / ((s.at - prev.at) / 1000)) * 100;
    console.log(
      `${((s.at - samples[0]!.at) / 60_000).toFixed(1).padStart(6)}  ${s.heapMb.toFixed(1).padStart(7)}  ${String(s.nodes).padStart(9)}  ${busy.toFixed(1).padStart(8)}%`,
    );
  }
  clearInterval(producer);
  const first = samples[1] ?? samples[0]!;
  const last = samples.at(-1)!;
  const busyAll = ((last.taskSeconds - samples[0]!.taskSeconds) / ((last.at - samples[0]!.at) / 1000)) * 100;
  console.log(
    `soak: ${seq} events over ${MINUTES} min; heap ${first.heapMb.toFixed(1)} → ${last.heapMb.toFixed(1)} MB, ` +
      `DOM nodes ${first.nodes} → ${last.nodes}, main thread busy ${busyAll.toFixed(1)}% on average; first screen ${firstScreenMs} ms`,
  );
  await browser.close();
  await stack.close();
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
