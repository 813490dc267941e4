#!/usr/bin/env bash
# bench/cpu.sh: the CPU benchmark of issues 3 and 8. Runs bench/guest/cpubench (the same
# program and work) under
#   qemu-riscv64                                  (Linux static build)
#   qemu-system-riscv64 -M virt -bios none        (bare-metal build)
#   ./hv run --bios none --kernel ... --stats     (bare-metal build)
#   ./hv exec ...                                 (Linux static build)
# and prints wall time (best of N), CPU time, MIPS and the HV/QEMU ratios. Every run's checksum
# must match, or the run is reported as wrong. HV's side may not work yet: then it prints
# "HV ...: not available (reason)" and goes on.
# Guest instruction count: HV's `--stats` line `instret=<N>`; without HV, one QEMU run with
# -icount (exact retired-instruction counting), cached next to the ELF.
# Options: --runs N (3), --scale N (rebuild with another work size), --hv-timeout SECONDS (900)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GUEST_DIR="$ROOT/bench/guest"
RUNS=3 SCALE= HV_TIMEOUT=900
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --scale) SCALE="$2"; shift 2 ;;
    --hv-timeout) HV_TIMEOUT="$2"; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--scale N] [--hv-timeout SECONDS]" >&2; exit 2 ;;
  esac
done
if [ -n "$SCALE" ]; then
  make -s -C "$GUEST_DIR" clean && make -s -C "$GUEST_DIR" SCALE="$SCALE" >/dev/null || exit 1
else
  make -s -C "$GUEST_DIR" >/dev/null || exit 1
fi
LINUX_BIN="$GUEST_DIR/out/cpubench-linux"
BARE_ELF="$GUEST_DIR/out/cpubench.elf"
QEMU_ELF="$GUEST_DIR/out/cpubench-qemu.elf"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/hv-cpubench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# timed_run NAME TIMEOUT CMD...: runs CMD, stdout/stderr to $WORK/NAME.{out,err}; sets
# T_WALL T_CPU (seconds) and T_STATUS.
timed_run() {
  local name="$1" limit="$2"; shift 2
  local tf="$WORK/$name.time"
  { TIMEFORMAT='%R %U %S'; time timeout "$limit" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null; } 2>"$tf"
  T_STATUS=$?
  read -r T_WALL u s <"$tf"
  T_CPU="$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')"
}
# The bare-metal runtime fails with 128 + mcause on an unexpected exception (guests/common/test.h).
explain_status() {
  case "$1" in
    124) echo " (timeout ${2}s)" ;;
    1[2-4][0-9]|15[01]) echo " (the guest took an unexpected trap, mcause $(($1 - 128)))" ;;
  esac
}
checksum_of() { tr -d '\r' <"$WORK/$1.out" | sed -n 's/^checksum=//p' | tail -n 1; }

# best_of NAME TIMEOUT CMD...: RUNS runs; BEST_WALL/BEST_CPU of the fastest; BEST_SUM the
# checksum (empty if any run failed); BEST_ERR a reason on failure.
best_of() {
  local name="$1" limit="$2"; shift 2
  BEST_WALL= BEST_CPU= BEST_SUM= BEST_ERR=
  local i sum
  for ((i = 0; i < RUNS; i++)); do
    timed_run "$name" "$limit" "$@"
    sum="$(checksum_of "$name")"
    if [ "$T_STATUS" != 0 ] || [ -z "$sum" ]; then
      BEST_ERR="exit status $T_STATUS$(explain_status "$T_STATUS" "$limit"): $(grep -v '^\s*$' "$WORK/$name.err" | grep -v WARNING | tail -n 1 | cut -c1-160)"
      BEST_SUM=; return 1
    fi
    BEST_SUM="$sum"
    if [ -z "$BEST_WALL" ] || awk -v a="$T_WALL" -v b="$BEST_WALL" 'BEGIN { exit !(a < b) }'; then
      BEST_WALL="$T_WALL" BEST_CPU="$T_CPU"
      cp "$WORK/$name.out" "$WORK/$name.best.out"; cp "$WORK/$name.err" "$WORK/$name.best.err"
    fi
  done
}

mips() { awk -v n="$1" -v t="$2" 'BEGIN { if (n > 0 && t > 0) printf "%.0f", n / t / 1e6; else printf "?" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "?" }'; }
# row LABEL WALL CPU CHECK: MIPS by wall time (the figure the issues ask for) and by CPU time
# (what a busy machine cannot inflate as much).
row() {
  printf '  %-40s %8s s wall %7s s cpu %6s MIPS %6s MIPS/cpu-s  %s\n' "$1" "$2" "$3" \
    "$(mips "${INSTRET:-0}" "$2")" "$(mips "${INSTRET:-0}" "$3")" "$4"
}

echo "cpubench: $(sed -n 's/^cpubench: //p' <(qemu-riscv64 "$LINUX_BIN" 2>/dev/null | head -n 1)), best of $RUNS, $(nproc) host cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

busy="$(awk -v n="$(nproc)" '{ print ($1 > n) ? 1 : 0 }' /proc/loadavg)"
[ "$busy" = 0 ] || echo "  WARNING: the machine is busy (load average above $(nproc)): wall times and MIPS are inflated; compare cpu times"

# --- the guest instruction count -------------------------------------------------------------
INSTRET=
instret_cache="$GUEST_DIR/out/cpubench.instret"
elf_hash="$(sha256sum "$QEMU_ELF" | cut -c1-16)"
if [ -f "$instret_cache" ] && [ "$(cut -d' ' -f1 "$instret_cache")" = "$elf_hash" ]; then
  INSTRET="$(cut -d' ' -f2 "$instret_cache")"
fi

# --- QEMU ---------------------------------------------------------------------------------------
REF_SUM=
best_of qemu-user 600 qemu-riscv64 "$LINUX_BIN"
if [ -n "$BEST_SUM" ]; then QU_WALL="$BEST_WALL" QU_CPU="$BEST_CPU"; REF_SUM="$BEST_SUM"; else QU_WALL=; echo "  qemu-riscv64 failed: $BEST_ERR"; fi
best_of qemu-system 600 qemu-system-riscv64 -M virt -bios none -nographic -monitor none -serial stdio -m 128M -kernel "$QEMU_ELF"
if [ -n "$BEST_SUM" ]; then QS_WALL="$BEST_WALL" QS_CPU="$BEST_CPU"; QS_SUM="$BEST_SUM"; else QS_WALL=; echo "  qemu-system-riscv64 failed: $BEST_ERR"; fi
[ -n "$REF_SUM" ] || REF_SUM="${QS_SUM:-}"

# --- HV -----------------------------------------------------------------------------------------
HV_RUN_WALL= HV_RUN_REASON= HV_EXEC_WALL= HV_EXEC_REASON= HV_INSTRET=
if [ ! -x "$ROOT/hv" ]; then
  HV_RUN_REASON="no ./hv launcher"; HV_EXEC_REASON="$HV_RUN_REASON"
elif ! "$ROOT/hv" version >"$WORK/hv-version.out" 2>&1; then
  HV_RUN_REASON="./hv does not start: $(grep -v '^\s*$' "$WORK/hv-version.out" | tail -n 1 | cut -c1-160)"; HV_EXEC_REASON="$HV_RUN_REASON"
else
  # The launcher built itself above if needed, so no build is timed below.
  if best_of hv-run "$HV_TIMEOUT" "$ROOT/hv" run --bios none --kernel "$BARE_ELF" --stats; then
    HV_RUN_WALL="$BEST_WALL" HV_RUN_CPU="$BEST_CPU" HV_RUN_SUM="$BEST_SUM"
    HV_INSTRET="$(grep -o 'instret=[0-9]*' "$WORK/hv-run.best.err" | tail -n 1 | cut -d= -f2)"
    [ "$HV_RUN_SUM" = "$REF_SUM" ] || HV_RUN_REASON="WRONG checksum $HV_RUN_SUM (QEMU: $REF_SUM)"
  else
    HV_RUN_REASON="$BEST_ERR"
  fi
  if best_of hv-exec "$HV_TIMEOUT" "$ROOT/hv" exec "$LINUX_BIN"; then
    HV_EXEC_WALL="$BEST_WALL" HV_EXEC_CPU="$BEST_CPU" HV_EXEC_SUM="$BEST_SUM"
    [ "$HV_EXEC_SUM" = "$REF_SUM" ] || HV_EXEC_REASON="WRONG checksum $HV_EXEC_SUM (QEMU: $REF_SUM)"
  else
    HV_EXEC_REASON="$BEST_ERR"
  fi
fi

if [ -n "$HV_INSTRET" ]; then
  INSTRET="$HV_INSTRET"
elif [ -z "$INSTRET" ]; then
  # One exact count with QEMU's -icount (slow, so cached per ELF).
  timed_run qemu-icount 900 qemu-system-riscv64 -M virt -bios none -nographic -monitor none -serial stdio -m 128M -icount shift=0 -kernel "$QEMU_ELF"
  INSTRET="$(tr -d '\r' <"$WORK/qemu-icount.out" | sed -n 's/^guest-instret=//p' | tail -n 1)"
  [ -z "$INSTRET" ] || echo "$elf_hash $INSTRET" >"$instret_cache"
fi
echo "  guest instructions: ${INSTRET:-unknown}$( [ -n "$HV_INSTRET" ] && echo " (HV --stats)" || echo " (QEMU -icount)")"

[ -z "$QU_WALL" ] || row "qemu-riscv64 (Linux static)" "$QU_WALL" "$QU_CPU" "checksum $REF_SUM"
[ -z "$QS_WALL" ] || row "qemu-system-riscv64 -M virt -bios none" "$QS_WALL" "$QS_CPU" "checksum ${QS_SUM}$( [ "$QS_SUM" = "$REF_SUM" ] || echo ' WRONG')"
if [ -n "$HV_RUN_WALL" ] && [ -z "$HV_RUN_REASON" ]; then
  row "HV run --bios none" "$HV_RUN_WALL" "$HV_RUN_CPU" "checksum ok"
  [ -z "$QS_WALL" ] || echo "  ratio HV run / qemu-system-riscv64: $(ratio "$HV_RUN_WALL" "$QS_WALL")x wall (target <= 3x), HV MIPS $(mips "${INSTRET:-0}" "$HV_RUN_WALL") (target >= 250)"
else
  echo "  HV run: not available (${HV_RUN_REASON:-unknown})"
fi
if [ -n "$HV_EXEC_WALL" ] && [ -z "$HV_EXEC_REASON" ]; then
  row "HV exec (Linux static)" "$HV_EXEC_WALL" "$HV_EXEC_CPU" "checksum ok"
  [ -z "$QU_WALL" ] || echo "  ratio HV exec / qemu-riscv64: $(ratio "$HV_EXEC_CPU" "$QU_CPU")x cpu, $(ratio "$HV_EXEC_WALL" "$QU_WALL")x wall (target <= 10x)"
else
  echo "  HV exec: not available (${HV_EXEC_REASON:-unknown})"
fi
