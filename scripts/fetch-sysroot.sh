#!/usr/bin/env bash
# Builds .cache/sysroot/: a riscv64 Debian (trixie) root with libc6, coreutils, busybox-static and
# what they depend on, for `hv exec --sysroot` and the process-VM tests.
#
# How: a SIDE apt configuration under .cache/sysroot-apt/ (its own sources list, lists, archive
# cache and an empty dpkg status, APT::Architecture=riscv64), so the host's apt state is never
# touched and no root is needed. apt resolves the dependency closure and downloads the .debs;
# dpkg-deb -x unpacks each one into the sysroot (no maintainer scripts run: none are needed to
# exec programs). The mirror is read at run time from the host's own apt sources, so no registry
# host name is written in this repository. Idempotent: a finished sysroot (stamp file) is reused;
# --force rebuilds it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
APTDIR="$CACHE/sysroot-apt"
SYSROOT="$CACHE/sysroot"
STAMP="$SYSROOT/.hv-sysroot-complete"
SUITE="${HV_SYSROOT_SUITE:-trixie}"
PACKAGES=(libc6 coreutils busybox-static)

if [ "${1:-}" = "--force" ]; then
  rm -rf "$SYSROOT" "$STAMP"
fi
if [ -f "$STAMP" ]; then
  echo "sysroot: $SYSROOT is ready (use --force to rebuild)" >&2
  exit 0
fi

for tool in apt-get dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "sysroot: '$tool' is required (Debian/Ubuntu host)" >&2; exit 1; }
done

# The Debian mirror the host itself uses: first URI of a deb822 .sources file or a one-line
# sources.list entry whose path is .../debian (not debian-security).
mirror() {
  local m=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    m="$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }' /etc/apt/sources.list.d/*.sources)"
  fi
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:\/\/.*\/debian\/?$/) { print $i; exit } }' /etc/apt/sources.list)"
  fi
  printf '%s' "${m%/}"
}
MIRROR="${HV_DEBIAN_MIRROR:-$(mirror)}"
[ -n "$MIRROR" ] || { echo "sysroot: no Debian mirror found in the host's apt sources (set HV_DEBIAN_MIRROR)" >&2; exit 1; }

KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$KEYRING" ] || { echo "sysroot: $KEYRING missing (install debian-archive-keyring)" >&2; exit 1; }

mkdir -p "$APTDIR"/{lists/partial,archives/partial,etc/preferences.d,etc/apt.conf.d,etc/trusted.gpg.d}
: > "$APTDIR/status"
echo "deb [arch=riscv64 signed-by=$KEYRING] $MIRROR $SUITE main" > "$APTDIR/etc/sources.list"

APT_OPTS=(
  -o "APT::Architecture=riscv64" -o "APT::Architectures=riscv64"
  -o "Dir::Etc=$APTDIR/etc" -o "Dir::Etc::sourcelist=$APTDIR/etc/sources.list" -o "Dir::Etc::sourceparts=-"
  -o "Dir::Etc::preferencesparts=$APTDIR/etc/preferences.d" -o "Dir::Etc::parts=$APTDIR/etc/apt.conf.d"
  -o "Dir::State=$APTDIR" -o "Dir::State::Lists=$APTDIR/lists" -o "Dir::State::status=$APTDIR/status"
  -o "Dir::Cache=$APTDIR" -o "Dir::Cache::archives=$APTDIR/archives"
  -o "Debug::NoLocking=1" -o "APT::Install-Recommends=0" -o "APT::Sandbox::User=$(id -un)"
  -o "Acquire::Languages=none"
)

echo "sysroot: resolving $SUITE riscv64 packages from $MIRROR ..." >&2
apt-get -qq "${APT_OPTS[@]}" update
apt-get -qq -y "${APT_OPTS[@]}" install --download-only "${PACKAGES[@]}" >/dev/null

shopt -s nullglob
debs=("$APTDIR"/archives/*.deb)
[ ${#debs[@]} -gt 0 ] || { echo "sysroot: apt downloaded nothing" >&2; exit 1; }

rm -rf "$SYSROOT.tmp"
mkdir -p "$SYSROOT.tmp"
for deb in "${debs[@]}"; do
  dpkg-deb -x "$deb" "$SYSROOT.tmp"
done
# Debian's merged /usr: the packages ship /usr/lib and /usr/bin; the dynamic linker is looked up
# as /lib/ld-linux-riscv64-lp64d.so.1 (PT_INTERP), so provide the compatibility links.
for d in bin sbin lib; do
  if [ -d "$SYSROOT.tmp/usr/$d" ] && [ ! -e "$SYSROOT.tmp/$d" ]; then
    ln -s "usr/$d" "$SYSROOT.tmp/$d"
  fi
done
mkdir -p "$SYSROOT.tmp/tmp" "$SYSROOT.tmp/etc"
chmod 1777 "$SYSROOT.tmp/tmp"
# Minimal account databases, so programs (ls -l, id) name the users that own the files. Only
# root and the user running this script; no host account data is copied.
{
  echo "root:x:0:0:root:/root:/bin/sh"
  if [ "$(id -u)" != 0 ]; then echo "$(id -un):x:$(id -u):$(id -g)::/tmp:/bin/sh"; fi
} > "$SYSROOT.tmp/etc/passwd"
{
  echo "root:x:0:"
  if [ "$(id -g)" != 0 ]; then echo "$(id -gn):x:$(id -g):"; fi
} > "$SYSROOT.tmp/etc/group"
echo hv-sysroot > "$SYSROOT.tmp/etc/hostname"
rm -rf "$SYSROOT"
mv "$SYSROOT.tmp" "$SYSROOT"
printf '%s\n' "${debs[@]##*/}" > "$STAMP"
echo "sysroot: $SYSROOT ready (${#debs[@]} packages)" >&2
