#!/usr/bin/env -S npx tsx
// The city simulator as a command: sends the city's master data and term set-up, then plays a
// school day's after-school window to Kafka or the HTTP intake, as the schools' systems would.
// `--help` lists the options. SIGINT/SIGTERM stop after the batch in flight, flush and exit 0.
import { ConfigError, shanghaiDay, termOfDay, toShanghaiRfc3339 } from '@edu/analytics';
import { at, loggerForProcess } from '@edu/analytics/log';
import { createKafka } from '../kafka/client.ts';
import { parseSimulateArgs, USAGE, UsageError, type SimulateOptions } from '../simulator/cli-options.ts';
import {
  createCity,
  followSupervision,
  httpSink,
  kafkaSink,
  nextSchoolDay,
  planDay,
  play,
  sendAll,
  setupEvents,
  startRectifier,
  VirtualClock,
  type City,
  type DayPlan,
  type Player,
  type Sink,
} from '../simulator/index.ts';
import { atMinute } from '../simulator/calendar.ts';
import { ProgressDisplay } from '../simulator/progress-line.ts';

const display = new ProgressDisplay(process.stderr);
// One short line per event, above the progress line (display.log redraws it below).
const logger = loggerForProcess({
  name: 'simulate',
  format: 'pretty',
  level: process.env.EDU_LOG_LEVEL,
  destination: { write: (line: string) => display.log(line.trimEnd()) },
});
const log = at(logger, 'info');

let stopRequested = false;
let firstSignalAt = 0;
let player: Player | undefined;

function onSignal(signal: string): void {
  if (stopRequested) {
    // One Ctrl-C reaches us more than once (npx and tsx relay it to their child): only a
    // signal well after the first one means "stop now".
    if (Date.now() - firstSignalAt < 2000) return;
    log(`${signal} again: exiting without flushing`);
    process.exit(1);
  }
  stopRequested = true;
  firstSignalAt = Date.now();
  log(`${signal}: stopping after the batch in flight…`);
  void player?.stop().catch(() => undefined);
}

function openSink(o: SimulateOptions): Sink {
  if (o.sink === 'http') {
    let warned = 0;
    return httpSink({
      url: o.url,
      sourceKey: o.sourceKey,
      onRejected: (items) => {
        // The intake dead-letters bad items and says why; show the first reasons, not thousands.
        if (warned++ < 5) log(`intake rejected ${items.length} events, e.g. ${items[0]?.code}: ${items[0]?.reason}`);
      },
    });
  }
  const kafka = createKafka({
    brokers: o.brokers,
    clientId: 'edu-simulator',
    sasl: o.kafkaSasl,
    log: logger.child({ component: 'kafka' }),
  });
  return kafkaSink({ kafka, topicPrefix: o.topicPrefix, createTopics: { partitions: 3, replicationFactor: 1 } });
}

/**
 * The schools' side of 督办: they read the bureau's notices on edu.supervision.v1 and sign and
 * answer them on the simulated clock (simulator/rectifier.ts), through the same sink.
 */
async function answerNotices(o: SimulateOptions, sink: Sink): Promise<{ stop(): Promise<void> }> {
  const kafka = createKafka({
    brokers: o.brokers,
    clientId: 'edu-simulator-schools',
    sasl: o.kafkaSasl,
    log: logger.child({ component: 'kafka' }),
  });
  const rectifier = startRectifier({
    clock: { now: () => clock?.now() ?? Date.now() },
    sink,
    seed: o.seed,
    onError: (err) => log(`rectifications: ${String(err)}`),
  });
  const feed = await followSupervision({
    kafka,
    topicPrefix: o.topicPrefix,
    onEvent: (e) => rectifier.observe(e),
    onSkipped: (reason) => log(`edu.supervision.v1: skipped a message (${reason})`),
  });
  return {
    async stop() {
      await feed.stop();
      await rectifier.stop();
    },
  };
}

/** Where the simulated clock starts on `day`. */
function clockStart(o: SimulateOptions, plan: DayPlan): number {
  if (o.startAt === undefined) return plan.windowStart;
  if (o.startAt === 'now') {
    const t = toShanghaiRfc3339(Date.now()).slice(11, 23);
    return Date.parse(`${plan.day}T${t}+08:00`);
  }
  const [h, m, s] = o.startAt.split(':').map(Number) as [number, number, number?];
  return atMinute(plan.day, h * 60 + m, (s ?? 0) * 1000);
}

/** Ingest refuses ts more than an hour ahead of its clock: say so before it happens. */
function warnIfAhead(start: number, plan: DayPlan, speed: number): void {
  const realNow = Date.now();
  const realEnd = realNow + Math.max(0, plan.windowEnd - start) / speed;
  const ahead = Math.max(start - realNow, plan.windowEnd - realEnd);
  if (ahead > 3_600_000) {
    log(
      `warning: the simulated clock will run up to ${(ahead / 3_600_000).toFixed(1)} h ahead of the real one; ` +
        `an ingest checking ts against the real clock rejects events over EDU_INGEST_MAX_FUTURE_MINUTES (60) ahead. ` +
        `Use a past --date, or --speed 1 --start-at now on today's date.`,
    );
  }
}

async function sendSetup(city: City, day: string, sink: Sink): Promise<void> {
  const byType: Record<string, number> = {};
  const sent = await sendAll(setupEvents(city, day), sink, {
    shouldStop: () => stopRequested,
    onBatch: (n, batch) => {
      for (const e of batch) byType[e.type] = (byType[e.type] ?? 0) + 1;
      display.update({ phase: `setup ${termOfDay(day)}`, sent: n, byType });
    },
  });
  log(`set-up for ${termOfDay(day)}: ${sent.toLocaleString('en-US')} events sent${stopRequested ? ' (stopped)' : ''}`);
}

/** One clock for the whole run: restarted at each day's start, except with --start-at now (continuous). */
let clock: VirtualClock | undefined;

async function playDay(o: SimulateOptions, city: City, day: string, sink: Sink): Promise<void> {
  const t0 = Date.now();
  const plan = planDay(city, day, { anyDay: o.anyDay });
  log(
    `${day}: ${plan.sessionCount.toLocaleString('en-US')} sessions, ${plan.size.toLocaleString('en-US')} events planned in ${Date.now() - t0} ms`,
  );
  if (plan.sessionCount === 0) log(`${day} is not a school day: no sessions (--any-day plays it as one)`);
  if (o.speed !== 'max') {
    const start = clockStart(o, plan);
    if (!clock) clock = new VirtualClock({ start, speed: o.speed });
    else if (o.startAt !== 'now') clock.restart(start);
    warnIfAhead(clock.now(), plan, o.speed);
  }
  player = play({
    cursor: plan.cursor(),
    sink,
    clock,
    onProgress: (p) => display.update({ phase: 'play', sent: p.sent, byType: p.byType, simTime: p.simTime }),
  });
  const result = await player.done;
  log(`${day}: ${result.sent.toLocaleString('en-US')} events sent${result.stopped ? ' (stopped)' : ''}`);
}

async function main(): Promise<number> {
  let o: SimulateOptions;
  let city: City;
  try {
    o = parseSimulateArgs(process.argv.slice(2), process.env, shanghaiDay(Date.now()));
    if (o.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    city = createCity({
      seed: o.seed,
      schools: o.schools,
      students: o.students,
      districts: o.districts,
      zones: o.zones,
    });
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof RangeError) {
      process.stderr.write(`simulate: ${err.message}\nRun with --help for the options.\n`);
      return 2;
    }
    throw err;
  }
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  const target =
    o.sink === 'http' ? o.url : `${o.brokers.join(',')}${o.topicPrefix ? ` (prefix ${o.topicPrefix})` : ''}`;
  log(
    `city ${city.prefix}: ${city.districts.length} districts, ${city.zones.length} zones, ${city.schools.length} schools, ` +
      `${city.totalStudents.toLocaleString('en-US')} students → ${o.sink} ${target}`,
  );
  const sink = openSink(o);
  const schools = o.sink === 'kafka' ? await answerNotices(o, sink) : null;
  try {
    let day = o.date;
    if (o.setup) await sendSetup(city, day, sink);
    while (o.play && !stopRequested) {
      await playDay(o, city, day, sink);
      if (o.mode === 'once' || stopRequested) break;
      const next = nextSchoolDay(day, o.anyDay);
      // A new term brings new offerings, enrollments and registrations.
      if (termOfDay(next) !== termOfDay(day)) await sendSetup(city, next, sink);
      day = next;
    }
  } finally {
    display.finish();
    await schools?.stop();
    await sink.close();
  }
  log(stopRequested ? 'stopped cleanly' : 'done');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    display.finish();
    logger.fatal(err, 'stopped by an error');
    process.exit(1);
  },
);
