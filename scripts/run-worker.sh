#!/usr/bin/env bash
# Starts an rmiq worker: scripts/run-worker.sh HOST:PORT [OPTIONS]   (--help lists everything)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rmiq_ensure_jars
exec java ${RMIQ_JAVA_OPTS:-} -jar "$RMIQ_WORKER_JAR" "$@"
