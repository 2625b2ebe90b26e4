#!/usr/bin/env bash
# The speed-up experiment: scripts/run-experiment.sh JOB --workers 1,2,4 [--repeat 3]
# Runs the job with 1, 2, 4 local workers and writes results.csv, speedup.png, speedup.svg.
set -euo pipefail
rmiq_here="${BASH_SOURCE[0]%/*}" && [[ "$rmiq_here" != "${BASH_SOURCE[0]}" ]] || rmiq_here=. # dirname, no process
source "$rmiq_here/lib.sh"
rmiq_ensure_jars
rmiq_cds_opts "$RMIQ_MASTER_JAR"
exec java ${RMIQ_CDS_OPTS[@]+"${RMIQ_CDS_OPTS[@]}"} ${RMIQ_JAVA_OPTS:-} -cp "$RMIQ_MASTER_JAR" org.rmiq.cli.master.experiment.ExperimentMain \
  --worker-jar "$RMIQ_WORKER_JAR" "$@"
