#!/usr/bin/env bash
# Builds the agent's install tarball: target/flotilla-agent-<version>.tar.gz with
#   bin/flotilla-agent   the launcher (finds a JDK >= 21, sets the JVM flags)
#   lib/*.jar            the agent and its runtime dependencies
#   systemd/flotilla-agent.service, agent.yaml.example, README.md
# Usage: packaging/tarball.sh [OUT_DIR]. Install: see packaging/README.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/packaging/target}"
(cd "$root" && mvn -B -q -pl agent -am package -DskipTests \
  -Dflotilla.commit="$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)")
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/agent/pom.xml" | head -1)"
name="flotilla-agent-$version"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name/bin" "$stage/$name/lib" "$stage/$name/systemd"
install -m 0755 "$root/packaging/bin/flotilla-agent" "$stage/$name/bin/"
install -m 0644 "$root/agent/target/flotilla-agent.jar" "$root"/agent/target/lib/*.jar "$stage/$name/lib/"
install -m 0644 "$root/packaging/flotilla-agent.service" "$stage/$name/systemd/"
install -m 0644 "$root/packaging/agent.yaml.example" "$root/packaging/README.md" "$stage/$name/"
mkdir -p "$out"
tar --owner=0 --group=0 --sort=name -czf "$out/$name.tar.gz" -C "$stage" "$name"
echo "$out/$name.tar.gz"
