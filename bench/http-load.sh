#!/usr/bin/env bash
# The reconciler under unauthenticated load (bench/README.md): a reconciler in its own JVM (serve's flags) serving
# the template fleet with one enrolled device over TLS on loopback, then CONCURRENCY clients sending unauthenticated
# 1 MiB POSTs (TOTAL in all, at most SECONDS), while a legitimately signed request is timed every 250 ms and the
# reconciler's RSS is sampled every 100 ms.
#   bench/http-load.sh [CONCURRENCY] [TOTAL] [SECONDS]      # defaults: 300 3000 60
# SERVER_JVM_FLAGS replaces the reconciler's JVM flags (default: those ./flotilla gives serve, without its CDS archive).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
mvn -B -q -o -pl cli -am test-compile package -DskipTests >/dev/null
java="${JAVA:-}"
if [ -z "$java" ]; then
  for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/*/bin/java; do
    if [ -x "$candidate" ] && "$candidate" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
      java="$candidate"; break
    fi
  done
fi
cp="cli/target/test-classes:cli/target/flotilla-cli.jar:cli/target/lib/*"
work="$(mktemp -d /tmp/flotilla-http-load.XXXXXX)"
flags="${SERVER_JVM_FLAGS:--Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=100 -XX:G1HeapRegionSize=4m}"
# shellcheck disable=SC2086
"$java" $flags --enable-native-access=ALL-UNNAMED -cp "$cp" \
  dev.flotilla.cli.HttpLoadServer "$root/fleet-repo-template" "$work" >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 600); do
  [ -f "$work/ready" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
[ -f "$work/ready" ] || { echo "reconciler not ready in 60 s" >&2; exit 1; }
sleep 5 # let start-up garbage settle before the idle sample
"$java" -cp "$cp" bench/HttpLoad.java "$work/ready" "$server" "${1:-300}" "${2:-3000}" "${3:-60}"
