import { LocalCluster } from './local.ts';

// deploy/cluster/local.sh up [--clean] | down | status: see local.ts and the README, "Cluster".

const [command, ...flags] = process.argv.slice(2);
const base = process.env.EDU_CLUSTER_PORT_BASE;
if (base !== undefined && !/^[1-5]\d{4}$/.test(base)) {
  console.error(`EDU_CLUSTER_PORT_BASE must be a port between 10000 and 59999 (it uses the next 400), not '${base}'`);
  process.exit(2);
}
const cluster = new LocalCluster({
  portBase: base ? Number(base) : undefined,
  simulator: process.env.EDU_SIMULATOR !== '0',
});

async function printStatus(): Promise<boolean> {
  let allHealthy = true;
  for (const { part, running, healthy } of await cluster.status()) {
    allHealthy &&= healthy;
    const state = healthy ? 'healthy' : running ? 'RUNNING, NOT HEALTHY' : 'stopped';
    console.log(`${part.name.padEnd(12)} ${state.padEnd(21)} ${part.where}`);
  }
  return allHealthy;
}

try {
  if (command === 'up') {
    await cluster.up(flags.includes('--clean'));
    await printStatus();
    console.log(`\nwall screen and read API: ${cluster.balancerUrl}/   (leader 13800000001, initial password 123456)`);
    console.log(`data and logs: ${cluster.dir}/<part>/`);
  } else if (command === 'down') {
    await cluster.down();
    console.log('stopped');
  } else if (command === 'status') {
    process.exitCode = (await printStatus()) ? 0 : 3;
  } else {
    console.error('usage: deploy/cluster/local.sh up [--clean] | down | status | install');
    process.exitCode = 2;
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
}
