#!/usr/bin/env bash
# bench/snapshot.sh: snapshot and live-migration figures for a booted Debian guest
# (scripts/fetch-guest.sh). Boots HV with a control socket, then:
#   snapshot  `hv ctl snapshot`: file size, time the VM was paused (from the reply)
#   restore   seconds from `hv run --restore` to the restored shell answering a command
#   migrate   `hv ctl migrate` from the restored VM to an `hv run --incoming` on loopback:
#             total time, downtime (pause to target loaded), rounds, bytes; idle guest, then a
#             guest rewriting 32 MiB in a loop while it is copied
# Options: --memory SIZE (512M)  --cpus N (1)  --timeout S (300)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/lib/vm-console.sh"
GUEST="${HV_CACHE_DIR:-$ROOT/.cache}/guest"
MEMORY=512M CPUS=1 TIMEOUT=300
while [ $# -gt 0 ]; do
  case "$1" in
    --memory) MEMORY="$2"; shift 2 ;;
    --cpus) CPUS="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    *) echo "usage: $0 [--memory 512M] [--cpus N] [--timeout SECONDS]" >&2; exit 2 ;;
  esac
done
"$ROOT/scripts/fetch-guest.sh" || exit 3
HV="$ROOT/hv"
"$HV" version >/dev/null || exit 1
WORK="$(mktemp -d "${TMPDIR:-/tmp}/hv-snapbench.XXXXXX")"
trap 'vm_cleanup; [ -n "${T_PID:-}" ] && kill "$T_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ctl() { local sock="$1"; shift; "$HV" ctl --control "unix:$sock" "$@"; }

echo "== boot ($MEMORY, $CPUS vCPU)"
vm_start "$WORK/boot.log" "$HV" run --kernel "$GUEST/Image" --initrd "$GUEST/initramfs.cpio.gz" \
  --append "console=ttyS0 quiet" --memory "$MEMORY" --cpus "$CPUS" --control "unix:$WORK/a.sock"
vm_wait_for HV-GUEST-READY "$TIMEOUT" || { echo "boot failed"; tail -20 "$WORK/boot.log"; exit 1; }
vm_mark; vm_run 'echo before-snapshot > /tmp/marker; echo "OK-$((6*7))"'; vm_wait_for OK-42 30 || exit 1
echo "== snapshot"
ctl "$WORK/a.sock" snapshot "path=$WORK/vm.hvsnap"
ls -l "$WORK/vm.hvsnap" | awk '{ printf "file: %d bytes (%.1f MiB)\n", $5, $5 / 1048576 }'
ctl "$WORK/a.sock" quit >/dev/null
vm_wait_exit 30
vm_cleanup

echo "== restore"
t0="$(vm_now)"
vm_start "$WORK/restore.log" "$HV" run --restore "$WORK/vm.hvsnap" --control "unix:$WORK/b.sock"
vm_run 'echo "RESTORED-$((6*7))-$(cat /tmp/marker)"'
vm_wait_for RESTORED-42-before-snapshot 60 || { echo "restore failed"; cat "$WORK/restore.log"; exit 1; }
awk -v a="$t0" -v b="$(vm_now)" 'BEGIN { printf "restore: %.2f s from hv run --restore to the shell answering\n", b - a }'
grep -a "hv: resumed" "$WORK/restore.log" || true

SRC_SOCK="$WORK/b.sock"
migrate() { # $1: label; migrates the VM on $SRC_SOCK (console: vm-console's) to a new target
  local port; port="$(free_port)"
  mkfifo "$WORK/t.in.$1"
  exec {T_FD}<>"$WORK/t.in.$1"
  "$HV" run --incoming "tcp:127.0.0.1:$port" --control "unix:$WORK/t.$1.sock" <"$WORK/t.in.$1" >"$WORK/target.$1.log" 2>&1 &
  T_PID=$!
  for _ in $(seq 100); do grep -q "waiting for a migration" "$WORK/target.$1.log" && break; sleep 0.1; done
  echo "== migrate ($1)"
  ctl "$SRC_SOCK" migrate "port=$port"
  vm_wait_exit 30
  # The target is the VM now: its console and control socket.
  exec {VM_FD}>&-
  VM_FD=$T_FD VM_PID=$T_PID VM_LOG="$WORK/target.$1.log" SRC_SOCK="$WORK/t.$1.sock" T_PID=
  vm_mark; vm_run 'echo "MIGRATED-$((6*7))-$(cat /tmp/marker)"'
  grep -a "hv: resumed" "$VM_LOG" || true
  if vm_wait_for MIGRATED-42-before-snapshot 60; then echo "target answers"; else echo "target silent"; tail -20 "$VM_LOG"; exit 1; fi
}
migrate idle
vm_run '(while :; do dd if=/dev/zero of=/tmp/churn bs=1M count=32 2>/dev/null; done) &'
sleep 2
migrate busy
vm_run 'poweroff -f'
vm_wait_exit 60
echo "done (target exit status $VM_STATUS)"
