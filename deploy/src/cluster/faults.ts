import { setTimeout as sleep } from 'node:timers/promises';
import {
  INBOUND_TOPICS,
  openServerStore,
  shanghaiDay,
  toShanghaiRfc3339,
  type InboundEvent,
  type Store,
} from '@edu/analytics';
import { replicaCopy, setReplicaFetches } from '@edu/analytics/testing';
import { produceEvents } from '@edu/ingest/testing/kafka';
import { ApiClient } from '@edu/streamer/testing';
import { Kafka, logLevel } from 'kafkajs';
import { checkinsCountedByApi, runFaults, type Fault, type FaultFigures } from '../faults/measure.ts';
import { Screens } from '../faults/screens.ts';
import { fixture, SteadyLoad } from '../faults/traffic.ts';
import { LAYOUT, replicaOf } from './layout.ts';
import { LocalCluster, ROOT } from './local.ts';

// The fault suite on the cluster layout run for real (local.ts): steady check-ins into the
// three-broker quorum, two ingest members writing through two ClickHouse replicas, three
// streamers behind nginx with screens connected through it, and one fault after another:
// the Kafka broker leading a partition of the check-ins SIGKILLed, a ClickHouse replica
// stopped, an ingest member SIGKILLed, a streamer SIGKILLed under its screens, ZooKeeper
// stopped. At the end every event produced must be stored once on both replicas and counted
// once by the read API through nginx. It starts its own cluster (own ports, own data) and
// stops it at the end.

/** The streamers' /metrics (screens connected to each) for this suite's own cluster. */
const METRICS_TOKEN = 'cluster-faults-metrics';

export interface ClusterFaultOptions {
  /** Check-ins per second throughout. */
  rate: number;
  /** How long a broker, an ingest member and a streamer stay down. */
  faultSeconds: number;
  /** How long the ClickHouse replica stays down. */
  replicaDownSeconds: number;
  zookeeperDownSeconds: number;
  steadySeconds: number;
  /** Screens connected through nginx, each from an address of its own (spread over the streamers). */
  screens: number;
  recoveryTimeoutSeconds: number;
  /** EDU_CLUSTER_PORT_BASE of the suite's cluster: apart from `local.sh up`'s. */
  portBase: number;
  /** Partitions per inbound topic: fewer than the layout's 12 make a killed broker's restart
   *  (log recovery of every partition it holds) fit a 2-core machine's budget. */
  topicPartitions?: number;
  /** After each fault, also wait for both replicas to hold everything and say when (the
   *  reduced form checks that once, at the end, to fit the test suite's time). */
  settleEachFault?: boolean;
  /** Leave the cluster running at the end (to look at it). */
  keep?: boolean;
  log: (msg: string) => void;
}

export interface ReplicaFigures {
  replica: string;
  rows: number;
  distinct: number;
}

export interface ClusterFaultResult {
  faults: FaultFigures[];
  produced: number;
  replicas: ReplicaFigures[];
  countedByApi: number;
  lost: number;
  doubleCounted: number;
  screensDropped: number;
  screensResynced: number;
  /** Fresh reads through a replica that stopped fetching: seconds until the API counted every stored check-in. */
  staleReadSeconds: number;
  startSeconds: number;
}

export async function runClusterFaults(opts: ClusterFaultOptions): Promise<ClusterFaultResult> {
  const cluster = new LocalCluster({
    layout: { ...LAYOUT, topicPartitions: opts.topicPartitions ?? LAYOUT.topicPartitions },
    portBase: opts.portBase,
    dir: `${process.env.EDU_STATE_DIR ?? `${ROOT}.cache`}/cluster-faults`,
    simulator: false,
    log: (m) => opts.log(`  [cluster] ${m}`),
    // Short retries, as in the one-machine suite: catch-up is measured to the second. Batches
    // keep their default (500 ms): every insert into a replicated table is a few ZooKeeper
    // writes, and 100 ms batches made ingest fall behind a 200/s load on 2 cores.
    appEnv: { EDU_INGEST_RETRY_MIN_MS: '100', EDU_INGEST_RETRY_MAX_MS: '1000', EDU_METRICS_TOKEN: METRICS_TOKEN },
  });
  try {
    const t0 = Date.now();
    await cluster.up(true);
    const startSeconds = (Date.now() - t0) / 1000;
    opts.log(`cluster up from clean in ${startSeconds.toFixed(1)} s`);
    return await underFaults(cluster, opts, startSeconds);
  } finally {
    // Stopped even when a fault went wrong: a cluster left behind would load the next test.
    // Killed: its data is wiped at the next start anyway.
    if (!opts.keep) await cluster.down('kill');
  }
}

async function underFaults(
  cluster: LocalCluster,
  opts: ClusterFaultOptions,
  startSeconds: number,
): Promise<ClusterFaultResult> {
  const log = opts.log;

  const kafka = new Kafka({
    clientId: 'cluster-faults',
    brokers: cluster.brokers.split(','),
    logLevel: logLevel.NOTHING,
    // A broker's crash fences it after 4 s (kafka.sh); the budget must outlast that.
    retry: { retries: 15, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  const day = shanghaiDay(Date.now());
  await produceEvents(kafka, '', fixture(day));
  const replicas: Store[] = [];
  for (let i = 0; i < cluster.layout.clickhouse.length; i++) {
    replicas.push(await openServerStore({ url: cluster.clickhouseUrl(i), database: cluster.database }));
  }
  /** Distinct check-ins in one replica's own table (not through Distributed: this replica's copy). */
  const local = (r: Store) => replicaCopy(r, 'checkins');
  // Caught up = stored on a replica (what a read through the Distributed tables sees, a
  // lagging replica's reads going to the other); both replicas holding everything is each
  // fault's `settle`, measured after.
  const distinctPerReplica = () =>
    Promise.all(
      replicas.map((r) =>
        local(r).then(
          (c): number | null => c.distinct,
          () => null,
        ),
      ),
    );
  const stored = async () => {
    const up = (await distinctPerReplica()).filter((c): c is number => c !== null);
    if (up.length === 0) throw new Error('no replica answers');
    return Math.max(...up);
  };

  const api = await new ApiClient(cluster.balancerUrl).login('13800000001');
  const screens = new Screens(cluster.balancerUrl, api.token as string, day, opts.screens, true);
  await screens.connect();
  const load = new SteadyLoad(kafka, '', opts.rate, day);
  await load.start();
  const replicasEqual = async (healedAt: number) => {
    for (const until = Date.now() + opts.recoveryTimeoutSeconds * 1000; Date.now() < until; await sleep(250)) {
      const [a, b] = await distinctPerReplica();
      if (a !== null && a !== undefined && a === b && a >= load.ackedAt(healedAt)) {
        return `both replicas hold the same ${((Date.now() - healedAt) / 1000).toFixed(1)} s after it ended`;
      }
    }
    return `the replicas still DIFFER ${opts.recoveryTimeoutSeconds} s after it ended`;
  };

  const settle = opts.settleEachFault === false ? undefined : replicasEqual;
  let screensDropped = 0;
  let screensNote = '';
  let screensResynced = 0;
  const admin = kafka.admin();
  await admin.connect();
  const leaderOfCheckins = async () => {
    const md = await admin.fetchTopicMetadata({ topics: [INBOUND_TOPICS.checkin] });
    const leader = md.topics[0]?.partitions.find((p) => p.partitionId === 0)?.leader;
    const broker = cluster.layout.kafka.find((k) => k.id === leader);
    if (!broker) throw new Error(`no leader for ${INBOUND_TOPICS.checkin}[0]`);
    return broker.name;
  };
  const second = cluster.layout.clickhouse[1]?.name as string;
  const firstIngest = cluster.layout.ingest[0] as string;
  // The streamer holding the most screens (nginx spreads them by address; which one holds
  // how many depends on the hash and on which were up when they connected).
  let busiest = cluster.layout.streamers[0] as string;
  const screensOn = async (i: number) => {
    const r = await fetch(`http://127.0.0.1:${cluster.ports.streamers[i]}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    }).catch(() => null);
    const text = r?.ok ? await r.text() : '';
    return Number(/^edu_sockets_connected (\d+)/m.exec(text)?.[1] ?? 0);
  };

  let killedBroker = '';
  let replicaNote = '';
  const faults: Fault[] = [
    {
      name: `the Kafka broker leading ${INBOUND_TOPICS.checkin}[0] SIGKILLed, restarted after ${opts.faultSeconds} s`,
      inject: async () => {
        killedBroker = await leaderOfCheckins();
        log(`  ${killedBroker} leads partition 0`);
        await cluster.part(killedBroker).stop('kill');
        await sleep(opts.faultSeconds * 1000);
      },
      heal: () => cluster.part(killedBroker).start(),
      settle,
    },
    {
      name: `ClickHouse replica ${second} stopped (SIGTERM) and kept down ${opts.replicaDownSeconds} s`,
      inject: async () => {
        const t = Date.now();
        await cluster.part(second).stop();
        // 18.16 waits for open connections (the other replica's, the streamers') to close.
        replicaNote = `its shutdown took ${((Date.now() - t) / 1000).toFixed(1)} s`;
        log(`  ${replicaNote}`);
        await sleep(opts.replicaDownSeconds * 1000);
      },
      heal: () => cluster.part(second).start(),
      note: () => replicaNote,
      settle,
    },
    {
      name: `ingest member ${firstIngest} SIGKILLed, restarted after ${opts.faultSeconds} s`,
      inject: async () => {
        await cluster.part(firstIngest).stop('kill');
        await sleep(opts.faultSeconds * 1000);
      },
      heal: () => cluster.part(firstIngest).start(),
      settle,
    },
    {
      name: `the streamer holding the most of ${opts.screens} screens SIGKILLed, restarted after ${opts.faultSeconds} s`,
      inject: async () => {
        const before = screens.disconnects();
        const killed = Date.now();
        const held = await Promise.all(cluster.layout.streamers.map((_, i) => screensOn(i)));
        busiest = cluster.layout.streamers[held.indexOf(Math.max(...held))] as string;
        log(`  screens per streamer: ${held.join(' / ')}; killing ${busiest}`);
        await cluster.part(busiest).stop('kill');
        // Its screens reconnect through nginx to another streamer and resync there.
        for (const until = killed + opts.recoveryTimeoutSeconds * 1000; Date.now() < until; await sleep(100)) {
          const m = screens.moved(before);
          if (m.dropped > 0 && m.resynced === m.dropped && Date.now() - killed > 2_000) break;
        }
        ({ dropped: screensDropped, resynced: screensResynced } = screens.moved(before));
        screensNote = `${screensResynced}/${screensDropped} of its screens resynced on another streamer ${((Date.now() - killed) / 1000).toFixed(1)} s after the kill`;
        log(`  ${screensNote}`);
        await sleep(Math.max(0, opts.faultSeconds * 1000 - (Date.now() - killed)));
      },
      heal: () => cluster.part(busiest).start(),
      note: () => screensNote,
      settle,
    },
    {
      name: `ZooKeeper stopped for ${opts.zookeeperDownSeconds} s`,
      inject: async () => {
        await cluster.part('zookeeper').stop();
        await sleep(opts.zookeeperDownSeconds * 1000);
      },
      heal: () => cluster.part('zookeeper').start(),
      settle,
    },
  ];

  let figures: FaultFigures[];
  try {
    figures = await runFaults(faults, {
      load,
      stored,
      steadySeconds: opts.steadySeconds,
      recoveryTimeoutSeconds: opts.recoveryTimeoutSeconds,
      // A batch waits up to 500 ms, and its insert into the replicated tables and their views
      // takes as long again on 2 busy cores: 2 s is this layout's normal delay, not a fault's.
      delaySeconds: 2,
      log,
    });
  } finally {
    await load.stop();
  }
  const produced = load.acked;

  // A replica that stops fetching: reads through it must not show the other's newer rows as
  // missing for more than about a second (users.xml: max_replica_delay_for_distributed_queries).
  const staleReadSeconds = await staleReadCheck(cluster, replicas, api, day, log);

  // Every check-in produced: once on each replica, once through the API behind nginx.
  const figuresOf = async () =>
    Promise.all(
      replicas.map(async (r, i) => ({ replica: cluster.layout.clickhouse[i]?.name ?? '', ...(await local(r)) })),
    );
  let perReplica = await figuresOf();
  for (const until = Date.now() + opts.recoveryTimeoutSeconds * 1000; Date.now() < until; await sleep(250)) {
    perReplica = await figuresOf();
    if (perReplica.every((r) => r.distinct >= produced + 1)) break;
  }
  // The stale-read check added one check-in of its own.
  const expected = produced + 1;
  log(`at the end: produced ${expected}; ${perReplica.map((r) => `${r.replica} holds ${r.distinct}`).join(', ')}`);
  const countedByApi = await checkinsCountedByApi(api, day, expected, log);

  screens.close();
  await admin.disconnect();
  for (const r of replicas) await r.close();
  const minStored = Math.min(...perReplica.map((r) => r.distinct));
  return {
    faults: figures,
    produced: expected,
    replicas: perReplica,
    countedByApi,
    lost: Math.max(0, expected - minStored),
    doubleCounted: Math.max(0, countedByApi - expected),
    screensDropped,
    screensResynced,
    staleReadSeconds,
    startSeconds,
  };
}

/**
 * A replica that lags: fetches stopped on both replicas, one more check-in sent; it lands on
 * one replica (A) through whichever ingest member consumes it, and the other (B) does not get
 * it. The streamer that reads through B is then asked, directly, until it counts it. Returns
 * the seconds from the row being stored on A until then (-1: never within 30 s).
 */
async function staleReadCheck(
  cluster: LocalCluster,
  replicas: Store[],
  api: ApiClient,
  day: string,
  log: (m: string) => void,
): Promise<number> {
  const counts = () => Promise.all(replicas.map(async (r) => (await replicaCopy(r, 'checkins')).distinct));
  for (const r of replicas) await setReplicaFetches(r, 'checkins', false);
  try {
    const before = await counts();
    // The streamer reading through each replica, and what it counts now.
    const streamerOn = (replica: number) =>
      cluster.layout.streamers.findIndex(
        (_, i) => replicaOf(cluster.layout, i) === cluster.layout.clickhouse[replica]?.name,
      );
    const counters = replicas.map((_, replica) => {
      const direct = new ApiClient(`http://127.0.0.1:${cluster.ports.streamers[streamerOn(replica)]}`);
      direct.token = api.token;
      return async () => {
        const r = await direct.get<{ minutes?: { students: number }[] }>(`/api/v1/snapshot?scope=city&date=${day}`);
        return r.status === 200 ? (r.body.minutes ?? []).reduce((n, p) => n + p.students, 0) : -1;
      };
    });
    const apiBefore = await Promise.all(counters.map((c) => c()));
    const kafka = new Kafka({
      clientId: 'stale-read',
      brokers: cluster.brokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const event: InboundEvent = {
      id: 'flt-stale-read',
      type: 'checkin',
      ts: toShanghaiRfc3339(Date.now()),
      school_id: 'fs0',
      session_id: 'fse0',
      person: 'student',
      person_id: 'fp-stale',
      method: 'face',
    };
    await produceEvents(kafka, '', [event]);
    let a = -1;
    for (const until = Date.now() + 30_000; a < 0 && Date.now() < until; await sleep(50)) {
      const now = await counts();
      a = now.findIndex((n, i) => n > (before[i] ?? 0));
    }
    if (a < 0) throw new Error('the stale-read check-in was stored on no replica within 30 s');
    const storedAt = Date.now();
    const b = 1 - a;
    const streamer = streamerOn(b);
    const counted = counters[b] as () => Promise<number>;
    let seconds = -1;
    for (const until = Date.now() + 30_000; Date.now() < until; await sleep(100)) {
      if ((await counted().catch(() => -1)) >= (apiBefore[b] ?? 0) + 1) {
        seconds = (Date.now() - storedAt) / 1000;
        break;
      }
    }
    log(
      `stale read: stored on ${cluster.layout.clickhouse[a]?.name} only; ${cluster.layout.streamers[streamer]}, reading through ${cluster.layout.clickhouse[b]?.name}, counted it ${seconds >= 0 ? `${seconds.toFixed(1)} s later` : 'NEVER within 30 s'}`,
    );
    return seconds;
  } finally {
    for (const r of replicas) await setReplicaFetches(r, 'checkins', true);
  }
}
