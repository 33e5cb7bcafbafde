# shellcheck shell=bash
# Shared helpers for deploy/services/*.sh. Sourced, never run.
#
# Conventions (all services bind to 127.0.0.1 only):
#   repo root   = two levels above this file
#   state       = ${EDU_STATE_DIR:-<repo>/.cache}  (kafka-libs/, run/<svc>/, logs/<svc>.log)
#   EDU_RESET=1 on `start` wipes that service's data first.

SERVICES_DIR="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
REPO_ROOT="$(readlink -f "$SERVICES_DIR/../..")"
STATE_DIR="${EDU_STATE_DIR:-$REPO_ROOT/.cache}"
mkdir -p "$STATE_DIR"
# Absolute, so paths written into generated configs survive a `cd`.
STATE_DIR="$(readlink -f "$STATE_DIR")"
RUN_ROOT="$STATE_DIR/run"
LOG_DIR="$STATE_DIR/logs"
mkdir -p "$RUN_ROOT" "$LOG_DIR"

# Set by each service script before using the helpers below.
SVC="${SVC:-services}"

# lock_service : serialise start/stop of one service, so parallel
# callers (e.g. several test packages' setup at once) see "already running"
# instead of racing for the ports. fd 8 is closed in every spawned daemon,
# or the daemon would hold the lock for its whole life.
lock_service() {
  exec 8>"$RUN_ROOT/.$SVC.lock"
  flock -w 300 8 || die "timed out waiting for $RUN_ROOT/.$SVC.lock"
}

log() { printf '[%s] %s\n' "$SVC" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$SVC" "$*" >&2; exit 1; }

# Milliseconds since the epoch, from bash's own clock (no fork, no float maths).
now_ms() { local t="${EPOCHREALTIME/./}"; echo "${t:0:-3}"; }
# "1.234" seconds elapsed since a now_ms value.
elapsed_s() {
  local ms=$(($(now_ms) - $1))
  printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}

is_true() { [[ "${1:-}" =~ ^(1|true|yes)$ ]]; }

# Run a command as root: we are root on these machines, elsewhere try sudo.
as_root() {
  if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# ensure_cmd COMMAND DEBIAN_PACKAGE... : install the packages only if COMMAND is missing.
# Serialised with flock because up.sh starts services in parallel and two
# apt-get runs would fight over the dpkg lock.
ensure_cmd() {
  local cmd="$1"; shift
  command -v "$cmd" >/dev/null 2>&1 && return 0
  log "$cmd not found; installing Debian package(s): $*"
  (
    flock -w 600 9 || die "timed out waiting for the apt lock $STATE_DIR/.apt.lock"
    command -v "$cmd" >/dev/null 2>&1 && exit 0  # another script installed it meanwhile
    local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=300)
    # A fresh machine may have stale/no package lists: update only when the install fails.
    if ! as_root "${apt[@]}" install "$@" >>"$LOG_DIR/apt.log" 2>&1; then
      log "install failed; running apt-get update and retrying (see $LOG_DIR/apt.log)"
      as_root "${apt[@]}" update >>"$LOG_DIR/apt.log" 2>&1 || true
      as_root "${apt[@]}" install "$@" >>"$LOG_DIR/apt.log" 2>&1 \
        || { tail -n 20 "$LOG_DIR/apt.log" >&2; die "apt-get install $* failed"; }
    fi
  ) 9>"$STATE_DIR/.apt.lock"
  command -v "$cmd" >/dev/null 2>&1 || die "$cmd still missing after installing $*"
}

# pid_from_file FILE -> prints the pid if FILE names a live process whose
# command line contains MARKER (guards against a stale file whose pid was reused).
pid_from_file() {
  local file="$1" marker="$2" pid
  [[ -s "$file" ]] || return 1
  pid="$(tr -dc '0-9' <"$file")"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$marker"* ]] || return 1
  echo "$pid"
}

# spawn_detached PIDFILE OUTFILE CMD... : start CMD in its own session (so a
# Ctrl-C or a process-group kill in the caller does not take the service down),
# stdout/stderr appended to OUTFILE. The pid is written by the child itself
# right before exec, so it is exact even if setsid had to fork.
spawn_detached() {
  local pidfile="$1" out="$2"; shift 2
  rm -f "$pidfile"
  # A marker, so the tail shown on failure is visibly from this start.
  printf '===== %s: starting %s\n' "$(date '+%F %T')" "$*" >>"$out"
  # shellcheck disable=SC2016  # $$ and $1 are for the inner bash
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pidfile" "$@" \
    </dev/null >>"$out" 2>&1 8>&- &
  local i
  for i in $(seq 50); do [[ -s "$pidfile" ]] && return 0; sleep 0.1; done
  die "process did not start (no pid file $pidfile)"
}

# stop_pid PID TIMEOUT_S : SIGTERM, wait, then SIGKILL as a last resort.
stop_pid() {
  local pid="$1" timeout="$2" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < timeout * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "pid $pid did not exit within ${timeout}s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  die "pid $pid survived SIGKILL"
}

# port_in_use PORT : true if something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# require_ports_free PORT... : fail early with a clear message instead of a
# bind error buried in a log.
require_ports_free() {
  local p
  for p in "$@"; do
    if port_in_use "$p"; then
      die "port 127.0.0.1:$p is already in use by another process: $(port_owner "$p")"
    fi
  done
}

port_owner() {
  command -v ss >/dev/null 2>&1 || { echo "unknown (no ss)"; return; }
  ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -n1
}

# wait_until TIMEOUT_S PID LOGFILES DESCRIPTION CMD... : poll CMD until it
# succeeds. Fails fast if PID dies, and shows the tails of LOGFILES
# (colon-separated) on failure.
wait_until() {
  local timeout="$1" pid="$2" what="$4" logfiles
  IFS=: read -ra logfiles <<<"$3"
  shift 4
  local deadline=$(($(now_ms) + timeout * 1000))
  while :; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      show_log_tail "${logfiles[@]}"
      die "process $pid exited while waiting for $what"
    fi
    if (($(now_ms) > deadline)); then
      show_log_tail "${logfiles[@]}"
      die "timed out after ${timeout}s waiting for $what (pid $pid still running)"
    fi
    sleep 0.2
  done
}

show_log_tail() {
  local f
  for f in "$@"; do
    [[ -s "$f" ]] || continue
    printf -- '----- last 40 lines of %s -----\n' "$f" >&2
    tail -n 40 "$f" >&2
    printf -- '-----\n' >&2
  done
}

usage_exit() {
  echo "usage: $0 start|stop|status|restart" >&2
  exit 2
}

# service_main ARGS : dispatch start|stop|status|restart to the sourcing script's do_start,
# do_stop and do_status.
service_main() {
  [[ "${1:-}" =~ ^(start|stop|status|restart)$ ]] || usage_exit
  [[ "$1" == status ]] || lock_service  # status must not wait behind a slow start
  case "$1" in
    start) do_start ;;
    stop) do_stop ;;
    status) do_status ;;
    restart) do_stop; do_start ;;
  esac
}
