#!/usr/bin/env bash
# A web server for the lab's hostile-download step: answers every path (../ and %2F tricks too)
# with a line naming it, so a class sees a worker save it safely.
#   scripts/lab-web-server.sh [PORT]   (default 8001; Ctrl-C stops it)
set -euo pipefail
rmiq_here="${BASH_SOURCE[0]%/*}" && [[ "$rmiq_here" != "${BASH_SOURCE[0]}" ]] || rmiq_here=. # dirname, no process
source "$rmiq_here/lib.sh"
rmiq_help_if_asked "$0" "$@"
rmiq_ensure_jars
exec java ${RMIQ_JAVA_OPTS:-} -cp "$RMIQ_MASTER_JAR" org.rmiq.cli.master.web.AnyPathServer "$@"
