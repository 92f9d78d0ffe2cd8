#!/usr/bin/env bash
# Builds the Debian rootfs the systemd-nspawn test rig boots (NspawnContainer), once, at a fixed path.
# Usage: build-rootfs.sh [ROOTFS]   (default /var/cache/flotilla-test/rootfs). Idempotent: an existing
# complete rootfs (marked by .flotilla-rootfs-complete) is kept. Needs root, debootstrap and network to the
# Debian mirror named in /etc/apt/sources.list.d/debian.sources.
set -euo pipefail
rootfs="${1:-/var/cache/flotilla-test/rootfs}"
marker="$rootfs/.flotilla-rootfs-complete"
[ -f "$marker" ] && exit 0

mirror="$(sed -n 's/^URIs: *\(\S*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
mirror="${mirror:-http://deb.debian.org/debian}"
tmp="$rootfs.tmp.$$"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$(dirname "$rootfs")"
rm -rf "$tmp"
debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus bookworm "$tmp" "$mirror" >"$tmp.log" 2>&1 \
  || { tail -20 "$tmp.log" >&2; rm -f "$tmp.log"; exit 1; }
rm -f "$tmp.log"
# A container has no consoles to log in on; multi-user is the target the agent manages units in.
ln -sf /dev/null "$tmp/etc/systemd/system/console-getty.service"
ln -sf /dev/null "$tmp/etc/systemd/system/getty@.service"
ln -sf /lib/systemd/system/multi-user.target "$tmp/etc/systemd/system/default.target"
touch "$tmp/.flotilla-rootfs-complete"
rm -rf "$rootfs"
mv "$tmp" "$rootfs"
trap - EXIT
