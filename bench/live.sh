#!/usr/bin/env bash
# Runs one of the live benchmarks (mains in the bench module, which reuse cli's LiveFleet): builds the CLI and the
# bench module if needed, then runs the harness with the JDK the launcher picks. See bench/README.md.
#   bench/live.sh republish FLEET [COMMITS]     commit touching one policy -> bundles republished
#   bench/live.sh converge [AGENTS] [COMMITS]   commit -> applied on agents over loopback HTTPS long-poll
#   bench/live.sh polls FLEET [SECONDS]         304 answers to signed polls of every device of FLEET
#   bench/live.sh series FLEET                  Prometheus series the reconciler exports, every device reported
#   bench/live.sh telemetry [N]                 CPU, allocation and memory of the agent's host telemetry
#   bench/live.sh board FLEET [RUNS]            status board pages and live events, every device of FLEET reporting
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
case "${1:-}" in
  republish) main=RepublishBench ;;
  converge) main=ConvergeBench ;;
  polls) main=PollBench ;;
  series) main=SeriesBench ;;
  telemetry) main=TelemetryBench ;;
  board) main=BoardBench ;;
  *) echo "usage: bench/live.sh republish|converge|polls|series|telemetry|board ARGS" >&2; exit 2 ;;
esac
shift
[ -n "${FLOTILLA_BENCH_NO_BUILD:-}" ] || mvn -B -q -o -pl bench -am package -DskipTests >/dev/null
java="${JAVA:-}"
if [ -z "$java" ]; then
  for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/*/bin/java; do
    if [ -x "$candidate" ] && "$candidate" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
      java="$candidate"; break
    fi
  done
fi
exec "$java" --enable-native-access=ALL-UNNAMED \
  -cp "bench/target/flotilla-bench.jar:cli/target/flotilla-cli.jar:cli/target/lib/*" "dev.flotilla.bench.$main" "$@"
