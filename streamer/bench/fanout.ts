import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessChangeBus, migrate, openChdbStore, type ChangeSignal } from '@edu/analytics';
import { FIXTURE_DAY, fixtureCityEvents } from '@edu/analytics/testing';
import { systemClock } from '../src/clock.ts';
import { ApiClient, startTestStreamer, storeEvents } from '../src/testing/harness.ts';

// Fan-out benchmark (issue: 5,000 screens at one update a second, p99 ≤ 250 ms).
// One streamer (chDB, in-memory shared state) in this process; FANOUT_CLIENTS Socket.IO
// clients in a child process, all on the city scope. Once a second a change signal makes the
// streamer recompute the city and push it to every screen; each client records the time from
// `overview.computed_at` (the snapshot is ready) to its arrival. Prints p50/p95/p99/max.
//
//   npm run bench:fanout -w @edu/streamer        (FANOUT_CLIENTS=5000 FANOUT_SECONDS=30)

const clients = Number(process.env.FANOUT_CLIENTS ?? 5000);
const seconds = Number(process.env.FANOUT_SECONDS ?? 30);

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'edu-fanout-'));
  const store = await openChdbStore({ path: dir, database: 'edu' });
  await migrate(store);
  await storeEvents(store, fixtureCityEvents());
  const bus = new InProcessChangeBus();
  // Real time: the latency is measured against `computed_at`. The fixture day is joined explicitly.
  const clock = systemClock;
  const t = await startTestStreamer(store, {
    clock,
    changes: bus,
    config: { live: { debounceMs: 250, maxWaitMs: 1000, snapshotCacheSeconds: 600 } } as never,
  });
  const api = await new ApiClient(t.url).login('13800000001');

  const started = Date.now();
  const child = fork(
    new URL('./fanout-clients.ts', import.meta.url),
    [t.url, api.token as string, 'city', FIXTURE_DAY, String(clients)],
    { execArgv: ['--import', 'tsx'] },
  );
  const reply = <T>(): Promise<T> => new Promise((resolve) => child.once('message', (m) => resolve(m as T)));
  const ready = await reply<{ ready?: number; error?: string }>();
  if (ready.error) throw new Error(ready.error);
  console.log(`${ready.ready} screens connected and joined in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const signal = (): ChangeSignal => ({
    schools: ['s1'],
    tables: ['checkins'],
    days: [FIXTURE_DAY],
    max_ts_ms: clock.now(),
    stored_ms: Date.now(),
    rows: 1,
  });
  const rss: number[] = [];
  for (let i = 0; i < seconds; i++) {
    await bus.publish(signal());
    await new Promise((r) => setTimeout(r, 1000));
    rss.push(process.memoryUsage().rss);
  }
  await new Promise((r) => setTimeout(r, 1000));
  child.send({ cmd: 'take' });
  const { latencies } = await reply<{ latencies: number[] }>();
  child.send({ cmd: 'exit' });
  latencies.sort((a, b) => a - b);
  const expected = clients * seconds;
  console.log(
    `fan-out: ${clients} screens × ${seconds} updates: ${latencies.length}/${expected} delivered; ` +
      `latency p50 ${pct(latencies, 50)} ms, p95 ${pct(latencies, 95)} ms, p99 ${pct(latencies, 99)} ms, max ${latencies.at(-1)} ms; ` +
      `streamer rss ${(Math.max(...rss) / 2 ** 20).toFixed(0)} MB`,
  );
  await t.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
