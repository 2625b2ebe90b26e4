#!/usr/bin/env bash
# Starts an rmiq master: scripts/run-master.sh [OPTIONS] [JOB]   (--help lists everything)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rmiq_ensure_jars
# A 1 GiB heap holds a job of millions of tasks (BENCHMARKS.md, "cli"); without a cap the JVM
# may take a quarter of the machine's memory before it collects. RMIQ_JAVA_OPTS comes last, so
# its -Xmx wins.
# The serial collector: a task's record is made when it is handed out and dies young, so the
# master's live set stays small (17-92 MB in a session of six 500,000-task jobs) and its pauses
# short (at most 115 ms there, two full collections among them, against G1's 254 ms), while
# G1's write barriers and threads cost it 16-25 % more CPU (BENCHMARKS.md, "The collectors").
# A collector named in RMIQ_JAVA_OPTS replaces it (two would stop the JVM).
gc=(-XX:+UseSerialGC)
[[ "${RMIQ_JAVA_OPTS:-}" == *-XX:+Use*GC* ]] && gc=()
rmiq_cds_opts "$RMIQ_MASTER_JAR"
exec java ${RMIQ_CDS_OPTS[@]+"${RMIQ_CDS_OPTS[@]}"} "-XX:Flags=$RMIQ_ROOT/scripts/jvm.flags" -Xmx1g ${gc[@]+"${gc[@]}"} ${RMIQ_JAVA_OPTS:-} -jar "$RMIQ_MASTER_JAR" "$@"
