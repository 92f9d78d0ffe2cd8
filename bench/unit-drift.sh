#!/usr/bin/env bash
# Unit drift latency against a real systemd in systemd-nspawn (needs root, systemd-container, debootstrap).
# Usage: bench/unit-drift.sh [runs]   (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=runtime >/dev/null
java_bin=""
for j in "${JAVA_HOME:-}/bin/java" /usr/lib/jvm/*/bin/java; do
  [ -x "$j" ] || continue
  v="$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')"
  [ "${v:-0}" -ge 21 ] && { java_bin="$j"; break; }
done
[ -n "$java_bin" ] || { echo "unit-drift.sh: needs a JDK 21 or newer" >&2; exit 1; }
cd bench
exec "$java_bin" --enable-native-access=ALL-UNNAMED \
  -cp "target/flotilla-bench.jar:$(cat target/bench-classpath.txt)" \
  dev.flotilla.bench.UnitDriftBench "${1:-50}"
