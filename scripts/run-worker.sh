#!/usr/bin/env bash
# Starts an rmiq worker: scripts/run-worker.sh HOST:PORT [OPTIONS]   (--help lists everything)
set -euo pipefail
rmiq_here="${BASH_SOURCE[0]%/*}" && [[ "$rmiq_here" != "${BASH_SOURCE[0]}" ]] || rmiq_here=. # dirname, no process
source "$rmiq_here/lib.sh"
rmiq_ensure_jars
# Results stream out and downloads go straight to disk, so 512 MiB is plenty and keeps a
# student's laptop responsive; RMIQ_JAVA_OPTS comes last, so its -Xmx wins (e.g. for a plugin
# that needs more).
rmiq_gc_opts # the serial collector, unless RMIQ_JAVA_OPTS names one (lib.sh)
rmiq_cds_opts "$RMIQ_WORKER_JAR"
exec java ${RMIQ_CDS_OPTS[@]+"${RMIQ_CDS_OPTS[@]}"} "-XX:Flags=$RMIQ_ROOT/scripts/jvm.flags" -Xmx512m -Drmiq.script=run-worker.sh ${RMIQ_GC_OPTS[@]+"${RMIQ_GC_OPTS[@]}"} ${RMIQ_JAVA_OPTS:-} -jar "$RMIQ_WORKER_JAR" "$@"
