#!/usr/bin/env bash
# Claim benchmarks on loopback, run as the ITs that assert them:
#   - claim -> first bundle applied, auto-approve (one agent in a sandbox: key, identity, signed claim, Device file
#     committed and pushed to a bare origin, reconcile, trust root checked against the token, first bundle applied);
#   - 100 devices claiming at once (100 concurrent HTTPS claims; exactly 100 Device files, none lost or doubled).
#
#   bench/claim.sh [RUNS]     # default 3 runs; prints each run's numbers
#
# Works from any directory. Builds with Maven offline (-o), as the project's rules ask.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
for i in $(seq 1 "$runs"); do
  out=$(mvn -B -o -q -pl cli -am verify -Dtest=none \
      -Dit.test='ClaimFlowIT#autoApprovedClaimIsCommittedAndItsFirstBundleApplied,ClaimRefusalsIT#hundredDevicesClaimingAtOnceAreAllEnrolledOnce' \
      -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false 2>&1) || {
    echo "$out" | tail -40 >&2
    echo "!!! claim benchmark FAILED (run $i)" >&2
    exit 1
  }
  echo "run $i: $(echo "$out" | grep -E '^claim -> first bundle|^100 concurrent' | tr '\n' ';')"
done
