import { runFaultSuite } from '../src/faults/suite.ts';

// The fault suite at full length (issue: faults under steady load). It stops and starts the
// services of deploy/services, so run it alone:
//
//   npx tsx deploy/bench/faults.ts     (FAULTS_RATE=2000 FAULTS_CLICKHOUSE_DOWN=60 FAULTS_SECONDS=15)
// Needs deploy/services/up.sh. A reduced form runs in the test suite (deploy/src/faults).

const result = await runFaultSuite({
  rate: Number(process.env.FAULTS_RATE ?? 2_000),
  clickhouseDownSeconds: Number(process.env.FAULTS_CLICKHOUSE_DOWN ?? 60),
  faultSeconds: Number(process.env.FAULTS_SECONDS ?? 15),
  steadySeconds: 10,
  screens: 20,
  recoveryTimeoutSeconds: 180,
  log: (m) => console.log(m),
});
console.log('');
console.log('| fault | produced from its start until caught up | lost | caught up again after |');
console.log('|---|---|---|---|');
for (const f of result.faults)
  console.log(`| ${f.fault} | ${f.produced.toLocaleString('en-US')} | ${f.lost} | ${f.recoverySeconds.toFixed(1)} s |`);
console.log('');
console.log(
  `produced ${result.produced.toLocaleString('en-US')}, stored ${result.storedDistinct.toLocaleString('en-US')} distinct ` +
    `(${result.redelivered} redelivered rows absorbed), counted by the API ${result.countedByApi.toLocaleString('en-US')}; ` +
    `lost ${result.lost}, double-counted ${result.doubleCounted}; ` +
    `${result.screensResynced}/${result.screens} screens of the killed streamer instance resynced on the other`,
);
process.exit(
  result.lost === 0 &&
    result.doubleCounted === 0 &&
    result.countedByApi === result.produced &&
    result.screensResynced === result.screens
    ? 0
    : 1,
);
