#!/usr/bin/env bash
# The cluster layout (deploy/src/cluster/layout.ts) run for real on this machine, as processes
# on loopback ports: three Kafka brokers in one KRaft quorum, two ClickHouse 18.16 replicas
# with ZooKeeper, Redis, two ingest members, three streamers behind nginx, the simulator.
#
#   deploy/cluster/local.sh up [--clean] | down | status | install
#
# install: only the Debian packages it needs (the test suite calls it for the reduced fault
# suite, deploy/src/cluster/cluster.stress.test.ts).
# --clean wipes the cluster's data first. Env: EDU_CLUSTER_PORT_BASE (27000; the parts use
# the next 400 ports), EDU_SIMULATOR=0 (no simulator), EDU_STATE_DIR (.cache: data and logs
# under <state>/cluster/<part>/), EDU_SIM_WINDOW_MINUTES (20).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/../.."
SVC=cluster
# shellcheck source=../services/lib.sh
source deploy/services/lib.sh

if [[ "${1:-}" == up || "${1:-}" == install ]]; then
  ensure_cmd java default-jre-headless
  ensure_cmd nginx nginx-light
  # Debian's zookeeper package (not zookeeperd, which would start a system service).
  if [[ ! -f /usr/share/java/zookeeper.jar ]]; then
    log "installing Debian's zookeeper"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=300 install zookeeper >/dev/null \
      || { as_root apt-get update -q >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get -y -q install zookeeper >/dev/null; }
  fi
  [[ "$1" == install ]] && exit 0
  [[ -d node_modules ]] || npm ci --no-audit --no-fund
  [[ -f screen/dist/index.html ]] || npm run build -w @edu/screen
fi
exec node --import tsx deploy/src/cluster/cli.ts "$@"
