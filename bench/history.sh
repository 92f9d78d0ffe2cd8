#!/usr/bin/env bash
# History figures: a day of history for DEVICES devices (one change a day, five transitions each) written in
# BATCHES commits to a bare repo, its packed size after git gc, the index rebuild time, the last 100 events of a
# device from the index; then RATE events/s for SECONDS s with the reconciler's batching and what that costs.
#   bench/history.sh [DEVICES (10000)] [BATCHES (720)] [RATE (167)] [SECONDS (60)]
# Works from any directory; builds the CLI (for its jars) when its sources changed. See bench/README.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/flotilla" --version >/dev/null
jdk=""
for candidate in "${JAVA_HOME:+$JAVA_HOME}" /usr/lib/jvm/*; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] \
      && "$candidate/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    jdk="$candidate"; break
  fi
done
[ -n "$jdk" ] || { echo "bench/history.sh: needs a JDK 21 or newer (JAVA_HOME or /usr/lib/jvm/*)" >&2; exit 1; }
devices="${1:-10000}" batches="${2:-720}" rate="${3:-167}" seconds="${4:-60}"
run() {
  "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m -XX:+UseG1GC \
    -cp "$root/cli/target/flotilla-cli.jar:$root/cli/target/lib/*" "$root/bench/HistoryDay.java" \
    "$root/bench/out/history" "$@" 2>&1 | grep -v '^SLF4J'
}
run day "$devices" "$batches"
run idle "$devices" 0 "$seconds"
run load "$devices" "$rate" "$seconds"
