#!/usr/bin/env bash
# The whole test suite, as CI runs it (`npm test`, called by .ci/run):
#   1. installs what is missing (npm packages; Debian's clickhouse-server, kcat, chromium and a
#      CJK font; the Kafka jars from Maven Central) — the service scripts install their own;
#   2. lints (`npm run lint`: eslint, including the rule that keeps SQL in analytics/) and checks
#      the formatting (`prettier --check .`);
#   3. starts a real Kafka broker, ClickHouse 18.16 server and a Redis of the suite's own on
#      127.0.0.1, with clean data (EDU_RESET=1). The Redis is on EDU_TEST_REDIS_PORT (6389),
#      started by deploy/services/redis.sh with its own folder under .cache/run/redis-PORT/; a
#      Redis the suite did not start on that port stops the run: it is never used, flushed or
#      stopped;
#   4. type-checks, builds the screen, then runs the unit, component, integration and browser
#      tests (the store suites run on both ClickHouse engines: the server and chDB);
#   5. stops the services it started (EDU_KEEP_SERVICES=1 leaves them running);
#   6. proves the machine's own Redis was not touched: if one answers on 127.0.0.1:6379
#      (EDU_MACHINE_REDIS_PORT), a key with a random value is written there before the services
#      start and must read back unchanged at the end (then that key alone is deleted).
# Lint, formatting, the legacy bundle's syntax and the machine's Redis are counted as one test
# each in the last line, which is always printed once the tests ran: "N passed, N failed, N
# skipped".
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
STATE_DIR="${EDU_STATE_DIR:-$PWD/.cache}"
mkdir -p "$STATE_DIR"

step() { printf '\n== %s\n' "$*"; }

# Checks outside vitest: run, reported, counted; a failure fails the run but stops nothing.
checks_passed=0
failed_checks=()
check() { # name, command...
  local name="$1"
  shift
  if "$@"; then
    checks_passed=$((checks_passed + 1))
  else
    failed_checks+=("$name")
    echo "FAILED: $name"
  fi
}

step "npm packages"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
else
  echo "node_modules is up to date"
fi

step "lint (eslint: no SQL outside analytics/, config read only in config modules, ...)"
check "lint (npm run lint)" npm run lint --silent

step "formatting (prettier --check; \`npm run format\` rewrites)"
check "formatting (npx prettier --check .)" npx prettier --check --log-level warn .

step "browser for the end-to-end tests"
# Debian's Chromium, and a CJK font so the screen's Chinese renders in the screenshots.
if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto.*cjk'; then
  (apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null 2>&1) || { apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei; }
fi
chromium --version

step "the cluster layout's parts (Debian's zookeeper and nginx, for the reduced cluster fault suite)"
bash deploy/cluster/local.sh install

step "the screen's build (served to the browser tests)"
npm run build -w @edu/screen
# The legacy bundle (old wall PCs, the manual's floor of Chrome 61) must parse as ES2017.
check "legacy bundle syntax (es-check es2017 screen/dist/assets/*-legacy-*.js)" npm run check:legacy -w @edu/screen

# The tests find the services through these (the service scripts honour the same ports).
# The suite's Redis is its own, never the machine's: EDU_TEST_REDIS_URL always names it.
TEST_REDIS_PORT="${EDU_TEST_REDIS_PORT:-6389}"
MACHINE_REDIS_PORT="${EDU_MACHINE_REDIS_PORT:-6379}"
if [[ "$TEST_REDIS_PORT" == "$MACHINE_REDIS_PORT" ]]; then
  echo "EDU_TEST_REDIS_PORT must not be $MACHINE_REDIS_PORT, the machine's own Redis port" >&2
  exit 2
fi
export REDIS_PORT="$TEST_REDIS_PORT" REDIS_REUSE=0
export EDU_TEST_CLICKHOUSE_URL="${EDU_TEST_CLICKHOUSE_URL:-http://127.0.0.1:${CLICKHOUSE_HTTP_PORT:-8123}}"
export EDU_TEST_KAFKA_BROKERS="${EDU_TEST_KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
export EDU_TEST_REDIS_URL="redis://127.0.0.1:$TEST_REDIS_PORT"

step "the machine's own Redis (127.0.0.1:$MACHINE_REDIS_PORT): a sentinel key"
# Nothing here may change it. Only this key is ever written there, and only it is deleted.
sentinel_key=""
sentinel_value=""
machine_redis() { redis-cli -h 127.0.0.1 -p "$MACHINE_REDIS_PORT" "$@"; }
if (exec 3<>"/dev/tcp/127.0.0.1/$MACHINE_REDIS_PORT") 2>/dev/null; then
  command -v redis-cli >/dev/null || (apt-get install -y -qq redis-tools >/dev/null 2>&1) \
    || { apt-get update -qq && apt-get install -y -qq redis-tools; }
  if [[ "$(machine_redis ping 2>/dev/null)" == PONG ]]; then
    sentinel_key="edu-test-all:sentinel:$(date +%s):$$"
    sentinel_value="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
    # Expires in two days should this run be killed before it deletes the key.
    [[ "$(machine_redis set "$sentinel_key" "$sentinel_value" EX 172800 NX)" == OK ]] \
      || { echo "could not write the sentinel key to 127.0.0.1:$MACHINE_REDIS_PORT" >&2; exit 1; }
    echo "wrote $sentinel_key; it must read back unchanged after the suite"
  else
    echo "127.0.0.1:$MACHINE_REDIS_PORT answers but not as a Redis we may write to (no PONG): no sentinel"
  fi
else
  echo "no Redis on 127.0.0.1:$MACHINE_REDIS_PORT: nothing to protect"
fi
remove_sentinel() {
  [[ -n "$sentinel_key" ]] || return 0
  machine_redis del "$sentinel_key" >/dev/null 2>&1 || true
  sentinel_key=""
}
machine_redis_untouched() {
  [[ -n "$sentinel_key" ]] || return 0
  local now
  now="$(machine_redis get "$sentinel_key" 2>&1)" || true
  if [[ "$now" == "$sentinel_value" ]]; then
    echo "the machine's Redis on 127.0.0.1:$MACHINE_REDIS_PORT kept the sentinel key $sentinel_key"
    return 0
  fi
  echo "the machine's Redis on 127.0.0.1:$MACHINE_REDIS_PORT lost or changed the sentinel key $sentinel_key" \
    "(expected '$sentinel_value', read '$now'): something in the suite wrote to or flushed a Redis it did not start" >&2
  return 1
}

services_stopped=0
stop_services() {
  ((services_stopped == 0)) || return 0
  services_stopped=1
  if [[ "${EDU_KEEP_SERVICES:-0}" != 1 ]]; then bash deploy/services/down.sh >/dev/null 2>&1 || true; fi
}
# On any early exit: stop what we started and take the sentinel key away again.
trap 'stop_services; remove_sentinel' EXIT

step "services (Kafka, ClickHouse, the suite's Redis on 127.0.0.1:$TEST_REDIS_PORT)"
EDU_RESET=1 bash deploy/services/up.sh

step "type check"
npm run typecheck

step "tests"
results="$STATE_DIR/test-results.json"
rm -f "$results"
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@"
status=$?
set -e

step "stopping the services; the machine's Redis"
stop_services
check "the machine's Redis untouched (sentinel key on 127.0.0.1:$MACHINE_REDIS_PORT)" machine_redis_untouched
remove_sentinel

((${#failed_checks[@]} == 0)) || { echo "failed checks: ${failed_checks[*]}"; status=1; }
CHECKS_PASSED="$checks_passed" CHECKS_FAILED="${#failed_checks[@]}" node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  const passed = r.numPassedTests + Number(process.env.CHECKS_PASSED);
  const failed = r.numFailedTests + Number(process.env.CHECKS_FAILED);
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$results" || echo "$checks_passed passed, $((${#failed_checks[@]} + 1)) failed, 0 skipped"
exit "$status"
