#!/usr/bin/env bash
# The full stack on real services, production-like, on one machine:
#   Kafka + ClickHouse server + Redis (deploy/services), then ingest (Kafka → ClickHouse),
#   the streamer (read API, Socket.IO, the wall screen at http://127.0.0.1:8080/), and the
#   city simulator publishing to Kafka as the schools' systems would.
#
#   deploy/stack.sh up | down | status
#
# Env: EDU_SIMULATOR=0 (no simulator: real schools publish), EDU_STREAMER_PORT (8080),
#      EDU_INGEST_HTTP_PORT (8081), EDU_SIM_SCHOOLS / EDU_SIM_STUDENTS / EDU_SIM_WINDOW_MINUTES, and
#      every setting in the README's settings tables (the simulator's: its --help).
#      EDU_KAFKA_AUTH=scram: the broker with SASL/SCRAM and ACLs (deploy/services/kafka.sh), each
#      process logged in as its own user with the password kafka.sh keeps.
#      Logs: .cache/logs/.
#
# The simulator plays today's after-school window compressed into EDU_SIM_WINDOW_MINUTES (20) of
# real time, so its events may be stamped up to a few hours ahead of the clock; while it runs,
# ingest accepts `ts` up to a day ahead (EDU_INGEST_MAX_FUTURE_MINUTES=1440) instead of one hour.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
STATE_DIR="${EDU_STATE_DIR:-$PWD/.cache}"
RUN="$STATE_DIR/run/app"
LOGS="$STATE_DIR/logs"
mkdir -p "$RUN" "$LOGS"
# The product's Redis is on Redis's own port, 6379 (the test suite's is on 6389). A Redis
# already answering there is used as it is: deploy/services/redis.sh never flushes or stops a
# Redis it did not start (EDU_RESET=1 is then refused), and stops the one it started.
export REDIS_PORT="${REDIS_PORT:-6379}" REDIS_REUSE="${REDIS_REUSE:-1}"

start_app() { # name, command…
  local name=$1; shift
  if [[ -f "$RUN/$name.pid" ]] && kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then
    echo "$name: already running (pid $(cat "$RUN/$name.pid"))"
    return
  fi
  nohup "$@" >>"$LOGS/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
  echo "$name: started (pid $!, log $LOGS/$name.log)"
}

# kafka_login USER : in a subshell before start_app, this process's SCRAM login (exported, so
# no password is on a command line). Nothing without EDU_KAFKA_AUTH=scram.
kafka_login() {
  [[ "${EDU_KAFKA_AUTH:-none}" == scram ]] || return 0
  local creds="$STATE_DIR/run/kafka/credentials.env" var
  var="EDU_KAFKA_${1^^}_PASSWORD"
  [[ -f "$creds" ]] || { echo "stack.sh: no $creds (kafka.sh writes it)" >&2; exit 1; }
  export EDU_KAFKA_SASL_MECHANISM=scram-sha-512 EDU_KAFKA_USERNAME="$1"
  EDU_KAFKA_PASSWORD="$(sed -n "s/^$var=//p" "$creds")"
  export EDU_KAFKA_PASSWORD
}

stop_app() {
  local name=$1 pid
  [[ -f "$RUN/$name.pid" ]] || return 0
  pid=$(cat "$RUN/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    # SIGTERM drains: ingest writes and commits the batch in flight before exiting.
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "$name: stopped"
  fi
  rm -f "$RUN/$name.pid"
}

wait_http() { # url, name
  for _ in $(seq 1 150); do
    curl -fsS "$1" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "$2 did not become healthy; see $LOGS/$2.log" >&2
  tail -n 20 "$LOGS/$2.log" >&2
  return 1
}

case "${1:-}" in
  up)
    [[ -d node_modules ]] || npm ci --no-audit --no-fund
    [[ -f screen/dist/index.html ]] || npm run build -w @edu/screen
    # Sessions, alerts and the snapshot cache survive a Redis restart (when we start Redis).
    REDIS_PERSIST="${REDIS_PERSIST:-1}" bash deploy/services/up.sh
    export EDU_STORE_ENGINE=server
    export EDU_INGEST_HTTP_PORT="${EDU_INGEST_HTTP_PORT:-8081}" EDU_STREAMER_PORT="${EDU_STREAMER_PORT:-8080}"
    export EDU_KAFKA_BROKERS="${EDU_KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
    export EDU_CLICKHOUSE_URL="${EDU_CLICKHOUSE_URL:-http://127.0.0.1:${CLICKHOUSE_HTTP_PORT:-8123}}"
    export EDU_REDIS_URL="${EDU_REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}"
    if [[ "${EDU_SIMULATOR:-1}" != 0 ]]; then export EDU_INGEST_MAX_FUTURE_MINUTES="${EDU_INGEST_MAX_FUTURE_MINUTES:-1440}"; fi
    (kafka_login ingest && start_app ingest node --import tsx ingest/src/bin/ingest.ts)
    wait_http "http://127.0.0.1:$EDU_INGEST_HTTP_PORT/healthz" ingest
    (kafka_login streamer && start_app streamer node --import tsx streamer/src/bin/streamer.ts)
    wait_http "http://127.0.0.1:$EDU_STREAMER_PORT/healthz" streamer
    if [[ "${EDU_SIMULATOR:-1}" != 0 ]]; then
      (kafka_login simulator && start_app simulator node --import tsx ingest/src/bin/simulate.ts --sink kafka \
        --brokers "$EDU_KAFKA_BROKERS" --mode live --any-day --window-minutes "${EDU_SIM_WINDOW_MINUTES:-20}")
    fi
    echo "wall screen: http://127.0.0.1:$EDU_STREAMER_PORT/   (leader 13800000001, initial password 123456)"
    ;;
  down)
    stop_app simulator
    stop_app streamer
    stop_app ingest
    bash deploy/services/down.sh
    ;;
  status)
    for n in ingest streamer simulator; do
      if [[ -f "$RUN/$n.pid" ]] && kill -0 "$(cat "$RUN/$n.pid")" 2>/dev/null; then echo "$n: running"; else echo "$n: stopped"; fi
    done
    for s in kafka clickhouse redis; do bash "deploy/services/$s.sh" status || true; done
    ;;
  *)
    echo "usage: deploy/stack.sh up|down|status" >&2
    exit 2
    ;;
esac
