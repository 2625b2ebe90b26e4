#!/usr/bin/env bash
# Prints what a master is doing: scripts/rmiq-status.sh HOST:PORT   (token as for workers)
set -euo pipefail
rmiq_here="${BASH_SOURCE[0]%/*}" && [[ "$rmiq_here" != "${BASH_SOURCE[0]}" ]] || rmiq_here=. # dirname, no process
source "$rmiq_here/lib.sh"
rmiq_ensure_jars
rmiq_cds_opts "$RMIQ_WORKER_JAR"
exec java ${RMIQ_CDS_OPTS[@]+"${RMIQ_CDS_OPTS[@]}"} ${RMIQ_JAVA_OPTS:-} -cp "$RMIQ_WORKER_JAR" org.rmiq.cli.worker.StatusMain "$@"
