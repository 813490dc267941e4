#!/usr/bin/env bash
# Installs, with apt-get, exactly the Debian packages HV's tests and benchmarks need on the host.
# Idempotent and quiet: packages already installed are skipped with one dpkg-query call, so a
# warm run takes a few milliseconds. Runs apt-get as root, or through sudo when not root.
# Only Debian's own archive is used (the host's configured apt sources).
set -euo pipefail

# Each package, and why HV needs it.
PACKAGES=(
  gcc-riscv64-unknown-elf      # bare-metal test guests (guests/) and the bare-metal CPU benchmark
  gcc-riscv64-linux-gnu        # Linux riscv64 programs: process-VM tests, the Linux CPU benchmark
  libc6-dev-riscv64-cross      #   ... their libc (only a Recommends of the compiler; needed for -static)
  binutils-riscv64-linux-gnu   # objdump/readelf/as for riscv64
  qemu-system-misc             # qemu-system-riscv64: reference machine for tests and benchmarks
  qemu-user                    # qemu-riscv64: differential tests and the process-VM benchmark
  device-tree-compiler         # dtc: checks the device trees HV generates
  opensbi                      # fw_dynamic/fw_jump: booting Linux through real firmware
  debian-archive-keyring       # verifies Debian's riscv64 archive (scripts/fetch-guest.sh)
  cpio                         # builds the guest initramfs
  gzip                         #   ... and compresses it
  xz-utils                     # Debian ships kernel modules as .ko.xz
  zstd                         # .deb members may be zstd-compressed
  e2fsprogs                    # mkfs.ext4 for virtio-blk disk images in tests
  make                         # builds guests/ and bench/guest/
  gdb-multiarch                # the GDB stub's test against a real gdb (hv run --gdb)
)

# One dpkg-query call for all (fast); it lists nothing for a package it has never heard of.
installed=" $({ dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${PACKAGES[@]}" 2>/dev/null || true; } | awk '$1 == "ii" { printf "%s ", $2 }') "
missing=()
for p in "${PACKAGES[@]}"; do
  [[ "$installed" == *" $p "* ]] || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  # -n (never prompt) when there is no terminal to type a password into, e.g. in CI.
  if [ -t 0 ]; then as_root=(sudo); else as_root=(sudo -n); fi
else
  echo "setup-host: need root to install: ${missing[*]} (run as root, or install sudo)" >&2
  exit 3
fi

echo "setup-host: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
install() {
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >/tmp/hv-setup-host.$$.log 2>&1
}
# Package lists may be missing or stale on a fresh machine: refresh them once, then retry.
if ! install; then
  if ! "${as_root[@]}" apt-get update -qq >>/tmp/hv-setup-host.$$.log 2>&1 || ! install; then
    echo "setup-host: apt-get failed installing ${missing[*]}; log:" >&2
    tail -n 20 /tmp/hv-setup-host.$$.log >&2
    rm -f /tmp/hv-setup-host.$$.log
    exit 3
  fi
fi
rm -f /tmp/hv-setup-host.$$.log
