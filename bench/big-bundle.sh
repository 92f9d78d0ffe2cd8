#!/usr/bin/env bash
# The agent's RSS while applying the largest bundle it accepts (BundleFormat.MAX_BYTES), under the launcher's
# shipped JVM flags. Usage: bench/big-bundle.sh [RUN_SECONDS (20)]. See bench/README.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
env -u FLOTILLA_AGENT_JVM_FLAGS "$root/flotilla-agent" --version >/dev/null   # builds the agent if its sources changed
java=""
for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/*/bin/java; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    java="$candidate"; break
  fi
done
[ -n "$java" ] || { echo "bench/big-bundle.sh: needs a JDK 21 or newer" >&2; exit 1; }
exec "$java" --enable-native-access=ALL-UNNAMED -cp "$root/agent/target/flotilla-agent.jar:$root/agent/target/lib/*" \
  "$root/bench/BigBundle.java" "$root/flotilla-agent" "$root/bench/out/big-bundle" "${1:-20}"
