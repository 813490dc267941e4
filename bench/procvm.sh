#!/usr/bin/env bash
# bench/procvm.sh: the process-VM benchmark of issue 8. The same workloads under
#   ./hv exec        HV's process VM (interpreter)
#   qemu-riscv64     Debian's qemu-user (TCG)
#   native           the host itself (x86-64): cpubench built with the host gcc; the host's own
#                    coreutils sha256sum and gzip for the 64 MiB workloads (the host has no busybox)
# Workloads: bench/guest/cpubench (Linux static build), busybox sha256sum and busybox gzip -c over
# 64 MiB (from the sysroot), and the startup of a trivial program (busybox true).
# Prints wall (best of N) and CPU seconds (user+sys of that run), and the HV/qemu and HV/native
# CPU-time ratios. Outputs are compared (checksums) so a wrong result is reported, not timed.
# Options: --runs N (3), --scale N (cpubench work; default 1 = about 1e9 instructions), --mib N (64)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=3 SCALE=1 MIB=64
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --scale) SCALE="$2"; shift 2 ;;
    --mib) MIB="$2"; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--scale N] [--mib N]" >&2; exit 2 ;;
  esac
done
WORK="$(mktemp -d "${TMPDIR:-/tmp}/hv-procvm-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
"$ROOT/scripts/fetch-sysroot.sh" || exit 1
SYSROOT="$ROOT/.cache/sysroot"
BUSYBOX="$SYSROOT/usr/bin/busybox"

# cpubench: the riscv64 Linux build (bench/guest) and a native build of the same source.
riscv64-linux-gnu-gcc -O2 -fno-math-errno -march=rv64gc -mabi=lp64d -static -DSCALE="$SCALE" \
  -o "$WORK/cpubench-rv" "$ROOT/bench/guest/cpubench.c" || exit 1
gcc -O2 -fno-math-errno -DSCALE="$SCALE" -o "$WORK/cpubench-native" "$ROOT/bench/guest/cpubench.c" -lm || exit 1

# 64 MiB of compressible input (base64 text of pseudo-random bytes: gzip gets ~25% off).
head -c $((MIB * 3 / 4 * 1024 * 1024)) /dev/urandom | base64 -w 76 | head -c $((MIB * 1024 * 1024)) >"$WORK/input"
: >"$WORK/empty"

# Build HV once, outside the timings.
"$ROOT/hv" version >/dev/null || { echo "HV does not build" >&2; exit 1; }
export HV_SKIP_BUILD=1
# The first `hv exec` after a build records the JVM's AOT cache (see ./hv): do it outside the timings.
"$ROOT/hv" exec "$BUSYBOX" true >/dev/null 2>&1 </dev/null

# run NAME CMD...: RUNS runs; sets WALL (best), CPU (that run's user+sys), OUT (its stdout file).
run() {
  local name="$1"; shift
  WALL= CPU= OUT=
  for i in $(seq "$RUNS"); do
    local tf="$WORK/$name.$i.time" of="$WORK/$name.$i.out"
    { TIMEFORMAT='%R %U %S'; time "$@" >"$of" 2>"$WORK/$name.$i.err" <"$WORK/empty"; } 2>"$tf"
    local st=$?
    if [ $st -ne 0 ] && [ "$name" != "${name%true}" ]; then :; elif [ $st -ne 0 ]; then
      echo "  $name: exit status $st: $(head -c 300 "$WORK/$name.$i.err")" >&2
    fi
    read -r w u s <"$tf"
    local c; c="$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')"
    if [ -z "$WALL" ] || awk -v a="$w" -v b="$WALL" 'BEGIN { exit !(a < b) }'; then
      WALL="$w" CPU="$c" OUT="$of"
    fi
  done
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }
digest() { sed -n "$1" "$2" | tr -d '\r' | head -n 1; }

printf '%-22s %10s %10s %10s %10s %10s %10s %9s %9s\n' workload "hv wall" "hv cpu" "qemu wall" "qemu cpu" \
  "nat wall" "nat cpu" "hv/qemu" "hv/nat"
line() { # NAME HVW HVC QW QC NW NC CHECK
  printf '%-22s %10s %10s %10s %10s %10s %10s %9s %9s %s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" \
    "$(ratio "$3" "$5")" "$(ratio "$3" "$7")" "$8"
}

# 1. cpubench
run hv-cpu "$ROOT/hv" exec "$WORK/cpubench-rv"; HW=$WALL HC=$CPU; HS="$(digest 's/^checksum=//p' "$OUT")"
run qemu-cpu qemu-riscv64 "$WORK/cpubench-rv"; QW=$WALL QC=$CPU; QS="$(digest 's/^checksum=//p' "$OUT")"
run nat-cpu "$WORK/cpubench-native"; NW=$WALL NC=$CPU; NS="$(digest 's/^checksum=//p' "$OUT")"
check="ok"; [ -n "$HS" ] && [ "$HS" = "$QS" ] || check="WRONG (hv $HS, qemu $QS)"
[ "$NS" = "$QS" ] || check="$check (native checksum $NS differs)"
line "cpubench (scale $SCALE)" "$HW" "$HC" "$QW" "$QC" "$NW" "$NC" "$check"

# 2. busybox sha256sum over 64 MiB
run hv-sha "$ROOT/hv" exec "$BUSYBOX" sha256sum "$WORK/input"; HW=$WALL HC=$CPU; HS="$(cut -c1-64 "$OUT")"
run qemu-sha qemu-riscv64 "$BUSYBOX" sha256sum "$WORK/input"; QW=$WALL QC=$CPU; QS="$(cut -c1-64 "$OUT")"
run nat-sha sha256sum "$WORK/input"; NW=$WALL NC=$CPU; NS="$(cut -c1-64 "$OUT")"
check="ok"; [ -n "$HS" ] && [ "$HS" = "$NS" ] && [ "$QS" = "$NS" ] || check="WRONG"
line "sha256sum ${MIB} MiB" "$HW" "$HC" "$QW" "$QC" "$NW" "$NC" "$check"

# 3. busybox gzip -c over 64 MiB (output checked by the host's gunzip)
run hv-gz "$ROOT/hv" exec "$BUSYBOX" gzip -c "$WORK/input"; HW=$WALL HC=$CPU; HO=$OUT
run qemu-gz qemu-riscv64 "$BUSYBOX" gzip -c "$WORK/input"; QW=$WALL QC=$CPU
run nat-gz gzip -c "$WORK/input"; NW=$WALL NC=$CPU
check="ok"; gunzip -c <"$HO" | cmp -s - "$WORK/input" || check="WRONG (hv output does not gunzip to the input)"
line "gzip ${MIB} MiB" "$HW" "$HC" "$QW" "$QC" "$NW" "$NC" "$check"

# 4. startup: a trivial program
run hv-true "$ROOT/hv" exec "$BUSYBOX" true; HW=$WALL HC=$CPU
run qemu-true qemu-riscv64 "$BUSYBOX" true; QW=$WALL QC=$CPU
run nat-true /bin/true; NW=$WALL NC=$CPU
line "startup (busybox true)" "$HW" "$HC" "$QW" "$QC" "$NW" "$NC" "$(awk -v w="$HW" 'BEGIN { print (w < 1.0) ? "under 1 s" : "OVER 1 s" }')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (run on an idle machine for meaningful figures)"
