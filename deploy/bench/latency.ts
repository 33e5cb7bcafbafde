import { runLoad } from '../src/load/run.ts';

// Event-to-socket latency on the full path, and the load run (issue: 20,000 events/s for 10
// minutes with 1,000 connected screens). Needs deploy/services/up.sh.
//
//   npx tsx deploy/bench/latency.ts      (LATENCY_RATE=20000 LATENCY_SECONDS=60)
//   LATENCY_SECONDS=600 LATENCY_SCREENS=1000 npx tsx deploy/bench/latency.ts    (the load run)
// Every LATENCY_SAMPLE_SECONDS (30): consumer lag, event-to-screen latency, CPU and memory of
// ingest, the streamer and the screens' process.

await runLoad({
  rate: Number(process.env.LATENCY_RATE ?? 20_000),
  seconds: Number(process.env.LATENCY_SECONDS ?? 60),
  screens: Number(process.env.LATENCY_SCREENS ?? 0),
  sampleSeconds: Number(process.env.LATENCY_SAMPLE_SECONDS ?? 30),
  log: (line) => console.log(line),
});
process.exit(0);
