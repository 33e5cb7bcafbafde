#!/usr/bin/env bash
# Redis on 127.0.0.1. The java-maven-svc machines already run one on 6379
# before the session starts: reuse any Redis that answers there and never stop
# it; otherwise start our own and only ever stop that one. Ours keeps nothing on disk unless
# REDIS_PERSIST=1 (deploy/stack.sh sets it): then an append-only file in the run folder keeps
# sessions, alerts and the snapshot cache across a restart, as production Redis should.
#
#   redis.sh start|stop|status|restart
#
# Env: REDIS_PORT (6379), REDIS_START_TIMEOUT (20 s), REDIS_PERSIST (0),
#      EDU_RESET=1 (FLUSHALL on start, also on a reused Redis), EDU_STATE_DIR.
set -euo pipefail

SVC=redis
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

REDIS_PORT="${REDIS_PORT:-6379}"
REDIS_START_TIMEOUT="${REDIS_START_TIMEOUT:-20}"

RUN="$RUN_ROOT/redis"
PIDFILE="$RUN/redis.pid"
LOG="$LOG_DIR/redis.log"
# redis-server retitles itself "redis-server 127.0.0.1:PORT".
PID_MARKER="redis-server"

redis_answers() {
  command -v redis-cli >/dev/null 2>&1 || return 1
  [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == "PONG" ]]
}

flush_if_reset() {
  if is_true "${EDU_RESET:-}"; then
    log "EDU_RESET=1: FLUSHALL on 127.0.0.1:$REDIS_PORT"
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" flushall >/dev/null
  fi
}

do_start() {
  local pid t0
  if pid="$(pid_from_file "$PIDFILE" "$PID_MARKER")"; then
    log "already running (pid $pid)"
    flush_if_reset
    echo "redis      127.0.0.1:$REDIS_PORT (pid $pid, already running)"
    return 0
  fi
  rm -f "$PIDFILE"

  ensure_cmd redis-cli redis-tools
  if redis_answers; then
    log "reusing the Redis already answering on 127.0.0.1:$REDIS_PORT (it will not be stopped by us)"
    flush_if_reset
    echo "redis      127.0.0.1:$REDIS_PORT (external, reused)"
    return 0
  fi

  ensure_cmd redis-server redis-server
  # Installing the package may have started Debian's own service: reuse it too.
  if redis_answers; then
    log "a Redis now answers on 127.0.0.1:$REDIS_PORT (started by the package install?); reusing it"
    flush_if_reset
    echo "redis      127.0.0.1:$REDIS_PORT (external, reused)"
    return 0
  fi
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
  log "healthy after $(elapsed_s "$t0")s"
  echo "redis      127.0.0.1:$REDIS_PORT (pid $pid)"
}

do_stop() {
  local pid
  if ! pid="$(pid_from_file "$PIDFILE" "$PID_MARKER")"; then
    rm -f "$PIDFILE"
    if redis_answers; then
      log "127.0.0.1:$REDIS_PORT is a Redis we did not start: leaving it running"
    else
      log "not running"
    fi
    return 0
  fi
  log "stopping (pid $pid)"
  stop_pid "$pid" 20
  rm -f "$PIDFILE"
  log "stopped"
}

do_status() {
  local pid
  if pid="$(pid_from_file "$PIDFILE" "$PID_MARKER")"; then
    if redis_answers; then
      echo "redis: running, healthy, 127.0.0.1:$REDIS_PORT (pid $pid, started by us)"
      return 0
    fi
    echo "redis: process $pid running but 127.0.0.1:$REDIS_PORT does not answer PING"
    return 1
  fi
  if redis_answers; then
    echo "redis: running, healthy, 127.0.0.1:$REDIS_PORT (external, not managed by us)"
    return 0
  fi
  echo "redis: stopped"
  return 3
}

service_main "$@"
