#!/usr/bin/env bash
# Usage: scripts/bench.sh [SCENARIO...]
# Runs rmiq's benchmarks (not tests). Scenarios: python throughput cli latency tls handshake
# idle memory scale fairness downloads jmh (default: all but python, which throughput and cli
# run first as their reference). Needs python3 for the Python reference.
# -Drmiq.bench.plaintext=true in JAVA_TOOL_OPTIONS measures without encryption.
# Results: one line per scenario; record them in BENCHMARKS.md with the date and machine.
set -euo pipefail
rmiq_here="${BASH_SOURCE[0]%/*}" && [[ "$rmiq_here" != "${BASH_SOURCE[0]}" ]] || rmiq_here=. # dirname, no process
source "$rmiq_here/lib.sh"
rmiq_help_if_asked "$0" "$@"
rmiq_ensure_java
bench_jar="$RMIQ_ROOT/bench/target/rmiq-bench.jar"
# The shared check skips the bench folder (no runnable jar holds it); this jar is built from it.
if rmiq_jars_stale "$bench_jar" ||
  [[ -n "$(find "$RMIQ_ROOT/bench" -name target -prune -o -type f -newer "$bench_jar" -print -quit)" ]]; then
  echo "rmiq: building the benchmark jar: ./mvnw -Pall package -pl bench -am -Dmaven.test.skip=true" >&2
  (cd "$RMIQ_ROOT" && rmiq_with_build_lock ./mvnw -B -q -Drmiq.quick -Dmaven.test.skip=true -Pall -pl bench -am package)
  touch "$bench_jar"
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "bench: python3 is needed for the Python manager reference (apt-get install python3)" >&2
  exit 2
fi
cd "$RMIQ_ROOT"
# 512 MB: the memory scenario's limit; the in-process master of the others fits too.
exec java "-XX:Flags=$RMIQ_ROOT/scripts/jvm.flags" -Xmx512m -jar "$bench_jar" "$@" 2> >(grep -v ' INFO ' >&2)
