#!/usr/bin/env bash
# qemu-boot-check.sh: boots the guest from scripts/fetch-guest.sh in qemu-system-riscv64 -M virt
# (Debian's OpenSBI as firmware), waits for HV-GUEST-READY, runs a few commands, powers off.
# Proves the guest image is good independently of HV. Non-interactive; exit 0 on success.
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
trap 'vm_cleanup; [ -n "$KEEP_LOG" ] || rm -f "$LOG"' EXIT
fail() { echo "qemu-boot-check: FAILED: $*; last console lines:" >&2; tail -n 25 "$LOG" >&2; KEEP_LOG=1; echo "(full log: $LOG)" >&2; exit 1; }

start="$(vm_now)"
vm_start "$LOG" qemu-system-riscv64 -M virt -smp "$CPUS" -m "$MEMORY" -nographic -monitor none -serial stdio \
  -kernel "$GUEST/Image" -initrd "$GUEST/initramfs.cpio.gz" -append "console=ttyS0 hv.ip=10.0.2.15/24" \
  -netdev user,id=n0 -device virtio-net-device,netdev=n0
vm_wait_for HV-GUEST-READY "$TIMEOUT" || fail "no HV-GUEST-READY within ${TIMEOUT}s"
ready="$(vm_now)"
vm_mark
vm_run 'echo "kernel=$(uname -r) cpus=$(nproc) mods=$(wc -l </proc/modules) eth0=$(ip -o -4 addr show eth0 | awk "{print \$4}") tty=$(tty) jobctl=$(set -o | awk "/monitor/ {print \$2}") END-$((6*7))"'
vm_wait_for END-42 30 || fail "the shell did not answer"
summary="$(tail -c +"$((VM_MARK + 1))" "$LOG" | grep -a '^kernel=' | tr -d '\r' | tail -n 1)"
echo "qemu-boot-check: $summary" | sed 's/ END-42//'
case "$summary" in
  *"kernel=$(cat "$GUEST/kernel-version")"*"cpus=$CPUS"*"eth0=10.0.2.15/24"*"jobctl=on"*) ;;
  *) fail "unexpected answer: $summary" ;;
esac
vm_run poweroff
vm_wait_exit 30 || fail "no power-off within 30s"
end="$(vm_now)"
[ "$VM_STATUS" = 0 ] || fail "qemu exited with status $VM_STATUS"
awk -v s="$start" -v r="$ready" -v e="$end" -v c="$CPUS" \
  'BEGIN { printf "qemu-boot-check: OK: %d vCPU: HV-GUEST-READY after %.2f s, powered off after %.2f s\n", c, r - s, e - s }'
