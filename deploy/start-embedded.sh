#!/usr/bin/env bash
# The embedded default (`npm start`): the whole product in one process, on chDB, with the
# built-in city simulator and no Kafka or Redis. Installs what it needs on first run (npm
# packages, the screen's build), then opens the wall screen.
#   EDU_PORT (8080), EDU_DATA_DIR (.cache/embedded), EDU_SIMULATOR=0, SIM_* — see
#   deploy/src/embedded-config.ts. Ctrl-C stops it; the data stays for the next start.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "installing npm packages (first run)…"
  npm ci --no-audit --no-fund
fi
# Rebuild the screen when its sources or its build configuration are newer than the build.
if [[ -d screen/src ]] && { [[ ! -f screen/dist/index.html ]] || [[ -n "$(find screen/src screen/index.html screen/vite.config.ts screen/legacy-guard.ts -newer screen/dist/index.html -print -quit 2>/dev/null)" ]]; }; then
  echo "building the wall screen…"
  npm run build -w @edu/screen >/dev/null
fi
exec node --import tsx deploy/src/embedded.ts
