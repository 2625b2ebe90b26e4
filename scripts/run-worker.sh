#!/usr/bin/env bash
# Starts an rmiq worker: scripts/run-worker.sh HOST:PORT [OPTIONS]   (--help lists everything)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rmiq_ensure_jars
# Results stream out and downloads go straight to disk, so 512 MiB is plenty and keeps a
# student's laptop responsive; RMIQ_JAVA_OPTS comes last, so its -Xmx wins (e.g. for a plugin
# that needs more).
# The serial collector, the JDK's own choice on a small machine: a worker's heap holds little
# for long, and without G1's write barriers and threads it spends 10-20 % less CPU on a job of
# short tasks (BENCHMARKS.md, "The collectors"). A collector named in RMIQ_JAVA_OPTS
# replaces it (two would stop the JVM).
gc=(-XX:+UseSerialGC)
[[ "${RMIQ_JAVA_OPTS:-}" == *-XX:+Use*GC* ]] && gc=()
rmiq_cds_opts "$RMIQ_WORKER_JAR"
exec java ${RMIQ_CDS_OPTS[@]+"${RMIQ_CDS_OPTS[@]}"} "-XX:Flags=$RMIQ_ROOT/scripts/jvm.flags" -Xmx512m ${gc[@]+"${gc[@]}"} ${RMIQ_JAVA_OPTS:-} -jar "$RMIQ_WORKER_JAR" "$@"
