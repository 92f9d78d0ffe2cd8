#!/usr/bin/env bash
# The resident-memory floor of the agent's mandated components (no Flotilla code), step by step, each step a fresh
# JVM under the agent launcher's default flags (read from ./flotilla, or FLOTILLA_AGENT_JVM_FLAGS when set).
# Usage: bench/agent-floor.sh [SETTLE_SECONDS (20)]. JAVA_HOME picks the measured JVM. See bench/README.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
settle="${1:-20}"
out="$root/bench/out/floor"

die() { echo "bench/agent-floor.sh: $*" >&2; exit 1; }

jdk=""
for candidate in "${JAVA_HOME:+$JAVA_HOME}" /usr/lib/jvm/*; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] \
      && "$candidate/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    jdk="$candidate"; break
  fi
done
[ -n "$jdk" ] || die "needs a JDK 21 or newer with javac (JAVA_HOME or /usr/lib/jvm/*)"
# the measured JVM: JAVA_HOME's, even without javac (a jlink'd runtime); the full JDK compiles and runs the server
java="${JAVA_HOME:+$JAVA_HOME/bin/java}"
java="${java:-$jdk/bin/java}"
[ -x "$java" ] || die "no java at '$java'; fix JAVA_HOME"

# The same default as the launcher, read from it so the two cannot drift apart.
defaults="$(sed -n 's/^ *flags=(\${FLOTILLA_AGENT_JVM_FLAGS:-\(.*\)})$/\1/p' "$root/flotilla")"
[ -n "$defaults" ] || die "cannot read the agent's default JVM flags from '$root/flotilla' (line 'flags=(\${FLOTILLA_AGENT_JVM_FLAGS:-...})')"
read -r -a flags <<<"${FLOTILLA_AGENT_JVM_FLAGS:-$defaults}"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

# builds the agent if its sources changed, for its lib jars (with the launcher's own flags: the override is for the steps)
env -u FLOTILLA_AGENT_JVM_FLAGS "$root/flotilla-agent" --version >/dev/null || die "build the agent (./flotilla-agent --version) failed"
cp="$root/agent/target/lib/*"
rm -rf "$out"
mkdir -p "$out/classes"
"$jdk/bin/javac" -nowarn -d "$out/classes" -cp "$cp" "$root/bench/AgentFloor.java" || die "compile bench/AgentFloor.java failed"

pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for FILE PATTERN PID WHAT: until FILE holds PATTERN; fails when PID exits or after 60 s
wait_for() {
  local i
  for ((i = 0; i < 600; i++)); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { cat "$1" "$1.err" >&2 2>/dev/null || true; die "$4 exited before '$2'"; }
    sleep 0.1
  done
  cat "$1.err" >&2 2>/dev/null || true
  die "$4: no '$2' within 60 s"
}

# The HTTPS stand-in, a JVM of its own (default flags: it is not measured).
mkdir -p "$out/server"
"$jdk/bin/java" -cp "$out/classes:$cp" AgentFloor server "$out/server" >"$out/server.log" 2>"$out/server.log.err" &
server=$!
pids+=("$server")
wait_for "$out/server.log" SERVING "$server" "HTTPS stand-in"

echo "java: $java ($("$java" -version 2>&1 | head -1))"
echo "flags: ${flags[*]} (MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX)"
echo "settle: ${settle} s after READY; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-14s %9s %9s %9s %9s\n' step VmRSS RssAnon RssFile 'vs prev'
previous=""
for step in bare tls-system-ca tls sqlite metrics watch; do
  dir="$out/$step"
  mkdir -p "$dir"
  cp "$out/server/server.pem" "$out/server/port" "$dir/"
  "$java" --enable-native-access=ALL-UNNAMED "${flags[@]}" -cp "$out/classes:$cp" AgentFloor client "$step" "$dir" \
    >"$dir/log" 2>"$dir/log.err" &
  client=$!
  pids+=("$client")
  wait_for "$dir/log" READY "$client" "step $step"
  if [ -f "$dir/metrics-port" ]; then
    lines="$(curl -sf "http://127.0.0.1:$(cat "$dir/metrics-port")/metrics" | grep -c '^floor_resource_compliant{')" \
      || die "step $step: scrape /metrics failed"
    [ "$lines" -eq 200 ] || die "step $step: /metrics has $lines resource gauges, expected 200"
  fi
  sleep "$settle" &   # waited for in the background, so a TERM or Ctrl-C stops the run at once
  pids+=($!)
  wait $!
  kill -0 "$client" 2>/dev/null || { cat "$dir/log.err" >&2; die "step $step: the client died while settling"; }
  kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$client/status"; }
  rss="$(kb VmRSS)" anon="$(kb RssAnon)" file="$(kb RssFile)"
  kill "$client"
  wait "$client" 2>/dev/null || true
  # sqlite-jdbc's SLF4J finds no provider, as in the agent: not worth showing
  if grep -qv '^SLF4J' "$dir/log.err"; then
    echo "  (step $step wrote to stderr:)"; grep -v '^SLF4J' "$dir/log.err" | sed 's/^/  | /'
  fi
  delta=""
  if [ -n "$previous" ]; then
    delta="$(awk -v a="$rss" -v b="$previous" 'BEGIN { printf "%+.1f", (a - b) / 1024 }')"
  fi
  [ "$step" = tls-system-ca ] || previous="$rss"
  awk -v s="$step" -v r="$rss" -v a="$anon" -v f="$file" -v d="$delta" \
    'BEGIN { printf "%-14s %6.1f MB %6.1f MB %6.1f MB %9s\n", s, r / 1024, a / 1024, f / 1024, d }'
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
