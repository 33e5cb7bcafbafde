#!/usr/bin/env bash
# Start Kafka, ClickHouse and Redis on 127.0.0.1, in parallel (they share
# nothing; Kafka's JVM start dominates), then print one line per service.
#
#   up.sh [kafka|clickhouse|redis ...]     (default: all three)
#
# Honours the same env as the service scripts (EDU_RESET=1, ports, EDU_STATE_DIR).
set -euo pipefail

HERE="$(dirname "$(readlink -f "$0")")"
services=("$@")
((${#services[@]})) || services=(kafka clickhouse redis)

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

declare -A pids=()
for s in "${services[@]}"; do
  [[ -x "$HERE/$s.sh" ]] || { echo "up.sh: unknown service '$s'" >&2; exit 2; }
  # Progress (stderr) streams live; the one-line summary (stdout) is kept for the end.
  "$HERE/$s.sh" start >"$out/$s" &
  pids[$s]=$!
done

failed=()
for s in "${services[@]}"; do
  wait "${pids[$s]}" || failed+=("$s")
done

for s in "${services[@]}"; do
  [[ -s "$out/$s" ]] && cat "$out/$s"
done
if ((${#failed[@]})); then
  echo "up.sh: failed to start: ${failed[*]}" >&2
  exit 1
fi
