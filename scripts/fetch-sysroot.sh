#!/usr/bin/env bash
# fetch-sysroot.sh: a riscv64 Debian trixie sysroot for the process VM (`./hv exec --sysroot`,
# issue 8): libc6 and a few dynamically linked utilities, with their dependencies, unpacked into
#   .cache/sysroot/   (usr/bin, usr/lib, ...; bin, sbin, lib -> usr/... as on a merged-/usr system,
#                     so PT_INTERP /lib/ld-linux-riscv64-lp64d.so.1 resolves)
# Same side apt configuration as scripts/fetch-guest.sh (scripts/lib/debian-apt.sh): no root,
# the host's apt untouched. Cached and idempotent; HV_GUEST_REFRESH=1 re-reads the archive.
# Check by hand: qemu-riscv64 -L .cache/sysroot .cache/sysroot/usr/bin/ls -l /
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${HV_CACHE_DIR:-$ROOT/.cache}"
APTDIR="$CACHE/debian-riscv64"
OUT="$CACHE/sysroot"
PACKAGES=(libc6 coreutils grep sed gzip findutils busybox-static)

die() { echo "fetch-sysroot: $*" >&2; exit 3; }
log() { [ -n "${HV_QUIET:-}" ] || echo "fetch-sysroot: $*" >&2; }

script_hash="$(cat "${BASH_SOURCE[0]}" "$ROOT/scripts/lib/debian-apt.sh" | sha256sum | cut -c1-16)"
ready() { [ -x "$OUT/usr/bin/ls" ] && [ "$(cat "$OUT/.built-by" 2>/dev/null)" = "$script_hash" ]; }
if [ -z "${HV_GUEST_REFRESH:-}" ] && ready; then exit 0; fi

. "$ROOT/scripts/lib/debian-apt.sh"
apt_side_lock
if [ -z "${HV_GUEST_REFRESH:-}" ] && ready; then exit 0; fi
command -v dpkg-deb >/dev/null 2>&1 || die "dpkg-deb not found (needs a Debian host)"

DEBS="$APTDIR/sysroot-debs"
if [ -n "${HV_GUEST_REFRESH:-}" ] || [ "$(cat "$DEBS/.packages" 2>/dev/null)" != "${PACKAGES[*]}" ]; then
  apt_side_update
  # The dependency closure (Depends and Pre-Depends; no Recommends), real packages only.
  mapfile -t closure < <(apt_side apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
      --no-breaks --no-replaces --no-enhances "${PACKAGES[@]}" 2>/dev/null | grep -v '^[ <]' | sort -u)
  [ "${#closure[@]}" -gt 0 ] || die "cannot resolve ${PACKAGES[*]} in Debian $DEBIAN_SUITE riscv64"
  log "downloading ${#closure[@]} packages: ${closure[*]}"
  apt_side_download "$DEBS" "${closure[@]}"
  echo "${PACKAGES[*]}" >"$DEBS/.packages"
fi

rm -rf "$OUT.new" && mkdir -p "$OUT.new/usr"
for dir in bin sbin lib; do mkdir -p "$OUT.new/usr/$dir"; ln -s "usr/$dir" "$OUT.new/$dir"; done
for deb in "$DEBS"/*.deb; do
  dpkg-deb -x "$deb" "$OUT.new" || die "cannot unpack $(basename "$deb") (retry with HV_GUEST_REFRESH=1)"
done
[ -e "$OUT.new/lib/ld-linux-riscv64-lp64d.so.1" ] || die "the sysroot has no /lib/ld-linux-riscv64-lp64d.so.1"
# What a root file system has and packages do not ship: a world-writable /tmp (the process-VM
# tests work there), and minimal account databases so `ls -l`/`id` name the owners of files
# (root and the user running this script only; no host account data is copied).
mkdir -p "$OUT.new/tmp" "$OUT.new/etc" && chmod 1777 "$OUT.new/tmp"
{ echo "root:x:0:0:root:/root:/bin/sh"
  [ "$(id -u)" = 0 ] || echo "$(id -un):x:$(id -u):$(id -g)::/tmp:/bin/sh"; } >"$OUT.new/etc/passwd"
{ echo "root:x:0:"
  [ "$(id -g)" = 0 ] || echo "$(id -gn):x:$(id -g):"; } >"$OUT.new/etc/group"
echo hv-sysroot >"$OUT.new/etc/hostname"
echo "$script_hash" >"$OUT.new/.built-by"
rm -rf "$OUT" && mv "$OUT.new" "$OUT"
log "sysroot ready: $OUT ($(du -sm "$OUT" | cut -f1) MB)"
