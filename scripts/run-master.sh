#!/usr/bin/env bash
# Starts an rmiq master: scripts/run-master.sh [OPTIONS] [JOB]   (--help lists everything)
set -euo pipefail
rmiq_here="${BASH_SOURCE[0]%/*}" && [[ "$rmiq_here" != "${BASH_SOURCE[0]}" ]] || rmiq_here=. # dirname, no process
source "$rmiq_here/lib.sh"
rmiq_ensure_jars
# A 1 GiB heap holds a job of millions of tasks (BENCHMARKS.md, "cli"); without a cap the JVM
# may take a quarter of the machine's memory before it collects. RMIQ_JAVA_OPTS comes last, so
# its -Xmx wins.
rmiq_gc_opts # the serial collector, unless RMIQ_JAVA_OPTS names one (lib.sh)
rmiq_cds_opts "$RMIQ_MASTER_JAR"
exec java ${RMIQ_CDS_OPTS[@]+"${RMIQ_CDS_OPTS[@]}"} "-XX:Flags=$RMIQ_ROOT/scripts/jvm.flags" -Xmx1g ${RMIQ_GC_OPTS[@]+"${RMIQ_GC_OPTS[@]}"} ${RMIQ_JAVA_OPTS:-} -jar "$RMIQ_MASTER_JAR" "$@"
