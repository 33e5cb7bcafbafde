// The cluster layout, described once. deploy/cluster/compose.yaml (containers, one host name
// per part) is checked against it (cluster.test.ts), and deploy/cluster/local.sh runs the same
// parts as processes on loopback ports of one machine (local.ts). The ClickHouse cluster
// config and the load balancer's config of both forms are rendered from it (configs.ts).

export interface ClusterLayout {
  /** The ClickHouse cluster's name in remote_servers (EDU_CLICKHOUSE_CLUSTER). */
  cluster: string;
  /** The product's database (EDU_CLICKHOUSE_DATABASE). */
  database: string;
  /** Kafka: combined broker+controller nodes of one KRaft quorum. */
  kafka: { name: string; id: number }[];
  /** Replication factor of every topic, and the in-sync replicas an acknowledged write needs. */
  kafkaReplication: number;
  kafkaMinIsr: number;
  /** Partitions per contract topic: the ceiling on ingest members that share the work. */
  topicPartitions: number;
  /** ClickHouse: the replicas of the one shard (replica macro = name). */
  clickhouse: { name: string }[];
  /** Ingest members of one consumer group. */
  ingest: string[];
  /** Streamers behind the load balancer. Ingest members and streamers each use a replica of their own first, in order (replicaOf). */
  streamers: string[];
}

export const LAYOUT: ClusterLayout = {
  cluster: 'edu',
  database: 'edu',
  kafka: [
    { name: 'kafka1', id: 1 },
    { name: 'kafka2', id: 2 },
    { name: 'kafka3', id: 3 },
  ],
  kafkaReplication: 3,
  kafkaMinIsr: 2,
  topicPartitions: 12,
  clickhouse: [{ name: 'clickhouse1' }, { name: 'clickhouse2' }],
  ingest: ['ingest1', 'ingest2'],
  streamers: ['streamer1', 'streamer2', 'streamer3'],
};

/** The replica a streamer reads through: spread over the replicas in order. */
export function replicaOf(layout: ClusterLayout, streamerIndex: number): string {
  const r = layout.clickhouse[streamerIndex % layout.clickhouse.length];
  if (!r) throw new Error('the layout has no ClickHouse replica');
  return r.name;
}

/** Where each part listens when the layout runs on one machine (all on 127.0.0.1). */
export interface LocalPorts {
  zookeeper: number;
  redis: number;
  balancer: number;
  kafka: { client: number; controller: number }[];
  clickhouse: { http: number; tcp: number; interserver: number }[];
  ingest: number[];
  streamers: number[];
}

/**
 * Ports from one base (EDU_CLUSTER_PORT_BASE, 27000): a block per kind, a port per member.
 * Apart from the one-machine stack's (8080, 8123, 9000, 9092, 6389) and from 6379.
 */
export function localPorts(layout: ClusterLayout, base = 27_000): LocalPorts {
  const each = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));
  return {
    zookeeper: base + 181,
    redis: base + 379,
    balancer: base + 80,
    kafka: each(layout.kafka.length, (i) => ({ client: base + 91 + i, controller: base + 191 + i })),
    clickhouse: each(layout.clickhouse.length, (i) => ({
      http: base + 121 + i,
      tcp: base + 11 + i,
      interserver: base + 21 + i,
    })),
    ingest: each(layout.ingest.length, (i) => base + 81 + i),
    streamers: each(layout.streamers.length, (i) => base + 301 + i),
  };
}
