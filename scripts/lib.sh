# Shared by the rmiq scripts: find the repository, and build the runnable jars when they are
# missing or older than the sources (first use, or after a pull or an edit).
# Not a command: it is sourced by the scripts in this folder (with bash).
if [ -z "${BASH_VERSION:-}" ] || [ "${BASH_SOURCE[0]:-}" = "$0" ]; then
  echo "scripts/lib.sh is the rmiq scripts' shared library, not a command; run one of them," \
    "e.g. scripts/run-master.sh --help (the README lists them all)" >&2
  case " $* " in *" --help "* | *" -h "*) exit 0 ;; esac
  exit 2
fi
# The folder above this file's. ${x%/*} is dirname without starting a process: every start runs
# this, and each process a script starts costs it 1-5 ms (BENCHMARKS.md, "The scripts' own time").
RMIQ_ROOT="${BASH_SOURCE[0]%/*}"
[[ "$RMIQ_ROOT" != "${BASH_SOURCE[0]}" ]] || RMIQ_ROOT=.
RMIQ_ROOT="$(cd "$RMIQ_ROOT/.." && pwd)"
RMIQ_MASTER_JAR="$RMIQ_ROOT/master/cli/target/rmiq-master.jar"
RMIQ_WORKER_JAR="$RMIQ_ROOT/worker/cli/target/rmiq-worker.jar"
RMIQ_PLUGIN_JAR="$RMIQ_ROOT/examples/plugin-primes/target/rmiq-plugin-primes.jar"
# What running needs; tests, benchmarks and their libraries are never built by a script.
RMIQ_RUNNABLE_MODULES="master/cli,worker/cli,examples/plugin-primes"

# Prints "NAME: usage" for --help/-h from the script's own header comment (the lines after the
# shebang that start with '#'), and exits 0. Call as: rmiq_help_if_asked "$0" "$@"
rmiq_help_if_asked() {
  local script="$1"
  shift
  local arg
  for arg in "$@"; do
    case "$arg" in
      --) return 0 ;;
      -h | --help)
        sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$script"
        exit 0
        ;;
    esac
  done
}

rmiq_ensure_java() {
  if ! command -v java >/dev/null 2>&1; then
    echo "rmiq: 'java' is not on PATH; install a JDK 17 or newer (e.g. apt-get install openjdk-17-jdk)" >&2
    exit 4
  fi
}

# What the jars are built from, as find(1) tests: folders that hold none of it (pruned; tests,
# benchmarks and the library demo are not in the jars: editing them rebuilds nothing), and the
# files that are sources.
RMIQ_NOT_SOURCES=(\( -name target -o -name .git -o -name node_modules -o -path "$RMIQ_ROOT/e2e"
  -o -path "$RMIQ_ROOT/bench" -o -path "$RMIQ_ROOT/examples/library-demo" -o -path '*/src/test' \)
  -prune)
RMIQ_SOURCES=(\( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -type f)

# Sets RMIQ_OLDEST_JAR to the oldest of the given jars; false (1) when one is missing. A variable,
# not output: a command substitution would fork at every start.
rmiq_oldest_jar() {
  local jar
  RMIQ_OLDEST_JAR=""
  for jar in "$@"; do
    [[ -f "$jar" ]] || return 1
    if [[ -z "$RMIQ_OLDEST_JAR" || "$jar" -ot "$RMIQ_OLDEST_JAR" ]]; then
      RMIQ_OLDEST_JAR="$jar"
    fi
  done
}

# True (0) when any of the jars is missing or a source file is newer than the oldest of them.
rmiq_jars_stale() {
  rmiq_oldest_jar "$@" || return 0
  [[ -n "$(find "$RMIQ_ROOT" "${RMIQ_NOT_SOURCES[@]}" -o "${RMIQ_SOURCES[@]}" \
    -newer "$RMIQ_OLDEST_JAR" -print -quit 2>/dev/null)" ]]
}

# Runs "$@" holding the build lock, so two scripts started together wait for one build
# instead of corrupting each other's.
rmiq_with_build_lock() {
  local lock="$RMIQ_ROOT/.rmiq-build.lock"
  if command -v flock >/dev/null 2>&1; then
    (
      exec 9>"$lock"
      if ! flock -n 9; then
        echo "rmiq: another rmiq script is building the jars; waiting for it" >&2
        flock 9
      fi
      "$@"
    )
  else
    # No flock (e.g. macOS): a directory is created atomically or not at all.
    local waited=0
    until mkdir "$lock.d" 2>/dev/null; do
      ((waited == 0)) && echo "rmiq: another rmiq script is building the jars; waiting for it" >&2
      sleep 1
      if ((++waited > 900)); then
        echo "rmiq: still locked after 15 minutes; if no build runs, remove $lock.d" >&2
        exit 4
      fi
    done
    trap 'rmdir "$RMIQ_ROOT/.rmiq-build.lock.d" 2>/dev/null' EXIT
    "$@"
    local status=$?
    rmdir "$lock.d" 2>/dev/null
    trap - EXIT
    return $status
  fi
}

# True (0) when a runnable jar is missing or older than a source it is built from. The plugin jar
# is compared with its own folder and the task API only: Maven leaves a jar whose contents did not
# change untouched, so comparing it with every source would rebuild on every run after any edit
# elsewhere (and rebuild under a running test suite). One walk of the tree answers both questions:
# every start runs this, and a second find cost ~12 ms of each.
rmiq_runnable_jars_stale() {
  rmiq_oldest_jar "$RMIQ_MASTER_JAR" "$RMIQ_WORKER_JAR" && [[ -f "$RMIQ_PLUGIN_JAR" ]] || return 0
  local api="$RMIQ_ROOT/common/api" plugin="$RMIQ_ROOT/examples/plugin-primes"
  [[ -n "$(find "$RMIQ_ROOT" "${RMIQ_NOT_SOURCES[@]}" -o \( \( "${RMIQ_SOURCES[@]}" \
    -newer "$RMIQ_OLDEST_JAR" \) \
    -o \( \( -path "$api/src/main/*" -o -path "$api/pom.xml" -o -path "$plugin/src/main/*" \
    -o -path "$plugin/pom.xml" \) -type f -newer "$RMIQ_PLUGIN_JAR" \) \) -print -quit 2>/dev/null)" ]]
}

# Builds the runnable jars, showing each module as Maven reaches it and a dot per download.
rmiq_build_jars() {
  # Checked again under the lock: the script we waited for may have built them already.
  rmiq_runnable_jars_stale || return 0
  echo "rmiq: building the jars (first use, or the sources changed): ./mvnw package -pl $RMIQ_RUNNABLE_MODULES -am" >&2
  local log
  log="$(mktemp "${TMPDIR:-/tmp}/rmiq-build.XXXXXX")"
  set +e
  (cd "$RMIQ_ROOT" && ./mvnw -B -Drmiq.quick -Dmaven.test.skip=true \
    -pl "$RMIQ_RUNNABLE_MODULES" -am package) 2>&1 | tee "$log" | awk '
      /^\[INFO\] Building rmiq/ { sub(/^\[INFO\] Building /, ""); sub(/ [0-9].*$/, "");
                                 printf "%s  %s", (started ? "\n" : ""), $0; started = 1; fflush(); next }
      /Downloaded from/       { printf "."; fflush(); next }
      END                     { print "" }' >&2
  local status=${PIPESTATUS[0]}
  set -e
  if [[ $status -ne 0 ]]; then
    grep -E '^\[ERROR\]' "$log" | head -n 20 >&2
    echo "rmiq: the build failed (the whole log: $log); run '$RMIQ_ROOT/mvnw -DskipTests package' to see why" >&2
    exit 4
  fi
  rm -f "$log"
  # Maven leaves a jar whose contents did not change as it was (e.g. the plugin's after an edit
  # to the master): mark all three as built now, or every later script would build again.
  touch "$RMIQ_MASTER_JAR" "$RMIQ_WORKER_JAR" "$RMIQ_PLUGIN_JAR"
}

rmiq_ensure_jars() {
  rmiq_ensure_java
  if rmiq_runnable_jars_stale; then
    rmiq_with_build_lock rmiq_build_jars
  fi
}

# --- The collector ---------------------------------------------------------------------------
# Sets RMIQ_GC_OPTS to the serial collector, the JDK's own choice on a small machine: a master's
# and a worker's live data stay small (a task's record is made when it is handed out and dies
# young), so its pauses stay short (at most 115 ms in a session of six 500,000-task jobs, against
# G1's 254 ms) while G1's write barriers and threads cost 10-25 % more CPU (BENCHMARKS.md, "The
# collectors"). A collector named in RMIQ_JAVA_OPTS replaces it (two would stop the JVM).
# Use as: ${RMIQ_GC_OPTS[@]+"${RMIQ_GC_OPTS[@]}"}
rmiq_gc_opts() {
  RMIQ_GC_OPTS=(-XX:+UseSerialGC)
  if [[ "${RMIQ_JAVA_OPTS:-}" == *-XX:+Use*GC* ]]; then
    RMIQ_GC_OPTS=()
  fi
}

# --- Class-data sharing: starts in about two thirds of the time ---------------------------------
# Each runnable jar gets an archive (AppCDS) of the classes a real join loads: the commands, TLS,
# the PAKE, RMI. A short training run in the background makes it, once per jar and per java: a
# master and a worker on loopback with a throwaway token and config folder, doing a small job. A
# start uses an archive only when its stamp names this jar and this java; should the JVM still
# fail to map it, it starts without it, silently. RMIQ_CDS=off turns all of this off;
# RMIQ_CDS=wait makes a missing archive in the foreground (tests, benchmarks).

# Sets RMIQ_CDS_JAVA to which java runs: its path on PATH (an archive also goes stale when that
# file is newer than it). The shell's table of commands, not $(command -v java): no subshell.
rmiq_cds_java() {
  RMIQ_CDS_JAVA=""
  if hash java 2>/dev/null; then
    RMIQ_CDS_JAVA="${BASH_CMDS[java]:-}"
  fi
}

# Sets RMIQ_CDS_OPTS to the JVM options that use JAR's archive, or to none (and starts a training
# when the archive is missing or stale). Use as: ${RMIQ_CDS_OPTS[@]+"${RMIQ_CDS_OPTS[@]}"}
rmiq_cds_opts() {
  RMIQ_CDS_OPTS=()
  [[ "${RMIQ_CDS:-on}" == off ]] && return 0
  local jar="$1" archive="${1%.jar}.jsa"
  if ! rmiq_cds_fresh "$jar"; then
    if [[ "${RMIQ_CDS:-on}" != wait ]]; then
      rmiq_cds_train_in_background # this start runs without; the next ones with
      return 0
    fi
    echo "rmiq: making the class-data archives (RMIQ_CDS=wait)" >&2
    rmiq_cds_train
    rmiq_cds_fresh "$jar" || return 0
  fi
  RMIQ_CDS_OPTS=("-XX:SharedArchiveFile=$archive" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
}

# True (0) when JAR's archive exists and was made from this jar with this java. Only bash
# builtins: this runs at every start.
rmiq_cds_fresh() {
  local archive="${1%.jar}.jsa" stamp=""
  rmiq_cds_java
  [[ -n "$RMIQ_CDS_JAVA" && -s "$archive" && -f "$archive.stamp" && "$archive" -nt "$1" &&
    "$archive" -nt "$RMIQ_CDS_JAVA" ]] || return 1
  read -r stamp <"$archive.stamp" || true # the stamp is one line: the java that made it
  [[ "$stamp" == "$RMIQ_CDS_JAVA" ]]
}

rmiq_cds_train_in_background() {
  local lock="$RMIQ_ROOT/.rmiq-cds.lock.d"
  # a training killed half-way leaves its lock: one older than 5 minutes is stale
  find "$lock" -maxdepth 0 -mmin +5 -exec rmdir {} \; 2>/dev/null || true
  mkdir "$lock" 2>/dev/null || return 0 # one training at a time
  (rmiq_cds_train; rmdir "$lock") </dev/null >/dev/null 2>&1 &
}

# The training: both jars' archives from one small job on loopback, the master with its status
# page (on loopback too), so the page's classes are archived as a teacher's master loads them.
rmiq_cds_train() {
  local tmp java_bin port="" i
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/rmiq-cds.XXXXXX")" || return 0
  rmiq_cds_java
  java_bin="$RMIQ_CDS_JAVA"
  touch "$tmp/started" # a jar rebuilt after this makes the new archives useless
  local master_new="${RMIQ_MASTER_JAR%.jar}.jsa.new.$$" worker_new="${RMIQ_WORKER_JAR%.jar}.jsa.new.$$"
  (
    cd "$tmp" || exit 1
    export XDG_CONFIG_HOME="$tmp/config" RMIQ_TOKEN="cds-training-$RANDOM$RANDOM$RANDOM$RANDOM"
    java -Xmx1g -XX:ArchiveClassesAtExit="$master_new" -jar "$RMIQ_MASTER_JAR" \
      --port 0 --status-port 0 --status-bind 127.0.0.1 --out out.jsonl square 1..200 \
      >master.out 2>master.err &
    local master=$!
    for i in $(seq 1 300); do
      port="$(sed -n 's/.*listening on port \([0-9][0-9]*\).*/\1/p' master.err | head -n 1)"
      [[ -n "$port" ]] && break
      sleep 0.1
    done
    if [[ -n "$port" ]]; then
      java -Xmx512m -XX:ArchiveClassesAtExit="$worker_new" -jar "$RMIQ_WORKER_JAR" \
        "127.0.0.1:$port" --exit-when-done >worker.out 2>&1
    fi
    wait "$master"
  )
  # the archives replace the old ones atomically, each with its stamp (which java made it)
  local jar new
  for jar in "$RMIQ_MASTER_JAR" "$RMIQ_WORKER_JAR"; do
    new="$master_new"
    [[ "$jar" == "$RMIQ_WORKER_JAR" ]] && new="$worker_new"
    if [[ -s "$new" && ! "$jar" -nt "$tmp/started" ]]; then
      echo "$java_bin" >"${jar%.jar}.jsa.stamp.new" &&
        mv -f "${jar%.jar}.jsa.stamp.new" "${jar%.jar}.jsa.stamp" &&
        mv -f "$new" "${jar%.jar}.jsa"
    fi
  done
  rm -rf "$tmp" "$master_new" "$worker_new"
}
