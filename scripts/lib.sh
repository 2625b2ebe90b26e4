# Shared by the rmiq scripts: find the repository and build the jars on first use.
RMIQ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RMIQ_MASTER_JAR="$RMIQ_ROOT/master-cli/target/rmiq-master.jar"
RMIQ_WORKER_JAR="$RMIQ_ROOT/worker-cli/target/rmiq-worker.jar"

rmiq_ensure_jars() {
  if [[ ! -f "$RMIQ_MASTER_JAR" || ! -f "$RMIQ_WORKER_JAR" ]]; then
    echo "rmiq: building the jars (first use; takes a minute): ./mvnw -q -DskipTests package" >&2
    (cd "$RMIQ_ROOT" && ./mvnw -q -B -DskipTests package) || {
      echo "rmiq: the build failed; run '$RMIQ_ROOT/mvnw -DskipTests package' to see why" >&2
      exit 4
    }
  fi
  if ! command -v java >/dev/null 2>&1; then
    echo "rmiq: 'java' is not on PATH; install a JDK 17 or newer" >&2
    exit 4
  fi
}
