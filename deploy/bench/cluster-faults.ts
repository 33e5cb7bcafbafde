import { runClusterFaults } from '../src/cluster/faults.ts';

// The cluster fault suite at full length (issue: the cluster layout, run for real). It starts
// a cluster of its own (deploy/src/cluster/local.ts, ports from CLUSTER_FAULTS_PORT_BASE,
// 26000; data under .cache/cluster-faults) and stops it at the end:
//
//   npx tsx deploy/bench/cluster-faults.ts
//     (CLUSTER_FAULTS_RATE=500 CLUSTER_FAULTS_SECONDS=15 CLUSTER_FAULTS_REPLICA_DOWN=60
//      CLUSTER_FAULTS_ZOOKEEPER_DOWN=20 CLUSTER_FAULTS_SCREENS=30 CLUSTER_FAULTS_KEEP=1)
//
// A reduced form runs in the test suite (deploy/src/cluster/cluster.stress.test.ts).

const env = (name: string, fallback: number) => Number(process.env[`CLUSTER_FAULTS_${name}`] ?? fallback);
const result = await runClusterFaults({
  rate: env('RATE', 500),
  faultSeconds: env('SECONDS', 15),
  replicaDownSeconds: env('REPLICA_DOWN', 60),
  zookeeperDownSeconds: env('ZOOKEEPER_DOWN', 20),
  steadySeconds: env('STEADY', 10),
  screens: env('SCREENS', 30),
  recoveryTimeoutSeconds: 180,
  portBase: env('PORT_BASE', 26_000),
  keep: process.env.CLUSTER_FAULTS_KEEP === '1',
  log: (m) => console.log(m),
});
const n = (x: number) => x.toLocaleString('en-US');
console.log('');
// Per fault, "lost" would say too much: what was still missing when the wait ended is stored
// later (the verdict on loss is the end's count, on both replicas and through the API).
console.log('| fault | produced from its start until caught up | caught up again after | |');
console.log('|---|---|---|---|');
for (const f of result.faults) {
  const caughtUp =
    f.lost === 0
      ? `${f.recoverySeconds.toFixed(1)} s`
      : `not within ${f.recoverySeconds.toFixed(0)} s (${n(f.lost)} behind)`;
  console.log(`| ${f.fault} | ${n(f.produced)} | ${caughtUp} | ${f.note ?? ''} |`);
}
console.log('');
console.log(
  `produced ${n(result.produced)}; stored ${result.replicas.map((r) => `${r.replica} ${n(r.distinct)} distinct (${n(r.rows - r.distinct)} redelivered rows)`).join(', ')}; ` +
    `counted by the API through nginx ${n(result.countedByApi)}; lost ${result.lost}, double-counted ${result.doubleCounted}; ` +
    `${result.screensResynced}/${result.screensDropped} screens of the killed streamer resynced on another; ` +
    `a replica that stopped fetching: its streamer counted a new check-in ${result.staleReadSeconds.toFixed(1)} s after it was stored; ` +
    `cluster up from clean in ${result.startSeconds.toFixed(1)} s`,
);
const ok =
  result.lost === 0 &&
  result.doubleCounted === 0 &&
  result.countedByApi === result.produced &&
  result.replicas.every((r) => r.distinct === result.produced) &&
  result.screensDropped > 0 &&
  result.screensResynced === result.screensDropped &&
  result.staleReadSeconds >= 0;
process.exit(ok ? 0 : 1);
