#!/usr/bin/env bash
# pair-compare.sh: issue 7's guest-to-guest benchmark, side by side. Runs bench/net/guest-pair.sh
# for a QEMU pair (both guests qemu-system-riscv64, -netdev stream into `hv switch`) and for an
# HV pair (both guests `hv run`, --net switch), on the same switch code, the same guests and the
# same work (N pings, M MiB with busybox nc + dd, sha256 checked), then prints each pair's
# figures and the HV/QEMU ratios against the issue's targets:
#   throughput HV pair >= 0.5x QEMU pair's; median RTT HV pair <= 2x QEMU pair's.
# RTT is reported cold (the first pings after boot) and warm (after a ping warm-up, the steady
# state of a running VM; see guest-pair.sh); the target is checked against the warm figure.
#
#   bench/net/pair-compare.sh [--pings N] [--warmup N] [--mib N] [--repeat N]
#
# Throughput is the best of --repeat transfers per pair (the first HV transfer includes JIT
# warm-up); every transfer is printed, with the CPU seconds both guest processes used during it
# (on a shared host the CPU ratio is steadier than the wall-time ratio). The two pairs run one after the other, never together.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ARGS=(--pings 20 --warmup 2000 --mib 16 --repeat 3)
[ $# -gt 0 ] && ARGS=("$@")

# run_pair KIND: one guest-pair.sh line for a KIND/KIND pair.
run_pair() {
  local line
  line="$("$ROOT/bench/net/guest-pair.sh" --a "$1" --b "$1" "${ARGS[@]}" 2>"${TMPDIR:-/tmp}/pair-compare.$1.err")" || {
    echo "pair-compare: the $1 pair failed:" >&2; cat "${TMPDIR:-/tmp}/pair-compare.$1.err" >&2; exit 1; }
  echo "$line" >&2
  echo "$line"
}
median_of() { sed -n "s#.*$2[^m]*min/median/max [0-9.]*/\\([0-9.]*\\)/.*#\\1#p" <<<"$1"; }
best_mbits_of() { grep -o '[0-9.]*Mbit/s' <<<"$1" | tr -d 'Mbit/s' | sort -g | tail -n 1; }
least_cpu_of() { grep -o 'cpu=[0-9.]*' <<<"$1" | cut -d= -f2 | sort -g | head -n 1; }

HV_SKIP_BUILD= "$ROOT/hv" version >/dev/null # build once, before any timing
export HV_SKIP_BUILD=1
Q="$(run_pair qemu)"
H="$(run_pair hv)"
QM="$(median_of "$Q" warm)"; HM="$(median_of "$H" warm)"
QCM="$(median_of "$Q" cold)"; HCM="$(median_of "$H" cold)"
QT="$(best_mbits_of "$Q")"; HT="$(best_mbits_of "$H")"
QC="$(least_cpu_of "$Q")"; HC="$(least_cpu_of "$H")"
awk -v qm="$QM" -v hm="$HM" -v qcm="$QCM" -v hcm="$HCM" -v qt="$QT" -v ht="$HT" -v qc="$QC" -v hc="$HC" 'BEGIN {
  rt = ht / qt; rr = hm / qm
  printf "pair-compare: throughput (best) HV pair %.1f Mbit/s, QEMU pair %.1f Mbit/s: HV/QEMU %.2fx (target >= 0.5x: %s)\n", ht, qt, rt, (rt >= 0.5 ? "met" : "NOT met")
  printf "pair-compare: CPU seconds of both guests per transfer (least) HV pair %.2f s, QEMU pair %.2f s: HV/QEMU %.2fx\n", hc, qc, hc / qc
  printf "pair-compare: median RTT, warm: HV pair %.2f ms, QEMU pair %.2f ms: HV/QEMU %.2fx (target <= 2x: %s)\n", hm, qm, rr, (rr <= 2 ? "met" : "NOT met")
  printf "pair-compare: median RTT, cold (first pings after boot): HV pair %.2f ms, QEMU pair %.2f ms: HV/QEMU %.2fx\n", hcm, qcm, hcm / qcm
}'
echo "pair-compare: host load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
