#!/usr/bin/env bash
# Builds Flotilla's Debian packages, each with its own Java runtime made by jlink, so a stock Debian 12 needs
# nothing else:
#   flotilla-agent_<version>_amd64.deb   the device agent (unit flotilla-agent.service)
#   flotilla_<version>_amd64.deb         the CLI and the reconciler (unit flotilla.service, user flotilla)
# beside them a CycloneDX SBOM of each (<package>_<version>.cdx.json), SHA256SUMS and SHA256SUMS.sig (ECDSA P-256;
# check with 'flotilla release verify --key KEY.pub.pem DIR' or openssl, see docs/operations.md).
# Usage: packaging/build-debs.sh [--skip-build] [--revision N] [--key PEM] [--out DIR] [--compress xz|gzip|none]
#   --skip-build  use the jars already in agent/target and cli/target (the ITs build them first)
#   --revision N  the Debian revision (default 1): the same build packaged again gets a higher one
#   --key PEM     the signing key (the fleet's artifact-signer.pem or a release key); without it a throwaway key is
#                 made and its public half written to DIR/flotilla-release.pub.pem
#   --out DIR     where the files go (default packaging/target/debs)
#   --compress C  dpkg-deb's compression: xz (default, the smallest) or gzip (builds in seconds, for tests)
# Why dpkg-deb and not jpackage: see packaging/README.md, "Debian packages".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jdk="${FLOTILLA_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
build=1 revision=1 key="" out="$root/packaging/target/debs" compress=xz
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-build) build=0 ;;
    --revision) revision="$2"; shift ;;
    --key) key="$(realpath "$2")"; shift ;;
    --out) out="$2"; shift ;;
    --compress) compress="$2"; shift ;;
    *) echo "build-debs.sh: unknown argument '$1'; see the usage at the top of the script" >&2; exit 2 ;;
  esac
  shift
done
[ -x "$jdk/bin/jlink" ] || { echo "build-debs.sh: no jlink in '$jdk'; set FLOTILLA_JDK to a JDK 21 or newer" >&2; exit 1; }
if [ "$build" = 1 ]; then
  (cd "$root" && mvn -B -q -pl cli -am package -DskipTests \
    -Dflotilla.commit="$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)")
fi
mkdir -p "$out"
out="$(realpath "$out")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The build stamp, exactly as --version prints it: "flotilla 0.1.0-SNAPSHOT (commit 3f8495b2c1aa)".
stamp="$("$jdk/bin/java" -cp "$root/cli/target/flotilla-cli.jar:$root/cli/target/lib/*" dev.flotilla.cli.Flotilla --version)"
upstream="$(sed -n 's/^flotilla \([^ ]*\) (commit \([^)]*\))$/\1/p' <<<"$stamp")"
commit="$(sed -n 's/^flotilla \([^ ]*\) (commit \([^)]*\))$/\2/p' <<<"$stamp")"
[ -n "$upstream" ] || { echo "build-debs.sh: read the build stamp: unexpected '$stamp'" >&2; exit 1; }
# Debian orders '~' before anything, so 0.1.0~SNAPSHOT comes before the release 0.1.0.
version="${upstream//-/\~}"
[ "$commit" = unknown ] || version="$version+g$commit"
version="$version-$revision"
date="$(date -R -d "@${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}")"

# jlink: only the modules jdeps finds in the jars, no debug symbols, headers, man pages or desktop natives.
runtime() { # MODULE_DIR DEST [JLINK_OPTION...]
  local jars=("$1/target/flotilla-$(basename "$1").jar" "$1"/target/lib/*.jar)
  local modules
  modules="$("$jdk/bin/jdeps" -q --ignore-missing-deps --multi-release 21 --print-module-deps \
    --class-path "$1/target/lib/*" "${jars[@]}")"
  "$jdk/bin/jlink" --add-modules "$modules" --output "$2" --strip-java-debug-attributes "${@:3}" \
    --strip-native-debug-symbols=objcopy=/usr/bin/objcopy --no-header-files --no-man-pages --compress=zip-6 \
    --exclude-files="$(printf 'glob:**/lib/%s.so,' 'libawt*' libfontmanager libfreetype libjavajpeg libjawt libjsound \
      liblcms libmlib_image libsplashscreen)" >/dev/null
  # jlink's objcopy strips debug sections only; the symbol tables of libjvm.so and the rest are 5 MB more
  find "$2" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper -o -name jexec \) -exec strip --strip-unneeded {} +
  # the archive for heaps over 32 GB (-XX:-UseCompressedOops) is 15 MB no host of ours uses; legal/ is read-only
  rm -f "$2/lib/server/classes_nocoops.jsa"
  find "$2" -type f -perm 0444 -exec chmod 0644 {} +
}

# PACKAGE MODULE HOME [JLINK_OPTION...]: stages /usr/lib/HOME with the runtime and jars, docs and maintainer scripts.
stage() {
  local package="$1" module="$2" home="$3" tree="$work/$1"
  shift 3
  mkdir -p "$tree/DEBIAN" "$tree/usr/lib/$home/lib" "$tree/usr/lib/$home/bin" "$tree/usr/bin" \
    "$tree/usr/share/doc/$package" "$tree/lib/systemd/system" "$tree/etc/flotilla" "$tree/usr/share/lintian/overrides"
  runtime "$root/$module" "$tree/usr/lib/$home/runtime" "$@"
  install -m 0644 "$root/$module/target/flotilla-$module.jar" "$root/$module"/target/lib/*.jar "$tree/usr/lib/$home/lib/"
  install -m 0755 "$root/packaging/bin/$package" "$tree/usr/lib/$home/bin/$package"
  ln -s "../lib/$home/bin/$package" "$tree/usr/bin/$package"
  install -m 0644 "$root/packaging/deb/copyright" "$tree/usr/share/doc/$package/copyright"
  printf '%s (%s) unstable; urgency=medium\n\n  * Built from %s.\n\n -- Flotilla <packages@flotilla.dev>  %s\n' \
    "$package" "$version" "$stamp" "$date" | gzip -9n > "$tree/usr/share/doc/$package/changelog.Debian.gz"
  install -m 0644 "$root/packaging/deb/$package/lintian-overrides" "$tree/usr/share/lintian/overrides/$package"
  for script in postinst prerm postrm; do
    install -m 0755 "$root/packaging/deb/$package/$script" "$tree/DEBIAN/$script"
  done
}

# PACKAGE DESCRIPTION HOME [DEPENDS]: control, conffiles, md5sums, then the .deb and its SBOM.
pack() {
  local package="$1" tree="$work/$1"
  (cd "$tree" && find etc -type f | sed 's:^:/:' | sort > DEBIAN/conffiles)
  [ -s "$tree/DEBIAN/conffiles" ] || rm "$tree/DEBIAN/conffiles"
  (cd "$tree" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum > DEBIAN/md5sums)
  cat > "$tree/DEBIAN/control" <<CONTROL
Package: $package
Version: $version
Architecture: amd64
Maintainer: Flotilla <packages@flotilla.dev>
Installed-Size: $(du -sk --exclude=DEBIAN "$tree" | cut -f1)
Depends: libc6 (>= 2.34)${4:+, $4}
Section: admin
Priority: optional
Homepage: https://flotilla.dev
Description: $2
CONTROL
  sed 's/^/ /; s/^ $/ ./' "$root/packaging/deb/$package/description" >> "$tree/DEBIAN/control"
  local deb="$out/${package}_${version}_amd64.deb"
  dpkg-deb --root-owner-group -Z"$compress" --build "$tree" "$deb" >/dev/null
  "$tree/usr/lib/$3/runtime/bin/java" -cp "$root/cli/target/flotilla-cli.jar:$root/cli/target/lib/*" \
    dev.flotilla.cli.Flotilla release sbom --name "$package" --package-version "$version" --tree "$tree" \
    --out "$out/${package}_${version}.cdx.json" >/dev/null
  echo "$deb"
}

stage flotilla-agent agent flotilla-agent
install -m 0644 "$root/packaging/agent.yaml.example" "$work/flotilla-agent/etc/flotilla/agent.yaml"
sed -e 's:/opt/flotilla-agent/bin/flotilla-agent:/usr/bin/flotilla-agent:' \
  -e 's|^Documentation=.*|Documentation=file:///usr/share/doc/flotilla-agent/README.md|' \
  "$root/packaging/flotilla-agent.service" > "$work/flotilla-agent/lib/systemd/system/flotilla-agent.service"
install -m 0644 "$root/packaging/README.md" "$work/flotilla-agent/usr/share/doc/flotilla-agent/README.md"
pack flotilla-agent "device agent of the Flotilla fleet manager, with its own Java runtime" flotilla-agent

# The CLI starts often and briefly: a class-data archive of the runtime's own classes cuts its start-up. The agent
# runs with -Xshare:off (its unit says why), so it gets none.
stage flotilla cli flotilla --generate-cds-archive
install -m 0644 "$root/packaging/deb/flotilla/flotilla.service" "$work/flotilla/lib/systemd/system/"
install -m 0644 "$root/packaging/deb/flotilla/reconciler.yaml" "$work/flotilla/etc/flotilla/reconciler.yaml"
install -D -m 0644 "$root/packaging/deb/flotilla/sysusers.conf" "$work/flotilla/usr/lib/sysusers.d/flotilla.conf"
mkdir -p "$work/flotilla/usr/share/flotilla"
cp -r "$root/fleet-repo-template" "$work/flotilla/usr/share/flotilla/fleet-repo-template"
# systemd-sysusers makes the reconciler's user (Debian 12's systemd has it; the unit needs systemd anyway)
pack flotilla "Git-native fleet manager: CLI and reconciler, with their own Java runtime" flotilla systemd

if [ -z "$key" ]; then
  key="$work/release.pem"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$key" 2>/dev/null
  openssl pkey -in "$key" -pubout -out "$out/flotilla-release.pub.pem"
  echo "build-debs.sh: no --key: signed with a throwaway key, public half $out/flotilla-release.pub.pem" >&2
fi
"$jdk/bin/java" -cp "$root/cli/target/flotilla-cli.jar:$root/cli/target/lib/*" dev.flotilla.cli.Flotilla \
  release sign --key "$key" "$out" >/dev/null
echo "$out/SHA256SUMS"
