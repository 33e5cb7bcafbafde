#!/usr/bin/env bash
# Backup and restore of the bureau's own records (README "Backup and restore"):
#   deploy/backup.sh backup  --out FILE [--engine server|chdb …]
#   deploy/backup.sh restore --in FILE [--force] […]
# Relative paths are from where it was typed; `deploy/backup.sh --help` lists the options.
set -euo pipefail
export INIT_CWD="${INIT_CWD:-$PWD}"
cd "$(dirname "$(readlink -f "$0")")/.."
exec node --import tsx deploy/src/backup/cli.ts "$@"
