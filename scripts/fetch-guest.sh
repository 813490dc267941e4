#!/usr/bin/env bash
# fetch-guest.sh: builds HV's Linux guest from Debian's trixie riscv64 archive (issue 6).
#
#   .cache/guest/Image               the kernel exactly as Debian ships it (RISC-V Image with EFI stub)
#   .cache/guest/initramfs.cpio.gz   busybox + applet links, the virtio/ext4 modules in dependency
#                                    order, /init (see guest_init below) and busybox init as PID 1
#   .cache/guest/busybox             the riscv64 static busybox (for `hv exec` tests)
#   .cache/guest/kernel-version      e.g. 6.12.107+deb13-riscv64
#
# How: apt-get with a SIDE configuration in .cache/debian-riscv64/ (scripts/lib/debian-apt.sh:
# its own sources.list, lists, package cache, empty dpkg status; APT::Architecture=riscv64).
# The host's apt state is never touched and no root is needed. The Debian mirror is read from
# the host's own apt sources (or $HV_DEBIAN_MIRROR), so no host name is written in this repository.
#
# Cached: the .debs are downloaded once; outputs are rebuilt only when missing or when this
# script changed. HV_GUEST_REFRESH=1 re-reads the archive (picks up a newer kernel).
# Exit status: 0 ok, 3 archive/apt unreachable or unusable input.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${HV_CACHE_DIR:-$ROOT/.cache}"
APTDIR="$CACHE/debian-riscv64"
OUT="$CACHE/guest"
KERNEL_SERIES=6.12
# The modules the guest's devices need; their dependencies are added from the modules' own
# `depends=` and `softdep=pre:` fields. Built-in ones (e.g. virtio_console) are skipped.
WANTED_MODULES=(virtio_mmio virtio_blk virtio_net failover net_failover virtio_rng virtio_console ext4)

die() { echo "fetch-guest: $*" >&2; exit 3; }
log() { [ -n "${HV_QUIET:-}" ] || echo "fetch-guest: $*" >&2; }

# ---- fast path: everything present and built by this very script ---------------------------
script_hash="$(cat "${BASH_SOURCE[0]}" "$ROOT/scripts/lib/debian-apt.sh" | sha256sum | cut -c1-16)"
outputs_ready() {
  [ -s "$OUT/Image" ] && [ -s "$OUT/initramfs.cpio.gz" ] && [ -s "$OUT/busybox" ] &&
    [ "$(cat "$OUT/.built-by" 2>/dev/null)" = "$script_hash" ]
}
if [ -z "${HV_GUEST_REFRESH:-}" ] && outputs_ready; then exit 0; fi

. "$ROOT/scripts/lib/debian-apt.sh"
# One builder at a time (tests may start several); the second waits, then finds it done.
apt_side_lock
if [ -z "${HV_GUEST_REFRESH:-}" ] && outputs_ready; then exit 0; fi

for tool in apt-get apt-cache dpkg-deb xz cpio gzip; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found: run scripts/setup-host.sh (needs a Debian host)"
done

newest_kernel_package() {
  apt_side apt-cache pkgnames "linux-image-$KERNEL_SERIES." 2>/dev/null |
    grep -E "^linux-image-${KERNEL_SERIES//./\\.}\.[0-9]+[^ ]*-riscv64$" | sort -V | tail -n 1
}

download_packages() {
  apt_side_update
  local kpkg
  kpkg="$(newest_kernel_package)"
  [ -n "$kpkg" ] || die "no linux-image-$KERNEL_SERIES.*-riscv64 package in Debian $DEBIAN_SUITE riscv64"
  log "downloading $kpkg and busybox-static"
  apt_side_download "$APTDIR/debs" "$kpkg" busybox-static
}

have_debs() {
  compgen -G "$APTDIR/debs/linux-image-*_riscv64.deb" >/dev/null && compgen -G "$APTDIR/debs/busybox-static_*_riscv64.deb" >/dev/null
}

if [ -n "${HV_GUEST_REFRESH:-}" ] || ! have_debs; then
  download_packages
fi

# ---- unpack ------------------------------------------------------------------------------------
EXTRACT="$APTDIR/root"
rm -rf "$EXTRACT" && mkdir -p "$EXTRACT"
for deb in "$APTDIR"/debs/*.deb; do
  dpkg-deb -x "$deb" "$EXTRACT" || die "cannot unpack $(basename "$deb") (corrupt download? retry with HV_GUEST_REFRESH=1)"
done
kernel_file="$(ls "$EXTRACT"/boot/vmlinux-*-riscv64 2>/dev/null | sort -V | tail -n 1)"
[ -n "$kernel_file" ] || die "the linux-image package has no /boot/vmlinux-*-riscv64"
KVER="${kernel_file##*/vmlinux-}"
MODROOT="$EXTRACT/usr/lib/modules/$KVER"
[ -d "$MODROOT/kernel" ] || die "the linux-image package has no modules for $KVER"
BUSYBOX="$EXTRACT/usr/bin/busybox"
[ -x "$BUSYBOX" ] || die "busybox-static has no usr/bin/busybox"

# The RISC-V Image header (Documentation/arch/riscv/boot-image-header.rst): "MZ" (EFI stub) at 0,
# magic "RISCV\0\0\0" at 0x30 and magic2 "RSC\x05" at 0x38.
image_magic_ok() {
  [ "$(od -A n -t x1 -N 2 "$1" | tr -d ' \n')" = "4d5a" ] &&
    [ "$(od -A n -t x1 -j 48 -N 12 "$1" | tr -d ' \n')" = "524953435600000052534305" ]
}
image_magic_ok "$kernel_file" || die "$(basename "$kernel_file") is not a RISC-V Image with an EFI stub (bad magic)"

# ---- kernel modules in dependency order -----------------------------------------------------------
declare -A MODPATH=() BUILTIN=() VISITED=()
ORDER=()
while IFS= read -r rel; do
  name="${rel##*/}"; name="${name%.ko.xz}"; name="${name%.ko}"; MODPATH["${name//-/_}"]="$rel"
done < <(cd "$MODROOT" && find kernel \( -name '*.ko.xz' -o -name '*.ko' \))
while IFS= read -r rel; do
  name="${rel##*/}"; name="${name%.ko}"; BUILTIN["${name//-/_}"]=1
done < "$MODROOT/modules.builtin"

modinfo_values() { # FILE FIELD: the values of one .modinfo field (NUL-separated key=value strings)
  local f="$MODROOT/$1"
  case "$f" in *.xz) xz -dc "$f" ;; *) cat "$f" ;; esac | tr '\0' '\n' | sed -n "s/^$2=//p"
}
# A softdep may name an alias (e.g. jbd2: "pre: crypto-crc32c"): look for the module declaring it
# among the crypto and library modules, where such aliases live.
resolve_alias() {
  local rel
  while IFS= read -r rel; do
    if modinfo_values "$rel" alias | grep -qxF "$1"; then
      rel="${rel##*/}"; rel="${rel%.ko.xz}"; echo "${rel//-/_}"; return 0
    fi
  done < <(cd "$MODROOT" && find kernel/crypto kernel/lib kernel/arch -name '*.ko*' 2>/dev/null | sort)
  return 1
}
visit_module() {
  local name="${1//-/_}" dep deps soft
  [ -z "${VISITED[$name]:-}" ] || return 0
  VISITED[$name]=1
  if [ -n "${BUILTIN[$name]:-}" ]; then return 0; fi
  if [ -z "${MODPATH[$name]:-}" ]; then
    dep="$(resolve_alias "$1")" || die "kernel module $1 is neither built in nor shipped in $KVER"
    visit_module "$dep"; return 0
  fi
  deps="$(modinfo_values "${MODPATH[$name]}" depends | tr ',' ' ')"
  soft="$(modinfo_values "${MODPATH[$name]}" softdep | sed -n 's/.*pre:\([^:]*\)\( post:.*\)\{0,1\}$/\1/p')"
  for dep in $soft $deps; do visit_module "$dep"; done
  ORDER+=("${MODPATH[$name]}")
}
for m in "${WANTED_MODULES[@]}"; do visit_module "$m"; done

# ---- the initramfs tree --------------------------------------------------------------------------
TREE="$OUT/.initramfs-tree"
rm -rf "$TREE" && mkdir -p "$TREE"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,run,tmp,root,mnt,etc,lib/modules/"$KVER"}
cp "$BUSYBOX" "$TREE/bin/busybox"
# Applet links: the list comes from the binary itself (run under qemu-riscv64 when available);
# without it, /init installs the links at boot.
if command -v qemu-riscv64 >/dev/null 2>&1 && applets="$(qemu-riscv64 "$BUSYBOX" --list-full 2>/dev/null)" && [ -n "$applets" ]; then
  while IFS= read -r applet; do
    [ "$applet" = bin/busybox ] || [ -e "$TREE/$applet" ] || ln -s /bin/busybox "$TREE/$applet"
  done <<<"$applets"
else
  ln -s busybox "$TREE/bin/sh"
fi

: >"$TREE/etc/hv-modules"
for rel in "${ORDER[@]}"; do
  dst="$TREE/lib/modules/$KVER/${rel%.xz}"
  mkdir -p "$(dirname "$dst")"
  # Decompressed on the host: busybox insmod then needs no xz support in the guest.
  case "$rel" in *.xz) xz -dc "$MODROOT/$rel" >"$dst" ;; *) cp "$MODROOT/$rel" "$dst" ;; esac
  echo "${rel%.xz}" >>"$TREE/etc/hv-modules"
done
cp "$MODROOT"/modules.builtin "$MODROOT"/modules.order "$TREE/lib/modules/$KVER/" 2>/dev/null || true

# /init: runs first (PID 1), prepares the machine, then hands PID 1 to busybox init, which runs
# the console shell and handles poweroff/reboot like a real init.
cat >"$TREE/init" <<'EOF'
#!/bin/sh
# HV guest /init (built by scripts/fetch-guest.sh).
export PATH=/sbin:/usr/sbin:/bin:/usr/bin
[ -e /bin/sh ] && [ -e /bin/mount ] || /bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
hostname hv-guest

# Kernel modules, in dependency order (computed from the modules' own metadata at build time).
kver="$(uname -r)"
while read -r mod; do
  [ -n "$mod" ] && { insmod "/lib/modules/$kver/$mod" || echo "hv-init: cannot load $mod"; }
done </etc/hv-modules

# Network: hv.ip=ADDR/PREFIX (and optionally hv.gw=GATEWAY) on the kernel command line.
ip link set lo up
hv_ip=; hv_gw=
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    hv.ip=*) hv_ip="${arg#hv.ip=}" ;;
    hv.gw=*) hv_gw="${arg#hv.gw=}" ;;
  esac
done
if [ -n "$hv_ip" ]; then
  tries=0
  while [ ! -e /sys/class/net/eth0 ] && [ "$tries" -lt 50 ]; do usleep 100000; tries=$((tries + 1)); done
  if ip addr add "$hv_ip" dev eth0 && ip link set eth0 up; then
    [ -z "$hv_gw" ] || ip route add default via "$hv_gw" || echo "hv-init: cannot set default route via $hv_gw"
  else
    echo "hv-init: cannot configure eth0 with $hv_ip"
  fi
fi

# busybox init (etc/inittab) starts the console shell; its profile prints HV-GUEST-READY once.
exec /sbin/init
EOF
chmod 755 "$TREE/init"

# The shell runs through cttyhack, which opens the real console tty (ttyS0, hvc0, ...) and makes
# it the controlling terminal: job control (Ctrl-C, Ctrl-Z, fg/bg) works.
cat >"$TREE/etc/inittab" <<'EOF'
::respawn:/bin/cttyhack /bin/sh -l
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/sync
::shutdown:/bin/umount -a -r -t ext4,ext3,ext2,vfat
EOF
# The readiness line is printed by the console shell itself, after its tty is open, so input a
# harness sends as soon as it sees the line is never lost.
cat >"$TREE/etc/profile" <<'EOF'
export PATH=/sbin:/usr/sbin:/bin:/usr/bin HOME=/root
PS1='\u@\h:\w# '
cd /root
if [ ! -e /run/hv-ready ]; then
  : >/run/hv-ready
  echo HV-GUEST-READY
fi
EOF
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$TREE/etc/passwd"
printf 'root:x:0:\n' >"$TREE/etc/group"
printf 'hv-guest\n' >"$TREE/etc/hostname"
: >"$TREE/etc/fstab"

# A /dev/console node must exist before devtmpfs is mounted, or PID 1 starts without stdio.
# cpio cannot create device nodes without root, so this first archive is written by hand in
# the "newc" format (the kernel unpacks concatenated archives).
cpio_newc_entry() { # NAME MODE RDEV_MAJOR RDEV_MINOR INO
  local namesize=$((${#1} + 1))
  printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
    "$5" "$2" 0 0 1 0 0 0 0 "$3" "$4" "$namesize" 0
  printf '%s\0' "$1"
  head -c $(((4 - (110 + namesize) % 4) % 4)) /dev/zero
}
device_nodes_archive() {
  cpio_newc_entry dev $((0040755)) 0 0 1
  cpio_newc_entry dev/console $((0020600)) 5 1 2
  cpio_newc_entry dev/null $((0020666)) 1 3 3
  cpio_newc_entry 'TRAILER!!!' 0 0 0 0
}

mkdir -p "$OUT"
# Fixed timestamps: the same inputs give a byte-identical initramfs.
find "$TREE" -exec touch -h -d @0 {} +
{
  device_nodes_archive
  (cd "$TREE" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet)
} | gzip -9n >"$OUT/initramfs.cpio.gz.tmp"
mv "$OUT/initramfs.cpio.gz.tmp" "$OUT/initramfs.cpio.gz"
cp "$kernel_file" "$OUT/Image.tmp" && mv "$OUT/Image.tmp" "$OUT/Image"
cp "$BUSYBOX" "$OUT/busybox.tmp" && mv "$OUT/busybox.tmp" "$OUT/busybox"
echo "$KVER" >"$OUT/kernel-version"
printf '%s\n' "${ORDER[@]}" >"$OUT/modules.txt"
rm -rf "$TREE" "$EXTRACT"
echo "$script_hash" >"$OUT/.built-by"
log "guest ready: $OUT/Image ($KVER, $(du -m "$OUT/Image" | cut -f1) MB), $OUT/initramfs.cpio.gz ($(du -k "$OUT/initramfs.cpio.gz" | cut -f1) KB, ${#ORDER[@]} modules)"
