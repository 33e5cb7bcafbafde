#!/usr/bin/env bash
# Stop what up.sh started. redis.sh stops only a Redis it started itself (on REDIS_PORT, 6389
# by default); another one on that port (the machine's own, a colleague's) is left running.
#
#   down.sh [kafka|clickhouse|redis ...]   (default: all three)
set -euo pipefail

HERE="$(dirname "$(readlink -f "$0")")"
services=("$@")
((${#services[@]})) || services=(kafka clickhouse redis)

declare -A pids=()
for s in "${services[@]}"; do
  [[ -x "$HERE/$s.sh" ]] || { echo "down.sh: unknown service '$s'" >&2; exit 2; }
  # In parallel: Kafka's controlled shutdown takes a couple of seconds.
  "$HERE/$s.sh" stop &
  pids[$s]=$!
done

failed=()
for s in "${services[@]}"; do
  wait "${pids[$s]}" || failed+=("$s")
done
if ((${#failed[@]})); then
  echo "down.sh: failed to stop: ${failed[*]}" >&2
  exit 1
fi
