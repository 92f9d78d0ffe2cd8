#!/usr/bin/env bash
# Times 'flotilla validate' on a generated fleet of 10,000 devices.
#
#   bench/validate.sh [--regen] [--runs N]
#
# Generates the fleet into bench/out/fleet-10k with bench/GenerateFleet.java (skipped when that directory already
# exists, unless --regen), then runs './flotilla validate bench/out/fleet-10k' once untimed (warm-up: the launcher may
# build the CLI) and N times timed (5 by default), printing the wall-clock time and exit code of each run and
# min/median/max. Any run that exits non-zero fails the benchmark:
# timings of a fleet with problems are meaningless. Works from any directory.
#
# Environment: JAVA (the java that runs the generator; default: a JDK >= 21 from JAVA_HOME, PATH or /usr/lib/jvm),
#              FLOTILLA (the CLI to time; default ./flotilla at the repo root).
set -euo pipefail

die() {
  echo "" >&2
  echo "!!! validate benchmark FAILED: $*" >&2
  exit 1
}

regen=0
runs=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --regen) regen=1 ;;
    --runs)
      [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive number"
      runs="$2"
      shift
      ;;
    -h|--help)
      sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument '$1' (usage: bench/validate.sh [--regen] [--runs N])" ;;
  esac
  shift
done

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$bench_dir")"
cd "$repo"

fleet="bench/out/fleet-10k"
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}
# The generator is a Java 21 single-file program that also runs on 17: prefer a JDK >= 21, accept 17.
find_java() {
  local min candidate
  for min in 21 17; do
    for candidate in "${JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
      if [[ -n "$candidate" && -x "$candidate" ]] && [[ "$(java_major "$candidate")" -ge $min ]] 2>/dev/null; then
        echo "$candidate"
        return 0
      fi
    done
  done
  return 1
}
flotilla="${FLOTILLA:-./flotilla}"

now_ns() { date +%s%N; }
seconds() { awk -v ns="$1" 'BEGIN { printf "%.3f", ns / 1e9 }'; }

# 1. The fleet.
if [[ $regen -eq 1 || ! -f "$fleet/fleet.yaml" ]]; then
  echo "== generating $fleet (10000 devices, 200 policies, 20 rollouts, 10 tenants, seed 42)"
  java="$(find_java)" || die "no JDK 17+ found to run bench/GenerateFleet.java (set JAVA or JAVA_HOME)"
  mkdir -p bench/out
  start=$(now_ns)
  "$java" bench/GenerateFleet.java "$fleet" --devices 10000 --policies 200 --rollouts 20 --tenants 10 --seed 42 \
    || die "fleet generation failed"
  echo "   generation took $(seconds $(( $(now_ns) - start )))s wall (JVM start and source compilation included)"
else
  echo "== reusing $fleet ($(find "$fleet" -type f | wc -l) files; pass --regen to generate it again)"
fi

# 2. The CLI.
[[ -x "$flotilla" ]] || die "'$flotilla' not found or not executable in $repo (build the CLI first, or set FLOTILLA)"

# 3. The runs. An untimed warm-up first: the launcher builds the CLI when its sources changed and writes a
#    class-data archive on its first run; neither belongs in the timings.
log="$(mktemp "${TMPDIR:-/tmp}/flotilla-validate-bench.XXXXXX")"
trap 'rm -f "$log"' EXIT

# run LABEL: runs validate once into $log; sets code and elapsed; fails loudly on a non-zero exit.
run() {
  local start
  start=$(now_ns)
  set +e
  "$flotilla" validate "$fleet" >"$log" 2>&1
  code=$?
  set -e
  elapsed=$(( $(now_ns) - start ))
  local lines note=""
  lines=$(wc -l <"$log")
  if grep -q '^flotilla: building ' "$log"; then
    note="  [includes a rebuild of the CLI: its sources changed]"
  fi
  printf '   %-7s %8ss  exit %d  (%d lines of output)%s\n' "$1:" "$(seconds "$elapsed")" "$code" "$lines" "$note"
  if [[ $code -ne 0 ]]; then
    echo "" >&2
    echo "---- output of $1 (first 60 lines) ----" >&2
    head -n 60 "$log" >&2
    echo "---- end of output ----" >&2
    die "'flotilla validate' exited with $code ($1): the generated fleet has problems (or the CLI failed), so timings would mean nothing. Fix the generator or the validator, then rerun with --regen."
  fi
}

echo "== timing '$flotilla validate $fleet': 1 warm-up + $runs timed runs"
run warm-up
grep -v '^flotilla: building ' "$log" | head -n 10 | sed 's/^/     | /'
times_ns=()
for ((i = 1; i <= runs; i++)); do
  run "run $i"
  times_ns+=("$elapsed")
done

# 4. The summary.
mapfile -t sorted < <(printf '%s\n' "${times_ns[@]}" | sort -n)
n=${#sorted[@]}
if (( n % 2 == 1 )); then
  median=${sorted[$(( n / 2 ))]}
else
  median=$(( (sorted[n / 2 - 1] + sorted[n / 2]) / 2 ))
fi
echo "== validate $fleet: min $(seconds "${sorted[0]}")s  median $(seconds "$median")s  max $(seconds "${sorted[n - 1]}")s  ($n runs, all exit 0)"

# 5. Throughput in a warm JVM, as a long-running reconciler would see it.
if [[ -n "${WARM_RUNS:-10}" && "${WARM_RUNS:-10}" != 0 ]]; then
  java="$(find_java)" || die "no JDK found to run bench/WarmValidate.java"
  echo "== warm JVM: validating $fleet repeatedly in one process"
  "$java" -XX:+UseSerialGC -cp "cli/target/flotilla-cli.jar:cli/target/lib/*" bench/WarmValidate.java "$fleet" 5 \
    "${WARM_RUNS:-10}" || die "warm benchmark failed"
fi
