#!/usr/bin/env bash
# Runs a job on a session master (run-master.sh --session) from any machine with the token:
#   scripts/rmiq-submit.sh HOST:PORT [JOB OPTIONS] JOB   (--help lists everything)
set -euo pipefail
rmiq_here="${BASH_SOURCE[0]%/*}" && [[ "$rmiq_here" != "${BASH_SOURCE[0]}" ]] || rmiq_here=. # dirname, no process
source "$rmiq_here/lib.sh"
rmiq_ensure_jars
rmiq_cds_opts "$RMIQ_MASTER_JAR"
exec java ${RMIQ_CDS_OPTS[@]+"${RMIQ_CDS_OPTS[@]}"} "-XX:Flags=$RMIQ_ROOT/scripts/jvm.flags" ${RMIQ_JAVA_OPTS:-} -jar "$RMIQ_MASTER_JAR" submit "$@"
