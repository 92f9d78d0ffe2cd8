#!/usr/bin/env bash
# Steady-state cost of flotilla-agent with 200 managed resources: RSS, idle CPU and file drift latency.
# Usage: bench/agent.sh [IDLE_SECONDS (60)] [DRIFT_ROUNDS (100)]. See bench/README.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/flotilla-agent" --version >/dev/null   # builds the agent if its sources changed
java=""
for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/*/bin/java; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    java="$candidate"; break
  fi
done
[ -n "$java" ] || { echo "bench/agent.sh: needs a JDK 21 or newer" >&2; exit 1; }
exec "$java" --enable-native-access=ALL-UNNAMED -cp "$root/agent/target/flotilla-agent.jar:$root/agent/target/lib/*" \
  "$root/bench/AgentBench.java" "$root/flotilla-agent" "$root/bench/out/agent" "${1:-60}" "${2:-100}"
