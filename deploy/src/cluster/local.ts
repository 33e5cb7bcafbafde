import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { clickhouseClusterXml, nginxLocalConf, zooCfg } from './configs.ts';
import { LAYOUT, localPorts, replicaOf, type ClusterLayout, type LocalPorts } from './layout.ts';
import { httpOk, livePid, serviceScript, spawnDetached, stopDetached, waitFor, type Detached } from './processes.ts';

// The cluster layout (layout.ts) run for real on one machine, as processes on loopback ports:
// ZooKeeper, ClickHouse 18.16 replicas (deploy/services/clickhouse.sh, one state dir each),
// a KRaft quorum of Kafka brokers (deploy/services/kafka.sh, one state dir each), Redis, the
// ingest members, the streamers and nginx in front of them, and the simulator. Everything lives
// under <state>/cluster/<part>/. Faults (faults.ts) stop, kill and restart single parts.

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const STATE = process.env.EDU_STATE_DIR ?? `${ROOT}.cache`;

export type PartKind =
  'zookeeper' | 'clickhouse' | 'kafka' | 'redis' | 'ingest' | 'streamer' | 'balancer' | 'simulator';

export interface Part {
  name: string;
  kind: PartKind;
  /** Where it listens, for people. */
  where: string;
  start(): Promise<void>;
  /** A clean stop (SIGTERM and wait), or a crash (SIGKILL). */
  stop(how?: 'term' | 'kill'): Promise<void>;
  running(): boolean;
  healthy(): Promise<boolean>;
}

export interface LocalClusterOptions {
  layout?: ClusterLayout;
  /** EDU_CLUSTER_PORT_BASE */
  portBase?: number;
  /** Where the parts keep their data and logs: <state>/cluster by default. */
  dir?: string;
  /** Environment for ingest, streamers and simulator on top of the layout's. */
  appEnv?: NodeJS.ProcessEnv;
  /** Start the simulator with `up` (the fault suite brings its own traffic). */
  simulator?: boolean;
  log?: (msg: string) => void;
}

export class LocalCluster {
  readonly layout: ClusterLayout;
  readonly ports: LocalPorts;
  readonly dir: string;
  readonly parts: Part[];
  private readonly log: (msg: string) => void;

  constructor(private readonly opts: LocalClusterOptions = {}) {
    this.layout = opts.layout ?? LAYOUT;
    this.ports = localPorts(this.layout, opts.portBase);
    this.dir = opts.dir ?? `${STATE}/cluster`;
    this.log = opts.log ?? ((m) => console.error(`[cluster] ${m}`));
    this.parts = [
      this.zookeeper(),
      ...this.layout.clickhouse.map((r, i) => this.clickhouse(r.name, i)),
      ...this.layout.kafka.map((k, i) => this.kafka(k.name, k.id, i)),
      this.redis(),
      ...this.layout.ingest.map((n, i) => this.app(n, 'ingest', i)),
      ...this.layout.streamers.map((n, i) => this.app(n, 'streamer', i)),
      this.balancer(),
      ...(opts.simulator === false ? [] : [this.app('simulator', 'simulator', 0)]),
    ];
  }

  get brokers(): string {
    return this.ports.kafka.map((k) => `127.0.0.1:${k.client}`).join(',');
  }
  get balancerUrl(): string {
    return `http://127.0.0.1:${this.ports.balancer}`;
  }
  clickhouseUrl(i: number): string {
    return `http://127.0.0.1:${this.ports.clickhouse[i]?.http}`;
  }
  /** Every replica, `first` first: a process's own replica, and where it goes while that one is down. */
  replicaUrls(first: number): string {
    const n = this.layout.clickhouse.length;
    return Array.from({ length: n }, (_, k) => this.clickhouseUrl((first + k) % n)).join(',');
  }
  get redisUrl(): string {
    return `redis://127.0.0.1:${this.ports.redis}`;
  }
  get database(): string {
    return this.layout.database;
  }

  part(name: string): Part {
    const p = this.parts.find((x) => x.name === name);
    if (!p) throw new Error(`no part ${name} in the layout`);
    return p;
  }
  of(kind: PartKind): Part[] {
    return this.parts.filter((p) => p.kind === kind);
  }

  /** Everything, in dependency order; parts of one kind together. `clean` wipes the data first. */
  async up(clean = false): Promise<void> {
    if (clean) {
      // Its data is about to be wiped: nothing to stop gracefully for.
      await this.down('kill');
      rmSync(this.dir, { recursive: true, force: true });
    }
    mkdirSync(this.dir, { recursive: true });
    const t0 = Date.now();
    for (const kind of ['zookeeper', 'clickhouse', 'kafka', 'redis'] as PartKind[]) {
      await Promise.all(this.of(kind).map((p) => p.start()));
    }
    await this.migrate();
    // One ingest first: it creates the topics, which the second would race it for.
    for (const p of this.of('ingest')) await p.start();
    await Promise.all(this.of('streamer').map((p) => p.start()));
    for (const kind of ['balancer', 'simulator'] as PartKind[]) for (const p of this.of(kind)) await p.start();
    this.log(`up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }

  /**
   * Everything stopped, the apps first (they drain), Kafka's brokers together (one alone loses
   * the quorum). `kill`: everything SIGKILLed at once, for a cluster whose data is thrown away
   * (the fault suite's, at its end: a clean stop takes ClickHouse 18.16 10–20 s per replica).
   */
  async down(how: 'term' | 'kill' = 'term'): Promise<void> {
    if (how === 'kill') {
      await Promise.all(this.parts.map((p) => p.stop('kill')));
      return;
    }
    for (const kind of ['simulator', 'balancer', 'streamer', 'ingest', 'redis'] as PartKind[]) {
      await Promise.all(this.of(kind).map((p) => p.stop()));
    }
    await Promise.all(this.of('kafka').map((p) => p.stop()));
    await Promise.all(this.of('clickhouse').map((p) => p.stop()));
    await Promise.all(this.of('zookeeper').map((p) => p.stop()));
  }

  async status(): Promise<{ part: Part; running: boolean; healthy: boolean }[]> {
    return Promise.all(
      this.parts.map(async (part) => ({
        part,
        running: part.running(),
        healthy: part.running() && (await part.healthy().catch(() => false)),
      })),
    );
  }

  /** The migrations ON CLUSTER, once, before any service (they would otherwise all run them at once). */
  async migrate(): Promise<void> {
    const { migrate, openServerStore } = await import('@edu/analytics');
    const store = await openServerStore({ url: this.clickhouseUrl(0), database: this.layout.database });
    try {
      const t0 = Date.now();
      const report = await migrate(store, undefined, { cluster: this.layout.cluster });
      this.log(
        `migrations ON CLUSTER ${this.layout.cluster}: ${report.applied.length} applied, ${report.alreadyApplied} already (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
      );
    } finally {
      await store.close();
    }
  }

  // ---- the parts ----

  private zookeeper(): Part {
    const dir = `${this.dir}/zookeeper`;
    const p: Detached = { pidFile: `${dir}/zookeeper.pid`, log: `${dir}/zookeeper.log`, marker: `${dir}/zoo.cfg` };
    const port = this.ports.zookeeper;
    const healthy = async () => (await fourLetter(port, 'srvr')).includes('Mode: standalone');
    return {
      name: 'zookeeper',
      kind: 'zookeeper',
      where: `127.0.0.1:${port}`,
      running: () => livePid(p) !== null,
      healthy,
      start: async () => {
        if (livePid(p) !== null) return;
        for (const jar of ['/usr/share/java/zookeeper.jar', '/usr/share/java/slf4j-simple.jar']) {
          if (!existsSync(jar))
            throw new Error(`${jar} is missing: deploy/cluster/local.sh installs Debian's zookeeper`);
        }
        mkdirSync(`${dir}/data`, { recursive: true });
        writeFileSync(`${dir}/zoo.cfg`, zooCfg(port, `${dir}/data`));
        spawnDetached(
          p,
          'java',
          [
            '-Xms64m',
            '-Xmx256m',
            '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
            '-cp',
            '/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar',
            'org.apache.zookeeper.server.quorum.QuorumPeerMain',
            `${dir}/zoo.cfg`,
          ],
          { cwd: dir, env: process.env },
        );
        // `ruok` answers imok before it serves; `srvr` says standalone only once it does.
        await waitFor('zookeeper', healthy, { timeoutMs: 60_000, process: p });
        this.log(`zookeeper 127.0.0.1:${port}`);
      },
      stop: (how = 'term') => stopDetached(p, how === 'kill' ? 'SIGKILL' : 'SIGTERM'),
    };
  }

  private clickhouse(name: string, i: number): Part {
    const ports = this.ports.clickhouse[i] as LocalPorts['clickhouse'][number];
    const dir = `${this.dir}/${name}`;
    const env = {
      EDU_STATE_DIR: dir,
      EDU_RESET: '0',
      CLICKHOUSE_HTTP_PORT: String(ports.http),
      CLICKHOUSE_TCP_PORT: String(ports.tcp),
      CLICKHOUSE_INTERSERVER_PORT: String(ports.interserver),
      CLICKHOUSE_EXTRA_CONFIG: `${dir}/cluster.xml`,
      CLICKHOUSE_EXTRA_USERS: `${ROOT}deploy/cluster/clickhouse/users.xml`,
    };
    const p: Detached = {
      pidFile: `${dir}/run/clickhouse/clickhouse.pid`,
      log: `${dir}/logs/clickhouse.err.log`,
      marker: `${dir}/run/clickhouse/config.xml`,
    };
    return {
      name,
      kind: 'clickhouse',
      where: `http://127.0.0.1:${ports.http} native :${ports.tcp} interserver :${ports.interserver}`,
      running: () => livePid(p) !== null,
      healthy: async () => (await fetch(`http://127.0.0.1:${ports.http}/ping`)).ok,
      start: async () => {
        mkdirSync(dir, { recursive: true });
        writeFileSync(
          `${dir}/cluster.xml`,
          clickhouseClusterXml(this.layout, { kind: 'local', ports: this.ports, replica: name }),
        );
        await serviceScript(ROOT, 'clickhouse', 'start', env);
        this.log(`${name} http://127.0.0.1:${ports.http}`);
      },
      stop: async (how = 'term') => {
        if (how === 'kill') await stopDetached(p, 'SIGKILL');
        else await serviceScript(ROOT, 'clickhouse', 'stop', env);
      },
    };
  }

  private kafka(name: string, id: number, i: number): Part {
    const ports = this.ports.kafka[i] as LocalPorts['kafka'][number];
    const dir = `${this.dir}/${name}`;
    const voters = this.layout.kafka.map((k, j) => `${k.id}@127.0.0.1:${this.ports.kafka[j]?.controller}`).join(',');
    const env = {
      EDU_STATE_DIR: dir,
      EDU_RESET: '0',
      EDU_KAFKA_AUTH: 'none',
      KAFKA_LIBS_DIR: `${STATE}/kafka-libs`,
      KAFKA_PORT: String(ports.client),
      KAFKA_CONTROLLER_PORT: String(ports.controller),
      KAFKA_NODE_ID: String(id),
      KAFKA_QUORUM_VOTERS: voters,
      // One id for the whole quorum, fixed by the layout's name (22 characters of base64url).
      KAFKA_CLUSTER_ID: Buffer.from(`edu-${this.layout.cluster}-local`.padEnd(16, '-').slice(0, 16)).toString(
        'base64url',
      ),
      KAFKA_REPLICATION: String(this.layout.kafkaReplication),
      KAFKA_MIN_ISR: String(this.layout.kafkaMinIsr),
      KAFKA_HEAP_OPTS: '-Xms192m -Xmx384m',
    };
    const p: Detached = {
      pidFile: `${dir}/run/kafka/kafka.pid`,
      log: `${dir}/logs/kafka.log`,
      marker: `${dir}/run/kafka/server.properties`,
    };
    return {
      name,
      kind: 'kafka',
      where: `127.0.0.1:${ports.client} (controller :${ports.controller}, node ${id})`,
      running: () => livePid(p) !== null,
      healthy: async () => (await serviceScript(ROOT, 'kafka', 'status', env).catch(() => '')).includes('healthy'),
      start: async () => {
        await serviceScript(ROOT, 'kafka', 'start', env);
        this.log(`${name} 127.0.0.1:${ports.client}`);
      },
      stop: async (how = 'term') => {
        if (how === 'kill') await stopDetached(p, 'SIGKILL');
        else await serviceScript(ROOT, 'kafka', 'stop', env);
      },
    };
  }

  private redis(): Part {
    const dir = `${this.dir}/redis`;
    const port = this.ports.redis;
    const env = { EDU_STATE_DIR: dir, REDIS_PORT: String(port), REDIS_PERSIST: '1', EDU_RESET: '0' };
    const p: Detached = {
      pidFile: `${dir}/run/redis-${port}/redis.pid`,
      log: `${dir}/logs/redis-${port}.log`,
      marker: `:${port}`,
    };
    return {
      name: 'redis',
      kind: 'redis',
      where: this.redisUrl,
      running: () => livePid(p) !== null,
      healthy: async () => (await serviceScript(ROOT, 'redis', 'status', env).catch(() => '')).includes('healthy'),
      start: async () => {
        await serviceScript(ROOT, 'redis', 'start', env);
        this.log(`redis ${this.redisUrl}`);
      },
      stop: async (how = 'term') => {
        if (how === 'kill') await stopDetached(p, 'SIGKILL');
        else await serviceScript(ROOT, 'redis', 'stop', env);
      },
    };
  }

  /** Environment every process of the product gets in this layout. */
  appEnv(): NodeJS.ProcessEnv {
    return {
      EDU_STORE_ENGINE: 'server',
      EDU_CLICKHOUSE_DATABASE: this.layout.database,
      EDU_CLICKHOUSE_CLUSTER: this.layout.cluster,
      EDU_KAFKA_BROKERS: this.brokers,
      EDU_REDIS_URL: this.redisUrl,
      EDU_INGEST_REPLICATION_FACTOR: String(this.layout.kafkaReplication),
      EDU_INGEST_TOPIC_PARTITIONS: String(this.layout.topicPartitions),
      ...this.opts.appEnv,
    };
  }

  private app(name: string, kind: 'ingest' | 'streamer' | 'simulator', i: number): Part {
    const dir = `${this.dir}/${name}`;
    const p: Detached = {
      pidFile: `${dir}/${name}.pid`,
      log: `${dir}/${name}.log`,
      marker: `${kind === 'simulator' ? 'simulate' : kind}.ts`,
    };
    const base = { ...process.env, ...this.appEnv() };
    let port = 0;
    let env: NodeJS.ProcessEnv;
    let args: string[];
    if (kind === 'ingest') {
      port = this.ports.ingest[i] as number;
      // Each member writes through a replica of its own, and through the others while it is down.
      env = {
        ...base,
        EDU_INGEST_HTTP_HOST: '127.0.0.1',
        EDU_INGEST_HTTP_PORT: String(port),
        EDU_CLICKHOUSE_URL: this.replicaUrls(i % this.layout.clickhouse.length),
      };
      args = ['--import', 'tsx', 'ingest/src/bin/ingest.ts'];
    } else if (kind === 'streamer') {
      port = this.ports.streamers[i] as number;
      const replica = this.layout.clickhouse.findIndex((r) => r.name === replicaOf(this.layout, i));
      env = {
        ...base,
        EDU_STREAMER_HOST: '127.0.0.1',
        EDU_STREAMER_PORT: String(port),
        EDU_TRUST_PROXY: '1',
        EDU_CLICKHOUSE_URL: this.replicaUrls(replica),
      };
      args = ['--import', 'tsx', 'streamer/src/bin/streamer.ts'];
    } else {
      env = base;
      args = [
        '--import',
        'tsx',
        'ingest/src/bin/simulate.ts',
        '--sink',
        'kafka',
        '--brokers',
        this.brokers,
        '--mode',
        'live',
        '--any-day',
        '--window-minutes',
        process.env.EDU_SIM_WINDOW_MINUTES ?? '20',
      ];
    }
    // The simulator's events may be stamped up to a few hours ahead (a compressed day).
    if (kind === 'ingest' && this.opts.simulator !== false) env.EDU_INGEST_MAX_FUTURE_MINUTES ??= '1440';
    const healthy = async () =>
      kind === 'simulator' ? livePid(p) !== null : httpOk(`http://127.0.0.1:${port}/healthz`);
    return {
      name,
      kind,
      where: kind === 'simulator' ? `publishing to ${this.brokers}` : `http://127.0.0.1:${port}`,
      running: () => livePid(p) !== null,
      healthy,
      start: async () => {
        if (livePid(p) !== null) return;
        spawnDetached(p, process.execPath, args, { cwd: ROOT, env });
        await waitFor(name, healthy, { timeoutMs: 120_000, process: p });
        this.log(`${name} ${kind === 'simulator' ? 'publishing' : `http://127.0.0.1:${port}`}`);
      },
      stop: (how = 'term') => stopDetached(p, how === 'kill' ? 'SIGKILL' : 'SIGTERM'),
    };
  }

  private balancer(): Part {
    const dir = `${this.dir}/nginx`;
    const p: Detached = { pidFile: `${dir}/nginx.pid`, log: `${dir}/console.log`, marker: `${dir}/nginx.conf` };
    const healthy = () => httpOk(`${this.balancerUrl}/healthz`);
    return {
      name: 'nginx',
      kind: 'balancer',
      where: this.balancerUrl,
      running: () => livePid(p) !== null,
      healthy,
      start: async () => {
        if (livePid(p) !== null) return;
        if (!existsSync('/usr/sbin/nginx'))
          throw new Error("nginx is missing: deploy/cluster/local.sh installs Debian's nginx-light");
        mkdirSync(`${dir}/tmp`, { recursive: true });
        writeFileSync(`${dir}/nginx.conf`, nginxLocalConf(this.layout, this.ports, dir));
        // nginx writes its own pid file (the master's) at the same path.
        spawnDetached(p, '/usr/sbin/nginx', ['-p', dir, '-c', `${dir}/nginx.conf`], { cwd: dir, env: process.env });
        await waitFor('nginx', healthy, { timeoutMs: 30_000, process: p });
        this.log(`nginx ${this.balancerUrl} → ${this.ports.streamers.map((s) => `:${s}`).join(' ')}`);
      },
      // Graceful (SIGQUIT: open connections finish), or fast (SIGTERM) rather than SIGKILL: a
      // killed master leaves its workers holding the port.
      stop: (how = 'term') => stopDetached(p, how === 'kill' ? 'SIGTERM' : 'SIGQUIT'),
    };
  }
}

/** A ZooKeeper four-letter command over a plain socket. */
export function fourLetter(port: number, cmd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.end(cmd));
    let out = '';
    s.setTimeout(2_000, () => s.destroy(new Error('timeout')));
    s.on('data', (d) => (out += d.toString()));
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
}
