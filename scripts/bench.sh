#!/usr/bin/env bash
# Runs rmiq's benchmarks (not tests): scripts/bench.sh [SCENARIO...]
# Scenarios: python throughput latency memory scale fairness downloads jmh (default: all but python,
# which throughput runs first as its reference). Needs python3 for the Python reference.
# Results: one line per scenario; record them in BENCHMARKS.md with the date and machine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_jar="$RMIQ_ROOT/bench/target/rmiq-bench.jar"
if [[ ! -f "$bench_jar" ]]; then
  echo "rmiq: building the jars (first use): ./mvnw -q -DskipTests package" >&2
  (cd "$RMIQ_ROOT" && ./mvnw -q -B -DskipTests package)
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "bench: python3 is needed for the Python manager reference (apt-get install python3)" >&2
  exit 2
fi
cd "$RMIQ_ROOT"
# 512 MB: the memory scenario's limit; the in-process master of the others fits too.
exec java -Xmx512m -jar "$bench_jar" "$@" 2> >(grep -v ' INFO ' >&2)
