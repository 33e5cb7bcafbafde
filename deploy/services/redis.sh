#!/usr/bin/env bash
# Redis on 127.0.0.1:REDIS_PORT. These scripts flush and stop only a Redis they started
# themselves: its pid is in .cache/run/redis-PORT/redis.pid and the Redis answering on the port
# reports that pid (INFO server: process_id). Any other Redis on the port (the machine's own,
# a colleague's) is never flushed (EDU_RESET=1 then stops with a message) and never stopped; it
# is used at all only with REDIS_REUSE=1, which deploy/stack.sh sets for its 6379.
#
# The default port is 6389, not Redis's 6379: the test suite and the benches get a Redis of
# their own, with its own folder under .cache/run/. Ours keeps nothing on disk unless
# REDIS_PERSIST=1 (deploy/stack.sh sets it): then an append-only file in that folder keeps
# sessions, alerts and the snapshot cache across a restart, as production Redis should.
#
#   redis.sh start|stop|status|restart
#
# Env: REDIS_PORT (6389), REDIS_REUSE (0: a Redis we did not start on the port is an error),
#      REDIS_START_TIMEOUT (20 s), REDIS_PERSIST (0),
#      EDU_RESET=1 (FLUSHALL on start; refused on a Redis we did not start), EDU_STATE_DIR.
set -euo pipefail

REDIS_PORT="${REDIS_PORT:-6389}"
[[ "$REDIS_PORT" =~ ^[0-9]+$ ]] || { echo "[redis] ERROR: REDIS_PORT must be a port number, not '$REDIS_PORT'" >&2; exit 2; }
# One lock, log prefix, folder and log file per port: the suite's Redis and the stack's are two.
SVC="redis-$REDIS_PORT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

REDIS_START_TIMEOUT="${REDIS_START_TIMEOUT:-20}"

RUN="$RUN_ROOT/redis-$REDIS_PORT"
PIDFILE="$RUN/redis.pid"
LOG="$LOG_DIR/redis-$REDIS_PORT.log"
# redis-server retitles itself "redis-server 127.0.0.1:PORT".
PID_MARKER="redis-server 127.0.0.1:$REDIS_PORT"

cli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }

redis_answers() {
  command -v redis-cli >/dev/null 2>&1 || return 1
  [[ "$(cli ping 2>/dev/null)" == "PONG" ]]
}

# The pid of the process answering on the port, as it reports it ("" if it does not say).
answering_pid() {
  cli info server 2>/dev/null | tr -d '\r' | sed -n 's/^process_id://p'
}

# The data folder of the Redis answering on the port ("" if it does not say).
answering_dir() {
  cli config get dir 2>/dev/null | tr -d '\r' | sed -n 2p
}

# our_pid : prints the pid of the Redis we started on this port, if it is alive and is the one
# answering there, with our folder as its data folder (a stale pid file, a reused pid or a pid
# file naming someone else's Redis is not ours).
our_pid() {
  local pid
  pid="$(pid_from_file "$PIDFILE" "$PID_MARKER")" || return 1
  if redis_answers && [[ "$(answering_pid)" != "$pid" || "$(answering_dir)" != "$RUN" ]]; then return 1; fi
  echo "$pid"
}

foreign_desc() {
  local p owner
  p="$(answering_pid)"
  owner="$(port_owner "$REDIS_PORT")"
  echo "the Redis on 127.0.0.1:$REDIS_PORT, which these scripts did not start (process_id ${p:-unknown}${owner:+, $owner})"
}

flush_ours_if_reset() {
  if is_true "${EDU_RESET:-}"; then
    log "EDU_RESET=1: FLUSHALL on 127.0.0.1:$REDIS_PORT (ours, pid $1)"
    cli flushall >/dev/null
  fi
}

# A Redis we did not start answers on the port: refuse, or (REDIS_REUSE=1) use it as it is.
foreign_start() {
  if ! is_true "${REDIS_REUSE:-0}"; then
    die "$(foreign_desc). Refusing to use it (REDIS_REUSE=0): free the port or choose another with REDIS_PORT (the test suite: EDU_TEST_REDIS_PORT)."
  fi
  if is_true "${EDU_RESET:-}"; then
    die "$(foreign_desc). EDU_RESET=1 asks for FLUSHALL, which is refused on a Redis we did not start: its data is not ours. Unset EDU_RESET, or use another REDIS_PORT."
  fi
  log "reusing $(foreign_desc); it will be neither flushed nor stopped by us"
  echo "redis      127.0.0.1:$REDIS_PORT (external, reused)"
}

do_start() {
  local pid t0
  if pid="$(our_pid)"; then
    log "already running (pid $pid)"
    flush_ours_if_reset "$pid"
    echo "redis      127.0.0.1:$REDIS_PORT (pid $pid, already running)"
    return 0
  fi
  rm -f "$PIDFILE"

  ensure_cmd redis-cli redis-tools
  if redis_answers; then foreign_start; return 0; fi

  ensure_cmd redis-server redis-server
  # Installing the package may have started Debian's own service (on 6379): not ours either.
  if redis_answers; then foreign_start; return 0; fi
  require_ports_free "$REDIS_PORT"
  mkdir -p "$RUN"
  t0="$(now_ms)"
  local aof=no
  is_true "${REDIS_PERSIST:-}" && aof=yes
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" \
    --save "" --appendonly "$aof" --appendfsync everysec \
    --dir "$RUN" --pidfile "$PIDFILE" --logfile "$LOG" 8>&- \
    || { show_log_tail "$LOG"; die "redis-server failed to start"; }
  # The daemonized child writes the pid file just after the fork.
  local i
  for i in $(seq 50); do [[ -s "$PIDFILE" ]] && break; sleep 0.1; done
  pid="$(pid_from_file "$PIDFILE" "$PID_MARKER")" || { show_log_tail "$LOG"; die "redis-server exited"; }
  wait_until "$REDIS_START_TIMEOUT" "$pid" "$LOG" "PONG on 127.0.0.1:$REDIS_PORT" redis_answers
  [[ "$(answering_pid)" == "$pid" ]] || die "$(foreign_desc) answers instead of our pid $pid"
  # Fresh, but the data folder may hold an append-only file of an earlier run (REDIS_PERSIST=1).
  flush_ours_if_reset "$pid"
  log "healthy after $(elapsed_s "$t0")s"
  echo "redis      127.0.0.1:$REDIS_PORT (pid $pid)"
}

do_stop() {
  local pid
  if ! pid="$(our_pid)"; then
    if redis_answers; then
      log "refusing to stop $(foreign_desc); it keeps running"
    else
      log "not running"
    fi
    # A pid file whose process is gone, or is not the Redis on the port, is stale.
    rm -f "$PIDFILE"
    return 0
  fi
  log "stopping (pid $pid)"
  stop_pid "$pid" 20
  rm -f "$PIDFILE"
  log "stopped"
}

do_status() {
  local pid
  if pid="$(our_pid)"; then
    if redis_answers; then
      echo "redis: running, healthy, 127.0.0.1:$REDIS_PORT (pid $pid, started by us)"
      return 0
    fi
    echo "redis: process $pid running but 127.0.0.1:$REDIS_PORT does not answer PING"
    return 1
  fi
  if redis_answers; then
    echo "redis: running, healthy, 127.0.0.1:$REDIS_PORT (external, not managed by us: never flushed or stopped)"
    return 0
  fi
  echo "redis: stopped"
  return 3
}

service_main "$@"
