#!/usr/bin/env bash
# qemu-boot-check.sh: boots the guest from scripts/fetch-guest.sh in qemu-system-riscv64 -M virt
# (Debian's OpenSBI as firmware), waits for HV-GUEST-READY, runs a few commands, powers off.
# Proves the guest image is good independently of HV: kernel, modules (virtio-net with hv.ip=,
# virtio-blk + ext4 read and write, virtio-rng), job control, poweroff. Non-interactive;
# exit 0 on success.
# Options: --cpus N (1), --memory SIZE (512M), --timeout SECONDS (120), --keep-log
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/lib/vm-console.sh"
GUEST="${HV_CACHE_DIR:-$ROOT/.cache}/guest"
CPUS=1 MEMORY=512M TIMEOUT=120 KEEP_LOG=
while [ $# -gt 0 ]; do
  case "$1" in
    --cpus) CPUS="$2"; shift 2 ;;
    --memory) MEMORY="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --keep-log) KEEP_LOG=1; shift ;;
    *) echo "usage: $0 [--cpus N] [--memory SIZE] [--timeout SECONDS] [--keep-log]" >&2; exit 2 ;;
  esac
done
[ -s "$GUEST/Image" ] && [ -s "$GUEST/initramfs.cpio.gz" ] || { echo "qemu-boot-check: no guest in $GUEST: run scripts/fetch-guest.sh" >&2; exit 3; }
command -v qemu-system-riscv64 >/dev/null || { echo "qemu-boot-check: qemu-system-riscv64 missing: run scripts/setup-host.sh" >&2; exit 3; }

LOG="$(mktemp "${TMPDIR:-/tmp}/qemu-boot-check.XXXXXX.log")"
DISK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/qemu-boot-check.XXXXXX")"
trap 'vm_cleanup; rm -rf "$DISK_DIR"; [ -n "$KEEP_LOG" ] || rm -f "$LOG"' EXIT
# An ext4 disk made without root (mkfs.ext4 -d copies a directory in), read and written by the guest.
mkdir -p "$DISK_DIR/content"
echo "hello-from-the-host" >"$DISK_DIR/content/hello.txt"
mkfs.ext4 -q -F -L hvtest -d "$DISK_DIR/content" "$DISK_DIR/disk.img" 16M >/dev/null ||
  { echo "qemu-boot-check: mkfs.ext4 failed: run scripts/setup-host.sh (e2fsprogs)" >&2; exit 3; }
fail() { echo "qemu-boot-check: FAILED: $*; last console lines:" >&2; tail -n 25 "$LOG" >&2; KEEP_LOG=1; echo "(full log: $LOG)" >&2; exit 1; }

start="$(vm_now)"
vm_start "$LOG" qemu-system-riscv64 -M virt -smp "$CPUS" -m "$MEMORY" -nographic -monitor none -serial stdio \
  -kernel "$GUEST/Image" -initrd "$GUEST/initramfs.cpio.gz" -append "console=ttyS0 hv.ip=10.0.2.15/24" \
  -netdev user,id=n0 -device virtio-net-device,netdev=n0 \
  -drive file="$DISK_DIR/disk.img",format=raw,if=none,id=d0 -device virtio-blk-device,drive=d0 \
  -device virtio-rng-device
vm_wait_for HV-GUEST-READY "$TIMEOUT" || fail "no HV-GUEST-READY within ${TIMEOUT}s"
ready="$(vm_now)"
vm_mark
vm_run 'mount -t ext4 /dev/vda /mnt && cat /mnt/hello.txt >/mnt/copy.txt && echo written-by-guest >>/mnt/copy.txt && umount /mnt; echo "DISK-$((6*7))"'
vm_wait_for DISK-42 60 || fail "the ext4 disk test did not finish"
vm_run 'echo "kernel=$(uname -r) cpus=$(nproc) mods=$(wc -l </proc/modules) eth0=$(ip -o -4 addr show eth0 | awk "{print \$4}") tty=$(tty) jobctl=$(set -o | awk "/monitor/ {print \$2}") rng=$(cat /sys/class/misc/hw_random/rng_current) END-$((6*7))"'
vm_wait_for END-42 30 || fail "the shell did not answer"
summary="$(tail -c +"$((VM_MARK + 1))" "$LOG" | grep -a '^kernel=' | tr -d '\r' | tail -n 1)"
echo "qemu-boot-check: $summary" | sed 's/ END-42//'
case "$summary" in
  *"kernel=$(cat "$GUEST/kernel-version")"*"cpus=$CPUS"*"eth0=10.0.2.15/24"*"jobctl=on"*"rng=virtio_rng"*) ;;
  *) fail "unexpected answer: $summary" ;;
esac
vm_run poweroff
vm_wait_exit 30 || fail "no power-off within 30s"
end="$(vm_now)"
[ "$VM_STATUS" = 0 ] || fail "qemu exited with status $VM_STATUS"
copy="$(debugfs -R 'cat /copy.txt' "$DISK_DIR/disk.img" 2>/dev/null | tr '\n' ' ')"
[ "$copy" = "hello-from-the-host written-by-guest " ] || fail "the guest's ext4 write is not on the disk (got: '$copy')"
echo "qemu-boot-check: ext4 on virtio-blk: read and written"
awk -v s="$start" -v r="$ready" -v e="$end" -v c="$CPUS" \
  'BEGIN { printf "qemu-boot-check: OK: %d vCPU: HV-GUEST-READY after %.2f s, powered off after %.2f s\n", c, r - s, e - s }'
