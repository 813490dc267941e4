#!/usr/bin/env bash
# guest-pair.sh: guest-to-guest network figures through `hv switch` (issue 7's benchmark).
# Two Linux guests (Debian kernel + busybox initramfs from scripts/fetch-guest.sh) join one
# `hv switch` on loopback; guest A pings guest B (RTT: min/median/max of N pings, 0.2 s apart)
# and sends it 16 MiB with busybox nc + dd (throughput; sha256 checked on both sides).
#
#   bench/net/guest-pair.sh [--a qemu|hv] [--b qemu|hv] [--pings N] [--warmup N] [--mib N] [--repeat N] [--hv-nic OPTS]
#
# RTT is measured twice: "cold", the first pings after boot, and "warm", after --warmup N pings
# 2 ms apart (default 2000). The ping path runs a few times per second at most, so right after
# boot it is cold everywhere: in QEMU its guest code is translated but host caches and the
# guest's own state are cold; in HV the device, Netty and switch code also still runs in the
# JVM's bytecode interpreter (it is compiled after a few hundred calls) and the guest's ping path
# in HV's interpreter. A VM that has run for a while has it warm, so the warm figure is the
# steady state; the cold one says how long the first packets take.
#
# --hv-nic ",key=value..." is appended to the HV guests' --net option (e.g. ",mrg-rxbuf=off"
# to measure without mergeable receive buffers).
#
# --repeat N transfers N times and reports each (an HV guest runs slower until the JVM has
# compiled its hot paths, so the first transfer includes warm-up).
#
# Run it once per pair and compare, e.g. QEMU pair (--a qemu --b qemu) against HV pair
# (--a hv --b hv), or let bench/net/pair-compare.sh run both and print the ratios. Figures go
# to stdout as one line; guest consoles to $TMPDIR/hv-pair.*. Besides wall time, each transfer
# reports the CPU seconds both guest processes used during it (cpu=), which a loaded host
# inflates far less than wall time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
GUEST="$ROOT/.cache/guest"
A=qemu; B=qemu; PINGS=20; WARMUP=2000; MIB=16; REPEAT=1; HVNIC=""
while [ $# -gt 0 ]; do
  case "$1" in
    --a) A="$2"; shift 2 ;;
    --b) B="$2"; shift 2 ;;
    --pings) PINGS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --mib) MIB="$2"; shift 2 ;;
    --repeat) REPEAT="$2"; shift 2 ;;
    --hv-nic) HVNIC="$2"; shift 2 ;;
    *) echo "usage: $0 [--a qemu|hv] [--b qemu|hv] [--pings N] [--warmup N] [--mib N] [--repeat N] [--hv-nic OPTS]" >&2; exit 2 ;;
  esac
done
[ -f "$GUEST/Image" ] || { echo "guest-pair: $GUEST/Image missing: run scripts/fetch-guest.sh" >&2; exit 3; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/hv-pair.XXXXXX")"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.3
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
now() { date +%s.%N; }

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
mkfifo "$WORK/switch.in"
exec {SWFD}<>"$WORK/switch.in"
HV_SKIP_BUILD="${HV_SKIP_BUILD:-}" "$ROOT/hv" switch --listen "127.0.0.1:$PORT" <"$WORK/switch.in" >"$WORK/switch.out" 2>"$WORK/switch.err" &
PIDS+=($!)
for _ in $(seq 1 600); do grep -q "listening on" "$WORK/switch.err" 2>/dev/null && break; sleep 0.1; done
grep -q "listening on" "$WORK/switch.err" || { echo "guest-pair: hv switch did not start: $(cat "$WORK/switch.err")" >&2; exit 1; }

# vm_start NAME KIND IP MAC: a guest whose console is $WORK/NAME.{in,log}.
vm_start() {
  local name="$1" kind="$2" ip="$3" mac="$4"
  mkfifo "$WORK/$name.in"
  exec {fd}<>"$WORK/$name.in"
  eval "FD_$name=$fd"
  # HV_AOT=0: no AOT training run, so the launcher execs the JVM and $! is the VM whose CPU is read
  # (a training run would be the launcher's child); transfers are timed long after warm-up anyway.
  if [ "$kind" = qemu ]; then
    qemu-system-riscv64 -M virt -m 256 -nographic -monitor none -serial stdio -kernel "$GUEST/Image" \
      -initrd "$GUEST/initramfs.cpio.gz" -append "console=ttyS0 quiet hv.ip=$ip" \
      -netdev "stream,id=n0,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=$PORT" \
      -device "virtio-net-device,netdev=n0,mac=$mac" <"$WORK/$name.in" >"$WORK/$name.log" 2>&1 &
  else
    HV_SKIP_BUILD=1 HV_AOT=0 "$ROOT/hv" run --kernel "$GUEST/Image" --initrd "$GUEST/initramfs.cpio.gz" --memory 256M \
      --append "console=ttyS0 quiet hv.ip=$ip" --name "pair-$name" --net "switch,connect=127.0.0.1:$PORT,mac=$mac$HVNIC" \
      <"$WORK/$name.in" >"$WORK/$name.log" 2>"$WORK/$name.err" &
  fi
  PIDS+=($!)
  eval "PID_$name=$!"
}
# cpu_ticks PID: user + system clock ticks the process has used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
vm_run() { local fd; eval "fd=\$FD_$1"; printf '%s\n' "$2" >&"$fd"; }
vm_wait() { # NAME TEXT SECONDS
  local i
  for i in $(seq 1 $(($3 * 10))); do grep -qaF -- "$2" "$WORK/$1.log" && return 0; sleep 0.1; done
  echo "guest-pair: $1 did not print '$2' within $3 s; console tail:" >&2; tail -n 15 "$WORK/$1.log" >&2; exit 1
}

vm_start a "$A" 10.0.9.1/24 52:54:00:00:09:01
vm_start b "$B" 10.0.9.2/24 52:54:00:00:09:02
vm_wait a HV-GUEST-READY 600
vm_wait b HV-GUEST-READY 600

# ping_stats TAG: min/median/max of the replies guest A printed between PING-TAG-START and PING-TAG-42.
ping_stats() {
  local rtts count
  rtts="$(sed -n "/^PING-$1-START/,/^PING-$1-42/p" "$WORK/a.log" | grep -a 'bytes from 10.0.9.2' | sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | sort -n)"
  count="$(echo "$rtts" | grep -c . || true)"
  [ "$count" -ge "$PINGS" ] || { echo "guest-pair: only $count of $PINGS $1 pings answered" >&2; exit 1; }
  echo "$(echo "$rtts" | head -n 1)/$(echo "$rtts" | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}')/$(echo "$rtts" | tail -n 1)"
}
vm_run a "ping -c 2 -W 5 10.0.9.2 >/dev/null; echo PING-cold-START; ping -c $PINGS -i 0.2 10.0.9.2; echo PING-cold-\$((6*7))"
vm_wait a PING-cold-42 $((PINGS + 60))
COLD="$(ping_stats cold)"
vm_run a "ping -q -c $WARMUP -i 0.002 10.0.9.2 >/dev/null; echo PING-warm-START; ping -c $PINGS -i 0.2 10.0.9.2; echo PING-warm-\$((6*7))"
vm_wait a PING-warm-42 $((PINGS + WARMUP / 50 + 120))
WARM="$(ping_stats warm)"

vm_run a "dd if=/dev/urandom of=/tmp/f bs=1M count=$MIB 2>/dev/null; echo SSUM=\$(sha256sum /tmp/f | cut -c1-64); echo GO-\$((6*7))"
vm_wait a GO-42 120
SSUM="$(grep -a '^SSUM=' "$WORK/a.log" | tail -n 1 | tr -d '\r' | cut -d= -f2)"
RESULTS=""
for round in $(seq 1 "$REPEAT"); do
  vm_run b "nc -l -p 5000 > /tmp/r; echo RSUM$round=\$(sha256sum /tmp/r | cut -c1-64); echo RECV$round-\$((6*7))"
  sleep 1
  C0=$(( $(cpu_ticks "$PID_a") + $(cpu_ticks "$PID_b") ))
  vm_run a "nc 10.0.9.2 5000 < /tmp/f; echo SENT$round-\$((6*7))"
  T0="$(now)"
  vm_wait b "RECV$round-42" 900
  T1="$(now)"
  C1=$(( $(cpu_ticks "$PID_a") + $(cpu_ticks "$PID_b") ))
  RSUM="$(grep -a "^RSUM$round=" "$WORK/b.log" | tail -n 1 | tr -d '\r' | cut -d= -f2)"
  [ -n "$SSUM" ] && [ "$SSUM" = "$RSUM" ] || { echo "guest-pair: sha256 differs: sent $SSUM received $RSUM" >&2; exit 1; }
  SECS="$(awk -v a="$T0" -v b="$T1" 'BEGIN { printf "%.2f", b - a }')"
  MBITS="$(awk -v s="$SECS" -v m="$MIB" 'BEGIN { printf "%.1f", m * 8.388608 / s }')"
  CPU="$(awk -v t=$((C1 - C0)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')"
  RESULTS="$RESULTS ${SECS}s=${MBITS}Mbit/s(cpu=${CPU}s)"
done
echo "guest-pair: A=$A B=$B${HVNIC:+ (HV NIC$HVNIC)} ping ${PINGS}x: cold min/median/max ${COLD} ms, warm (after ${WARMUP} pings) min/median/max ${WARM} ms; ${MIB} MiB A->B (sha256 ok):${RESULTS}; host load $(cut -d' ' -f1 /proc/loadavg)"
# Where each HV guest's CPU went (the JVM names its threads: vCPU, device workers, Netty loops).
for name in a b; do
  kind="$A"; [ "$name" = b ] && kind="$B"
  [ "$kind" = hv ] || continue
  eval "pid=\$PID_$name"
  echo "guest-pair: $name (hv) CPU seconds by thread, whole run:" >&2
  for t in /proc/"$pid"/task/*; do
    awk -v hz="$(getconf CLK_TCK)" '{ n = $0; sub(/^[0-9]+ \(/, "", n); sub(/\) .*/, "", n); f = $0; sub(/^.*\) /, "", f); split(f, v, " ");
      printf "%8.2f %s\n", (v[12] + v[13]) / hz, n }' "$t/stat"
  done | sort -rn | head -n 8 >&2
done
printf 'quit\n' >&"$SWFD"
for _ in $(seq 1 50); do kill -0 "${PIDS[0]}" 2>/dev/null || break; sleep 0.1; done
echo "guest-pair: switch counters:" >&2
cat "$WORK/switch.out" >&2
