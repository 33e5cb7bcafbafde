import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, parseEnv, type Alert, type PushedSnapshot } from '@edu/analytics';
import { withHeldGroups } from '@edu/analytics/live';
import {
  countAnomalies,
  createCity,
  inProcessSink,
  isSchoolDay,
  planDay,
  play,
  sendAll,
  setupEvents,
  windowOf,
} from '@edu/ingest/simulator';
import { ApiClient, connectScreen, join as joinRoom } from '@edu/streamer/testing';
import { z } from 'zod';
import { GovernedClock } from '../src/bench-alerts/clock.ts';
import { ruleTimings } from '../src/bench-alerts/engine.ts';
import {
  caughtIdsOf,
  duration,
  falseAlertLines,
  hhmm,
  kindTable,
  missLines,
  ruleTable,
  verdicts,
} from '../src/bench-alerts/report.ts';
import { RULES, scoreAlerts, type ScoreOptions, type SeenAlert } from '../src/bench-alerts/score.ts';
import { WallTracker } from '../src/bench-alerts/wall.ts';
import { loadEmbeddedConfig } from '../src/embedded-config.ts';
import { startProduct } from '../src/product.ts';

// Alert quality, measured (issue 10): plays one school day of the simulated city through the
// embedded product (simulator → ingest → chDB → the streamer's alert evaluator → the city
// wall) on a fast virtual clock, then scores the alerts against the anomalies the simulator
// injected (its ledger): per rule, injected, alerted, precision, recall, the median delay from
// the anomaly to the alert (simulated time), and the peak number of lines on the city wall as
// a leader's screen receives it. It prints figures and exits 0 whatever they are; non-zero
// only when something crashed.
//
//   npm run bench:alerts -w @edu/deploy                          full default city (1,200 schools)
//   EDU_SIM_SCHOOLS=120 npm run bench:alerts -w @edu/deploy          reduced (students scale with schools)
//
// Settings: EDU_SIM_SEED, EDU_SIM_SCHOOLS, EDU_SIM_STUDENTS (default 500 a school), EDU_SIM_WINDOW_MINUTES
// (15:15–18:30 played in this many real minutes; 20), ALERTS_BENCH_DAY (a school day,
// 2026-11-24), ALERTS_BENCH_TAIL_MINUTES (simulated minutes evaluated after 18:30; 30),
// ALERTS_BENCH_JSON (write the figures there), ALERTS_BENCH_KEEP=1 (keep the chDB data), and
// the alert engine's own EDU_ALERTS_* settings.

const log = (m: string) => console.log(m);
const MIN = 60_000;
/** The product may fall this far (simulated ms) behind the clock before the clock holds. */
const LAG_MS = 15_000;

const benchEnv = z.object({
  ALERTS_BENCH_DAY: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .default('2026-11-24'),
  ALERTS_BENCH_TAIL_MINUTES: z.coerce.number().int().min(0).max(600).default(30),
  ALERTS_BENCH_JSON: z.string().default(''),
  ALERTS_BENCH_KEEP: z.enum(['0', '1']).default('0'),
});

async function main(): Promise<void> {
  let env: z.infer<typeof benchEnv>;
  let embedded: ReturnType<typeof loadEmbeddedConfig>;
  try {
    env = parseEnv(benchEnv, process.env, 'alert benchmark');
    embedded = loadEmbeddedConfig({
      ...process.env,
      EDU_PORT: '0',
      EDU_SIM_STUDENTS: process.env.EDU_SIM_STUDENTS || String(500 * Number(process.env.EDU_SIM_SCHOOLS || 1200)),
    });
    if (!isSchoolDay(env.ALERTS_BENCH_DAY))
      throw new ConfigError(`ALERTS_BENCH_DAY: ${env.ALERTS_BENCH_DAY} is not a school day`);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const sim = embedded.simulator;
  const day = env.ALERTS_BENCH_DAY;
  const { start, end } = windowOf(day);
  const speed = (end - start) / (sim.windowMinutes * MIN);
  const until = end + env.ALERTS_BENCH_TAIL_MINUTES * MIN;
  // The streamer's settings as the product loads them, for the rules' timings.
  const timings = ruleTimings(embedded.streamer);
  const cpu = cpus();
  log(
    `alert quality: ${sim.schools} schools, ${sim.students.toLocaleString()} students, seed ${sim.seed}, ${day} 15:15–18:30 in ${sim.windowMinutes} min (×${speed.toFixed(2)}), then ${env.ALERTS_BENCH_TAIL_MINUTES} simulated min`,
  );
  log(`machine: ${cpu.length} cores (${cpu[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GB; chDB`);

  const dataDir = await mkdtemp(join(tmpdir(), 'edu-alert-bench-'));
  const clock = new GovernedClock(start - MIN);
  const t0 = Date.now();
  const product = await startProduct({
    dataDir,
    ingest: embedded.ingest,
    streamer: embedded.streamer,
    clock,
    staticDir: null,
    log: (m) => console.error(`[edu] ${m}`),
  });
  const evaluator = product.streamer.evaluator;
  const book = product.streamer.alerts;
  try {
    // Every alert's first opening, as the book announces it.
    const seen = new Map<string, SeenAlert>();
    const details = new Map<string, { title: string; detail: string }>();
    const note = (a: Alert) => {
      if (a.state === 'resolved' || seen.has(a.id)) return;
      seen.set(a.id, {
        id: a.id,
        rule: a.rule,
        school_id: a.school_id,
        subject_id: a.subject_id,
        opened: Date.parse(a.opened_at),
      });
      details.set(a.id, { title: a.title, detail: a.detail });
    };
    book.onChange((a) => note(a));

    // How often the rules ran (instrumentation only): one book.reconcile per evaluation, back
    // to back under a steady stream of change signals.
    const rounds: { real: number; sim: number }[] = [];
    const reconcile = book.reconcile.bind(book);
    book.reconcile = (...args: Parameters<typeof reconcile>) => {
      rounds.push({ real: Date.now(), sim: clock.now() });
      return reconcile(...args);
    };

    const city = createCity({ seed: sim.seed, schools: sim.schools, students: sim.students });
    const sink = inProcessSink((events) => product.ingest.submit(events));
    const sent = await sendAll(setupEvents(city, day), sink, { batch: 20_000 });
    await product.ingest.writer.flush();
    await product.streamer.refreshGeography();
    log(`set-up: ${sent.toLocaleString()} events in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

    const plan = planDay(city, day, { anyDay: true });
    const counts = countAnomalies(plan.anomalies);
    log(
      `day: ${plan.size.toLocaleString()} events, ${plan.sessionCount.toLocaleString()} sessions; anomalies injected: ${Object.entries(
        counts,
      )
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );

    // The wall: a leader's screen on the city, as the wall display joins it.
    const api = await new ApiClient(product.url.replace(/\/$/, '')).login('13800000001');
    const wall = new WallTracker();
    const screen = connectScreen(product.url, api.token as string, { reconnect: true });
    // A screen is not pushed the full alert list (PushedSnapshot); the update was computed from
    // the streamer's own book, read here in-process, so each alert's first time on the wall is
    // still known (a group line carries only its first members).
    const onSnapshot = (s: PushedSnapshot) => wall.add(clock.now(), { ...s, alerts: product.streamer.alerts.all() });
    // An update may leave out the groups the screen holds (withHeldGroups), as the wall's store does.
    let held: PushedSnapshot | null = null;
    screen.on('snapshot', (s) => onSnapshot((held = s)));
    screen.on('update', (u) => {
      held = withHeldGroups(held, u);
      if (held) onSnapshot(held);
      else void joinRoom(screen, 'city', day);
    });
    await new Promise<void>((resolve, reject) => {
      screen.once('connect', () => resolve());
      screen.once('connect_error', reject);
    });
    const joined = await joinRoom(screen, 'city', day);
    if (!joined.ok) throw new Error(`the wall could not join the city: ${joined.error ?? ''}`);

    const playStart = Date.now();
    const cursor = plan.cursor();
    clock.run(speed);
    // The clock holds while the next event to send is more than LAG_MS (simulated) overdue.
    const ungovern = clock.govern((now) => (cursor.peekTs() ?? Infinity) < now - LAG_MS);
    const player = play({ cursor, sink, clock });
    const progress = setInterval(() => {
      const p = player.progress();
      const open = book.all().filter((a) => a.state !== 'resolved').length;
      log(
        `  ${hhmm(clock.now())}  events ${p.sent.toLocaleString()}  open alerts ${open}  wall lines ${wall.last?.lines ?? 0} (peak ${wall.peak()?.lines ?? 0})  rule runs ${rounds.length}  clock held ${(clock.held() / 1000).toFixed(0)} s`,
      );
    }, 30_000);
    await player.done;
    ungovern();
    while (clock.now() < until) await sleep(Math.min(1000, clock.realMsUntil(until)));
    clearInterval(progress);
    await evaluator.evaluate();
    await sleep(3000);
    for (const a of book.all()) note(a);
    const playedS = (Date.now() - playStart) / 1000;
    screen.disconnect();

    // Scoring.
    const options: ScoreOptions = {
      transientMs: Object.fromEntries(
        RULES.map((r) => [r, (timings[r].thresholdMinutes + timings[r].pendingMinutes) * MIN + MIN]),
      ),
    };
    const alerts = [...seen.values()].map((a) => {
      const shown = wall.firstShown.get(a.id);
      return shown === undefined ? a : { ...a, onWall: shown };
    });
    const scores = scoreAlerts(plan.anomalies, alerts, options);
    const peak = wall.peak();
    const peakByRule = wall.peakByRule();
    // Rounds while the day played: the interval between two is the delay's resolution.
    const played = rounds.filter((r) => r.sim >= start);
    const gaps = played.slice(1).map((r, k) => ({
      real: r.real - (played[k] as (typeof played)[number]).real,
      sim: r.sim - (played[k] as (typeof played)[number]).sim,
    }));
    const q = (xs: number[], f: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * f)] ?? 0;

    log('');
    log(
      `played in ${playedS.toFixed(0)} s (the clock held ${(clock.held() / 1000).toFixed(0)} s while the product caught up; ×${((until - start + MIN) / (playedS * 1000)).toFixed(2)} overall); the rules ran ${played.length} times, one every ${(
        q(
          gaps.map((g) => g.real),
          0.5,
        ) / 1000
      ).toFixed(1)} s (median; p90 ${(
        q(
          gaps.map((g) => g.real),
          0.9,
        ) / 1000
      ).toFixed(1)} s) = ${duration(
        q(
          gaps.map((g) => g.sim),
          0.5,
        ),
      )} simulated (p90 ${duration(
        q(
          gaps.map((g) => g.sim),
          0.9,
        ),
      )})`,
    );
    log(
      `wall: ${wall.samples.length} snapshots received; peak ${peak?.lines ?? 0} lines (${peak?.alerts ?? 0} alerts, ${peak?.grouped ? 'grouped' : 'one line per alert'}) at ${peak ? hhmm(peak.at) : '—'}`,
    );
    log('');
    log(ruleTable(scores, timings, peakByRule, peak?.lines ?? 0));
    log('');
    log(kindTable(plan.anomalies, caughtIdsOf(plan.anomalies, alerts), options));
    log('');
    log('targets (recall 100%, precision ≥ 95%, median delay ≤ pending + 60 s, peak wall lines ≤ 30):');
    for (const v of verdicts(scores, timings)) log(`  ${v}`);
    log(`  wall: peak ${peak?.lines ?? 0} lines${(peak?.lines ?? 0) > 30 ? ' > 30' : ' — met'}`);
    const why = scores.flatMap((s) => [...missLines(s), ...falseAlertLines(s, details)]);
    if (why.length) {
      log('');
      log('misses and false alerts:');
      for (const line of why) log(line);
    }
    log('');
    log('the wall, most lines per 15 simulated minutes:');
    log(
      `  ${wall
        .series(start, until, 15 * MIN)
        .map((s) => `${hhmm(s.at)} ${s.lines}`)
        .join('  ')}`,
    );

    if (env.ALERTS_BENCH_JSON) {
      await writeFile(
        env.ALERTS_BENCH_JSON,
        JSON.stringify(
          {
            city: sim,
            day,
            speed,
            timings,
            rounds: played.length,
            roundGapsMs: gaps,
            peak,
            peakByRule,
            anomalies: counts,
            scores: scores.map(({ missed, falsePositives, ...s }) => ({
              ...s,
              missed: missed.length,
              falsePositives: falsePositives.length,
            })),
          },
          null,
          2,
        ),
      );
    }
  } finally {
    await product.stop();
    if (env.ALERTS_BENCH_KEEP === '1') log(`data kept in ${dataDir}`);
    else await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`alert benchmark crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
