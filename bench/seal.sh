#!/usr/bin/env bash
# The figures of sealed secrets (bench/README.md): time to seal one value for DEVICES devices (default 10,000) as
# 'flotilla secret seal' does it, RUNS times in one JVM (default 3), and the agent's cost of one sealed file per
# bundle apply against the same file as plain content.
#   bench/seal.sh [DEVICES] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
mvn -B -q -o -pl cli -am package -DskipTests >/dev/null
java="${JAVA:-}"
if [ -z "$java" ]; then
  for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/*/bin/java; do
    if [ -x "$candidate" ] && "$candidate" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
      java="$candidate"; break
    fi
  done
fi
exec "$java" --enable-native-access=ALL-UNNAMED -cp "cli/target/flotilla-cli.jar:cli/target/lib/*" \
  bench/SealBench.java "$@"
