#!/usr/bin/env bash
# The whole test suite, as CI runs it (`npm test`, called by .ci/run):
#   1. installs what is missing (npm packages; Debian's clickhouse-server, kcat, chromium and a
#      CJK font; the Kafka jars from Maven Central) — the service scripts install their own;
#   2. starts a real Kafka broker, ClickHouse 18.16 server and Redis on 127.0.0.1, with
#      clean data (EDU_RESET=1);
#   3. type-checks, builds the screen, then runs the unit, component, integration and browser
#      tests (the store suites run on both ClickHouse engines: the server and chDB);
#   4. stops the services it started (EDU_KEEP_SERVICES=1 leaves them running).
# Ends with one line: "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
STATE_DIR="${EDU_STATE_DIR:-$PWD/.cache}"
mkdir -p "$STATE_DIR"

step() { printf '\n== %s\n' "$*"; }

step "npm packages"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
else
  echo "node_modules is up to date"
fi

step "browser for the end-to-end tests"
# Debian's Chromium, and a CJK font so the screen's Chinese renders in the screenshots.
if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto.*cjk'; then
  (apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null 2>&1) || { apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei; }
fi
chromium --version

step "the screen's build (served to the browser tests)"
npm run build -w @edu/screen

# The tests find the services through these (the service scripts honour the same ports).
export EDU_TEST_CLICKHOUSE_URL="${EDU_TEST_CLICKHOUSE_URL:-http://127.0.0.1:${CLICKHOUSE_HTTP_PORT:-8123}}"
export EDU_TEST_KAFKA_BROKERS="${EDU_TEST_KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
export EDU_TEST_REDIS_URL="${EDU_TEST_REDIS_URL:-redis://127.0.0.1:${REDIS_PORT:-6379}}"

step "services (Kafka, ClickHouse, Redis)"
EDU_RESET=1 bash deploy/services/up.sh
if [[ "${EDU_KEEP_SERVICES:-0}" != 1 ]]; then
  trap 'bash deploy/services/down.sh >/dev/null 2>&1 || true' EXIT
fi

step "type check"
npm run typecheck

step "tests"
results="$STATE_DIR/test-results.json"
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@"
status=$?
set -e
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' "$results" || echo "0 passed, 1 failed"
exit "$status"
