#!/usr/bin/env bash
# Usage: scripts/run-demo.sh
# The one-command demo: a master and two local workers on a free port with a fresh token.
# Part 1 squares 1..10 on both workers (--replicas 2); part 2 shares 20 sleep tasks of 200 ms between the two workers;
# part 3 downloads 24 images the master serves itself (--serve, so no internet is needed) and
# collects them back on the master (--collect), checking every file's SHA-256.
# Exit codes: 0 every part succeeded; otherwise the failing master's code (see README).
set -euo pipefail
rmiq_here="${BASH_SOURCE[0]%/*}" && [[ "$rmiq_here" != "${BASH_SOURCE[0]}" ]] || rmiq_here=. # dirname, no process
source "$rmiq_here/lib.sh"
rmiq_help_if_asked "$0" "$@"
rmiq_ensure_jars

work="$(mktemp -d "${TMPDIR:-/tmp}/rmiq-demo.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# A fresh token for this demo only; the workers get it through the environment.
RMIQ_TOKEN="$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')"
export RMIQ_TOKEN

# Runs one master job (port 0 = any free port) with two local workers; prints the results.
run_job() {
  local title="$1"; shift
  local log="$work/master.log"
  echo
  echo "=== $title ==="
  java "-XX:Flags=$RMIQ_ROOT/scripts/jvm.flags" -jar "$RMIQ_MASTER_JAR" --port 0 --timeout 30s --no-status --print-results "$@" \
    2>"$log" &
  local master=$!
  pids+=("$master")
  local port=""
  for _ in $(seq 1 300); do
    port="$(sed -n 's/^rmiq master listening on port \([0-9]*\).*/\1/p' "$log" | head -n 1)"
    [[ -n "$port" ]] && break
    kill -0 "$master" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z "$port" ]]; then
    cat "$log" >&2
    echo "run-demo: the master did not start; see the messages above" >&2
    exit 4
  fi
  echo "(master on port $port; starting two workers with 2 threads each)"
  for n in 1 2; do
    java "-XX:Flags=$RMIQ_ROOT/scripts/jvm.flags" -jar "$RMIQ_WORKER_JAR" "localhost:$port" --name "demo-worker-$n" --threads 2 \
      --download-dir "$work/worker-$n-downloads" --exit-when-done -q \
      2>"$work/worker-$n.log" &
    pids+=("$!")
  done
  local status=0
  wait "$master" || status=$?
  # The master's summary (and any warning), without its start-up and join/leave messages.
  sed -n '/^rmiq: /,$p' "$log" | grep -v ' INFO ' || true
  grep -E ' (WARN|ERROR) ' "$log" || true
  if [[ $status -ne 0 ]]; then
    cat "$log" "$work"/worker-*.log >&2
    echo "run-demo: the master exited with $status" >&2
    exit "$status"
  fi
}

# --replicas 2: each square runs on both workers and counts only if they agree, so part 1 shows
# two workers even though ten squares take one worker a few milliseconds.
run_job "Part 1: squares of 1..10, each computed by both workers and compared (--replicas 2)" \
  square 1..10 --replicas 2
run_job "Part 2: 20 tasks of 200 ms on 2 workers x 2 threads (ideal: 20 x 0.2 s / 4 = 1.0 s of work; one thread alone: 4.0 s)" \
  sleep 200x20

# Part 3's images: small pictures in the PPM format (any image viewer opens them).
site="$work/images"
mkdir -p "$site"
for i in $(seq -w 1 24); do
  { printf 'P6\n48 48\n255\n'; head -c $((48 * 48 * 3)) /dev/urandom; } >"$site/image-$i.ppm"
done
run_job "Part 3: 24 images served by the master, downloaded by the workers, collected back" \
  --serve "$site" --serve-port 0 --host localhost --collect "$work/collected" download
echo "(the master now holds $(ls "$work/collected" | wc -l) collected image(s), each checked by" \
  "SHA-256; the workers saved theirs in --download-dir)"
echo
echo "Demo finished. Next: scripts/run-master.sh --help, and README.md for running on several machines."
