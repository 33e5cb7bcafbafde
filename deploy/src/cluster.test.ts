import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLICKHOUSE_DEFAULTS } from '@edu/analytics';
import { INGEST_SETTINGS, loadIngestConfig } from '@edu/ingest';
import { ENV_VARS, loadConfig } from '@edu/streamer/config';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { clickhouseClusterXml, nginxServer } from './cluster/configs.ts';
import { LAYOUT, localPorts, replicaOf } from './cluster/layout.ts';
import { KAFKA_USERS } from './kafka-auth/acls.ts';

// The cluster layout (deploy/cluster) cannot run here (no Docker images can be pulled), so
// this checks that it says what it claims, and that what it hands the services parses.

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (p: string) => readFileSync(`${root}/${p}`, 'utf8');
interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  hostname?: string;
}
const compose = parse(read('deploy/cluster/compose.yaml'), { merge: true }) as { services: Record<string, Service> };
const services = Object.entries(compose.services);
const named = (prefix: string) => services.filter(([n]) => n.startsWith(prefix)).map(([, s]) => s);
/** The brokers (kafka1…3), not the one-shot kafka-users and kafka-grants. */
const kafkaBrokers = () => services.filter(([n]) => /^kafka\d+$/.test(n)).map(([, s]) => s);
const env = (s: Service) => Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v)]));

describe('deploy/cluster', () => {
  it('has the parts of the one layout description (deploy/src/cluster/layout.ts), under the same names', () => {
    const byPrefix = (re: RegExp) => services.filter(([n]) => re.test(n)).map(([n]) => n);
    expect(byPrefix(/^kafka\d+$/)).toEqual(LAYOUT.kafka.map((k) => k.name));
    expect(byPrefix(/^clickhouse\d+$/)).toEqual(LAYOUT.clickhouse.map((c) => c.name));
    expect(byPrefix(/^ingest\d+$/)).toEqual(LAYOUT.ingest);
    expect(byPrefix(/^streamer\d+$/)).toEqual(LAYOUT.streamers);
    for (const b of kafkaBrokers()) {
      expect(env(b).KAFKA_NODE_ID).toBe(
        String(LAYOUT.kafka.find((k) => env(b).KAFKA_ADVERTISED_LISTENERS?.includes(`//${k.name}:`))?.id),
      );
      expect(env(b).KAFKA_DEFAULT_REPLICATION_FACTOR).toBe(String(LAYOUT.kafkaReplication));
      expect(env(b).KAFKA_MIN_INSYNC_REPLICAS).toBe(String(LAYOUT.kafkaMinIsr));
    }
    const replicas = LAYOUT.clickhouse.map((c) => c.name);
    const urls = (first: string) => {
      const i = replicas.indexOf(first);
      return [...replicas.slice(i), ...replicas.slice(0, i)].map((r) => `http://${r}:8123`).join(',');
    };
    // Each process on its own replica first (ingest members and streamers spread in order), every replica listed.
    for (const [i, s] of named('ingest').entries()) expect(env(s).EDU_CLICKHOUSE_URL).toBe(urls(replicaOf(LAYOUT, i)));
    for (const [i, s] of named('streamer').entries())
      expect(env(s).EDU_CLICKHOUSE_URL).toBe(urls(replicaOf(LAYOUT, i)));
    for (const s of [...named('ingest'), ...named('streamer')]) {
      expect(env(s).EDU_CLICKHOUSE_CLUSTER).toBe(LAYOUT.cluster);
      // The database the replicas' remote_servers entries name (default_database) is theirs.
      expect(env(s).EDU_CLICKHOUSE_DATABASE ?? CLICKHOUSE_DEFAULTS.database).toBe(LAYOUT.database);
      expect(env(s).EDU_INGEST_REPLICATION_FACTOR).toBe(String(LAYOUT.kafkaReplication));
      expect(env(s).EDU_INGEST_TOPIC_PARTITIONS).toBe(String(LAYOUT.topicPartitions));
    }
  });

  it('carries the ClickHouse cluster config and the balancer config rendered from the layout', () => {
    // Stale? `npx tsx deploy/src/cluster/configs.ts` rewrites both.
    expect(read('deploy/cluster/clickhouse/cluster.xml')).toBe(clickhouseClusterXml(LAYOUT, { kind: 'compose' }));
    expect(read('deploy/cluster/nginx.conf')).toBe(nginxServer(LAYOUT, { kind: 'compose' }));
    // The local form differs in addresses only.
    const ports = localPorts(LAYOUT);
    const local = clickhouseClusterXml(LAYOUT, { kind: 'local', ports, replica: 'clickhouse2' });
    expect(local).toContain(`<port>${ports.clickhouse[1]?.tcp}</port>`);
    expect(local).toContain('<replica>clickhouse2</replica>');
    expect(nginxServer(LAYOUT, { kind: 'local', ports, replica: '' })).toContain(
      `server 127.0.0.1:${ports.streamers[2]} `,
    );
    const all = Object.values(ports).flatMap((v) =>
      typeof v === 'number'
        ? [v]
        : (v as (number | object)[]).flatMap((x) => (typeof x === 'number' ? [x] : Object.values(x))),
    );
    expect(new Set(all).size).toBe(all.length);
  });

  it('runs three Kafka brokers in one KRaft quorum with replication 3', () => {
    const brokers = kafkaBrokers();
    expect(brokers).toHaveLength(3);
    expect(brokers.map((b) => env(b).KAFKA_NODE_ID).sort()).toEqual(['1', '2', '3']);
    for (const b of brokers) {
      const id = env(b).KAFKA_NODE_ID;
      expect(env(b).KAFKA_CONTROLLER_QUORUM_VOTERS).toBe('1@kafka1:9093,2@kafka2:9093,3@kafka3:9093');
      expect(env(b).KAFKA_DEFAULT_REPLICATION_FACTOR).toBe('3');
      expect(env(b).KAFKA_ADVERTISED_LISTENERS).toBe(`CLIENT://kafka${id}:9092,INTERNAL://kafka${id}:9094`);
      // A KRaft cluster id is 16 bytes, URL-safe base64.
      expect(Buffer.from(env(b).CLUSTER_ID ?? '', 'base64url')).toHaveLength(16);
    }
  });

  it('runs Kafka with SCRAM and ACLs, and every process logged in as its own user', () => {
    for (const b of kafkaBrokers()) {
      const e = env(b);
      expect(e.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP).toBe(
        'CLIENT:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT',
      );
      expect(e.KAFKA_LISTENER_NAME_CLIENT_SASL_ENABLED_MECHANISMS).toBe('SCRAM-SHA-512,SCRAM-SHA-256');
      expect(e.KAFKA_AUTHORIZER_CLASS_NAME).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
      expect(e.KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND).toBe('false');
      // The broker-to-broker and controller logins must be super users, or the quorum never forms.
      expect(e.KAFKA_SUPER_USERS?.split(';').sort()).toEqual(['User:admin', 'User:broker', 'User:controller']);
    }
    const users = read('deploy/cluster/kafka/users.sh');
    expect(users).toContain(`for user in ${KAFKA_USERS.join(' ')}; do`);
    const grants = compose.services['kafka-grants'];
    expect(grants?.command?.slice(3, 4)).toEqual(['deploy/src/kafka-auth/provision.ts']);
    expect(existsSync(`${root}/deploy/src/kafka-auth/provision.ts`)).toBe(true);
    for (const s of named('ingest')) expect(env(s).EDU_KAFKA_USERNAME).toBe('ingest');
    for (const s of named('streamer')) expect(env(s).EDU_KAFKA_USERNAME).toBe('streamer');
    for (const i of named('ingest')) {
      expect(loadIngestConfig(env(i)).kafka.sasl).toMatchObject({ mechanism: 'scram-sha-512', username: 'ingest' });
    }
  });

  it('runs ClickHouse replicas that match the remote_servers of the cluster config', () => {
    const xml = read('deploy/cluster/clickhouse/cluster.xml');
    const replicas = [...xml.matchAll(/<replica><host>(\w+)<\/host>/g)].map((m) => m[1]);
    const nodes = named('clickhouse');
    expect(nodes.map((n) => n.hostname).sort()).toEqual(replicas.sort());
    for (const n of nodes) {
      expect(env(n).EDU_REPLICA).toBe(n.hostname);
      expect(n.volumes?.some((v) => v.startsWith('./clickhouse/cluster.xml:'))).toBe(true);
    }
    expect(xml).toMatch(/<edu>/);
    expect(read('deploy/cluster/clickhouse/users.xml')).toMatch(/distributed_product_mode>global/);
  });

  it('runs two ingest processes in one consumer group and streamers behind the load balancer', () => {
    const ingests = named('ingest');
    const streamers = services.filter(([n]) => n.startsWith('streamer'));
    expect(ingests.length).toBeGreaterThanOrEqual(2);
    expect(streamers.length).toBeGreaterThanOrEqual(2);
    for (const i of ingests) {
      const c = loadIngestConfig(env(i));
      expect(c.kafka.brokers).toHaveLength(3);
      expect(c.clickhouse.cluster).toBe('edu');
      expect(c.kafka.groupId).toBe(loadIngestConfig(env(ingests[0] as Service)).kafka.groupId);
      expect(existsSync(`${root}/${i.command?.at(-1)}`)).toBe(true);
    }
    const nginx = read('deploy/cluster/nginx.conf');
    for (const [name, s] of streamers) {
      const c = loadConfig(Object.fromEntries(Object.entries(env(s)).filter(([k]) => k in ENV_VARS)));
      expect(c.clickhouse.engine).toBe('server');
      expect(c.clickhouse.cluster).toBe('edu');
      expect(c.redis.url).toBe('redis://redis:6379');
      expect(nginx).toContain(`server ${name}:${c.port}`);
      expect(existsSync(`${root}/${s.command?.at(-1)}`)).toBe(true);
    }
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
  });

  it('passes the services only variables they know', () => {
    const known = new Set([...Object.keys(ENV_VARS), ...Object.keys(INGEST_SETTINGS.vars)]);
    for (const s of [...named('ingest'), ...named('streamer')]) {
      for (const k of Object.keys(env(s))) expect([k, known.has(k)]).toEqual([k, true]);
    }
  });

  it('builds its image from files that exist', () => {
    const docker = read('deploy/cluster/Dockerfile');
    for (const [, src] of docker.matchAll(/^COPY (\S+) /gm)) {
      if (src !== '.') expect([src, existsSync(`${root}/${src}`)]).toEqual([src, true]);
    }
  });
});
