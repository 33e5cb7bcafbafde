import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from '@edu/streamer/testing';
import type { SteadyLoad } from './traffic.ts';

// One fault after another under steady load, each measured the same way: what was produced
// from its start until the pipeline had caught up, how long after it ended that took, and how
// much was missing when the wait gave up. The one-machine suite (suite.ts) and the cluster's
// (../cluster/faults.ts) both run their faults through this.

export interface Fault {
  name: string;
  /** Breaks something and waits out the outage. */
  inject: () => Promise<void>;
  /** Repairs it (restarts what was stopped); may be a no-op when the system heals itself. */
  heal: () => Promise<void>;
  /**
   * After the pipeline caught up: waits for what follows more slowly (a replica fetching what
   * it missed) and says how long it took, from the fault's end. Its words go into `note`.
   */
  settle?: (healedAt: number) => Promise<string>;
  /** Anything else the fault observed (e.g. screens moving), read after it settled. */
  note?: () => string | undefined;
}

export interface FaultFigures {
  fault: string;
  /** Events produced from the fault's start until the pipeline had caught up. */
  produced: number;
  stored: number;
  lost: number;
  /** Seconds from the fault's end until traffic flowed again and was stored within `delaySeconds`. */
  recoverySeconds: number;
  note?: string;
}

export async function runFaults(
  faults: Fault[],
  opts: {
    load: SteadyLoad;
    /** Distinct events stored so far (rejects while the store is unreachable). */
    stored: () => Promise<number>;
    steadySeconds: number;
    recoveryTimeoutSeconds: number;
    /** The pipeline's delay that counts as caught up: 1 s on one machine; more where every
     *  insert is replicated through ZooKeeper (the cluster). */
    delaySeconds?: number;
    log: (msg: string) => void;
  },
): Promise<FaultFigures[]> {
  const { load, log } = opts;
  const delayMs = (opts.delaySeconds ?? 1) * 1000;
  const figures: FaultFigures[] = [];
  for (const f of faults) {
    await sleep(opts.steadySeconds * 1000);
    const before = load.acked;
    log(`${f.name}…`);
    await f.inject();
    await f.heal();
    const healedAt = Date.now();
    const ackedAtHeal = load.acked;
    // Recovered: traffic flows again (events acknowledged after the fault ended, at least
    // `delaySeconds` ago) and everything acknowledged up to then is stored, i.e. the
    // pipeline's delay is back under `delaySeconds`. While a broker is down nothing may be
    // produced, so "flows again" matters there.
    const deadline = healedAt + opts.recoveryTimeoutSeconds * 1000;
    let target = load.acked;
    let n = 0;
    while (Date.now() < deadline) {
      const ackedBefore = load.ackedAt(Date.now() - delayMs);
      n = await opts.stored().catch(() => 0);
      target = ackedBefore;
      if (ackedBefore > ackedAtHeal && n >= ackedBefore) break;
      await sleep(250);
    }
    const recoverySeconds = (Date.now() - healedAt) / 1000;
    const lost = Math.max(0, target - n);
    log(
      `  ${load.acked - before} produced from its start until caught up; ${lost === 0 ? `caught up ${recoverySeconds.toFixed(1)} s after it ended` : `NOT caught up: ${lost} missing`}`,
    );
    const settled = f.settle ? await f.settle(healedAt) : undefined;
    if (settled) log(`  ${settled}`);
    const note = [f.note?.(), settled].filter(Boolean).join('; ');
    figures.push({
      fault: f.name,
      produced: load.acked - before,
      stored: n,
      lost,
      recoverySeconds,
      ...(note ? { note } : {}),
    });
  }
  return figures;
}

/**
 * Check-ins counted by the read API: the city's attendance curve (`minutes` of GET
 * /api/v1/snapshot), each minute's student figure being the exact number of distinct check-in
 * event ids of that minute; summed over the day, every stored check-in once by its id, whoever
 * checked in. Not `students_present`: since contract v1.1 it counts enrolled students only, and
 * this traffic (a new student per check-in, without end) is enrolled nowhere, so it would count
 * 0. A redelivered check-in carries its original's ts and school, so it falls in the same minute
 * and counts once there: the sum exceeds `produced` if anything is counted twice. Asks again for
 * up to 30 s until the figure reaches `produced`.
 */
export async function checkinsCountedByApi(
  api: ApiClient,
  day: string,
  produced: number,
  log: (msg: string) => void,
): Promise<number> {
  let counted = 0;
  let answer = '';
  for (const until = Date.now() + 30_000; Date.now() < until; await sleep(500)) {
    const r = await api
      .get<{ minutes?: { minute: number; students: number }[] }>(`/api/v1/snapshot?scope=city&date=${day}`)
      .catch((e: unknown) => ({
        status: 0,
        body: { error: String(e) } as { minutes?: { minute: number; students: number }[] },
      }));
    // Sessions live in Redis: one restarted without persistence has forgotten them, and a
    // screen logs in again, as this does.
    if (r.status === 401) await api.login('13800000001').catch(() => undefined);
    const minutes = r.status === 200 ? (r.body.minutes ?? []) : [];
    counted = minutes.reduce((n, p) => n + p.students, 0);
    answer = `${r.status} ${JSON.stringify(r.status === 200 ? { minutes } : r.body).slice(0, 400)}`;
    if (counted >= produced) break;
  }
  if (counted !== produced) log(`  the API's last answer: ${answer}`);
  return counted;
}
