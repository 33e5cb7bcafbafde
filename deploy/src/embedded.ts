#!/usr/bin/env -S npx tsx
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, shanghaiDay, supervisionSchema, toShanghaiRfc3339, type SupervisionEvent } from '@edu/analytics';
import {
  createCity,
  inProcessSink,
  planDay,
  play,
  sendAll,
  setupEvents,
  startRectifier,
  VirtualClock,
  windowOf,
  type Player,
  type Rectifier,
} from '@edu/ingest/simulator';
import { createLogger } from '@edu/analytics/log';
import { loadEmbeddedConfig, type EmbeddedConfig } from './embedded-config.ts';
import { mapEvents, materialFiles } from './material-files.ts';
import { startProduct, type Product } from './product.ts';
import { statusLine } from './status.ts';

// The embedded default (`npm start`): the whole product in one process on chDB, with the
// simulated city as its schools. The city's after-school window (15:15–18:30) is played in
// EDU_SIM_WINDOW_MINUTES of real time on a virtual clock that ingest, the metrics and the alert
// rules all share, then the next day, and so on. Everything after the simulator is the
// production code path: validation, batched inserts, change signals, the streamer.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// One concise line per event on stderr (`[15:32:10] INFO: …`), so the city's figures, printed
// to stdout every 10 s, stay readable; `info` until the settings are read.
let logger = createLogger({ name: 'edu', format: 'pretty' });
const log = (m: string) => logger.info(m);

async function main(): Promise<void> {
  let cfg: EmbeddedConfig;
  try {
    cfg = loadEmbeddedConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  // EDU_LOG_LEVEL, as ingest and the streamer read it.
  logger = createLogger({ name: 'edu', format: 'pretty', level: cfg.ingest.log.level });
  for (const line of cfg.notApplicable) log(line);
  const dataDir = resolve(root, cfg.dataDir);
  // The simulated materials' files (material-files.ts), served at /files/.
  cfg.streamer.files.dir ||= join(dataDir, 'files');
  let day = shanghaiDay(Date.now());
  const { start, end } = windowOf(day);
  const speed = (end - start) / (cfg.simulator.windowMinutes * 60_000);
  // Without the simulator, the clock is the real one.
  const clock = cfg.simulator.enabled ? new VirtualClock({ start: start - 60_000, speed }) : { now: () => Date.now() };
  const product = await startProduct({
    dataDir,
    ingest: cfg.ingest,
    streamer: cfg.streamer,
    clock,
    staticDir: join(root, 'screen/dist'),
    log: logger,
  });
  log(`wall screen: ${product.url}   (leader 13800000001, initial password 123456 — changed at first login)`);
  // The simulator hands its events over in-process; anything posting here needs a source key.
  log(`event intake: POST ${product.intakeUrl}   (with a source key: the admin issues one in the console, 数据源密钥)`);
  if (!existsSync(join(root, 'screen/dist/index.html'))) log('the screen is not built: npm run build -w @edu/screen');

  let player: Player | null = null;
  let schools: Rectifier | null = null;
  let stopping = false;
  if (cfg.simulator.enabled && clock instanceof VirtualClock) {
    const city = createCity({
      seed: cfg.simulator.seed,
      schools: cfg.simulator.schools,
      students: cfg.simulator.students,
    });
    const sink = inProcessSink((events) => product.ingest.submit(events));
    await setUp(city, day, dataDir, sink, product);
    // The schools' side of 督办: they read the bureau's notices and answer them on the city's clock.
    const rectifier = startRectifier({
      clock,
      sink,
      seed: cfg.simulator.seed,
      onError: (err) => logger.error(`simulated rectifications: ${String(err)}`),
    });
    product.publisher.on((e) => rectifier.observe(e));
    // Notices issued before a restart are still the schools' to answer: read back from the
    // outbox (their answers have fixed ids, so one already stored is stored once).
    for (const e of await readOutbox(product.outbox)) rectifier.observe(e);
    schools = rectifier;
    if (cfg.openBrowser) openBrowser(product.url);
    void (async () => {
      while (!stopping) {
        const plan = planDay(city, day, { anyDay: true });
        log(
          `playing ${day}: ${plan.size.toLocaleString()} events, ${plan.sessionCount.toLocaleString()} sessions, 15:15–18:30 in ${cfg.simulator.windowMinutes} min`,
        );
        player = play({ cursor: plan.cursor(), sink, clock });
        const done = await player.done;
        if (stopping || done.stopped) break;
        // Next day: same city, next date; the clock jumps to that afternoon.
        day = addDay(day);
        clock.restart(windowOf(day).start - 60_000);
      }
    })().catch((err: unknown) =>
      logger.error(`simulator stopped: ${err instanceof Error ? err.message : String(err)}`),
    );
  } else if (cfg.openBrowser) {
    openBrowser(product.url);
  }

  const ticker = setInterval(() => {
    void statusLine(product, clock.now(), player?.progress().sent ?? 0).then(
      (line) => process.stdout.write(`${line}\n`),
      () => {},
    );
  }, 10_000);
  const stop = async (signal: string) => {
    // A second Ctrl-C means now. A stop that hangs (seen once under a heavily loaded machine,
    // the cause not found) must not leave the terminal holding a process that ignores signals:
    // after STOP_GRACE_MS it exits anyway; chDB's parts already written stay.
    if (stopping) {
      log(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal}: stopping (the data stays in ${dataDir})`);
    setTimeout(() => {
      logger.warn(`could not stop cleanly within ${STOP_GRACE_MS / 1000} s: exiting`);
      process.exit(1);
    }, STOP_GRACE_MS).unref();
    clearInterval(ticker);
    await player?.stop();
    await schools?.stop();
    await product.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** The decisions published so far (the product's outbox); a line that does not parse is skipped. */
async function readOutbox(path: string): Promise<SupervisionEvent[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const out: SupervisionEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed = supervisionSchema.safeParse(JSON.parse(line));
      if (parsed.success) out.push(parsed.data);
    } catch {
      // a torn last line (a stop mid-write): skipped
    }
  }
  return out;
}

/** How long a stop may take before the process exits anyway. */
const STOP_GRACE_MS = 15_000;

/** Master data and the term's set-up, once per city and term (a marker file remembers it). */
async function setUp(
  city: ReturnType<typeof createCity>,
  day: string,
  dataDir: string,
  sink: ReturnType<typeof inProcessSink>,
  product: Product,
): Promise<void> {
  const marker = join(
    dataDir,
    `setup-${city.seed}-${city.schools.length}-${city.totalStudents}-${day.slice(0, 7)}-files.done`,
  );
  if (existsSync(marker)) return;
  const t0 = Date.now();
  log(
    `sending the city's master data and term set-up (${city.schools.length} schools, ${city.totalStudents.toLocaleString()} students)…`,
  );
  const files = materialFiles(join(dataDir, 'files'), product.url);
  const n = await sendAll(mapEvents(setupEvents(city, day), files), sink, { batch: 20_000 });
  await product.ingest.writer.flush();
  await product.streamer.refreshGeography();
  log(`set-up: ${n.toLocaleString()} events in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await mkdir(dataDir, { recursive: true });
  await writeFile(marker, toShanghaiRfc3339(Date.now()));
}

function addDay(day: string): string {
  return shanghaiDay(Date.parse(`${day}T12:00:00+08:00`) + 86_400_000);
}

function openBrowser(url: string): void {
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && process.platform === 'linux') return;
  const cmd = process.platform === 'darwin' ? 'open' : 'xdg-open';
  spawn(cmd, [url], { detached: true, stdio: 'ignore' })
    .on('error', () => {})
    .unref();
}

main().catch((err: unknown) => {
  logger.fatal(err, 'fatal');
  process.exit(1);
});
