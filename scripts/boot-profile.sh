#!/usr/bin/env bash
# boot-profile.sh: one instrumented Linux boot, for finding where the time goes (not a benchmark:
# bench/boot.sh gives the HV/QEMU ratios). Boots .cache/guest in HV (or QEMU), and records:
#   phases   wall-clock times of process start, "Run /init", HV-GUEST-READY, an idle period,
#            and an in-guest `dd if=/dev/zero bs=1M count=64 | sha256sum`
#   per phase: wall seconds, CPU seconds of the VM process, and (HV) guest instructions and MIPS
#            (from HV_GUEST_PROFILE's per-second instret lines)
#   idle     CPU % of the idle guest and context switches per second per thread (who wakes up)
#   threads  CPU seconds per thread at the readiness line (vCPUs, JIT compilers, GC, devices)
#   memory   peak RSS (VmHWM), and the largest mappings (guest RAM vs Java heap vs the rest)
# Output goes to OUTDIR: console.log, guest.prof (symbolise with scripts/guest-profile.sh),
# summary. Options: --cpus N (1) --memory SIZE (256M) --idle S (20) --qemu --jfr --out DIR
#   HV_EXTRA_JAVA_OPTS="..." adds JVM options (e.g. -Dsomething for an experiment).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/lib/vm-console.sh"
GUEST="${HV_CACHE_DIR:-$ROOT/.cache}/guest"
CPUS=1 MEMORY=256M IDLE=20 WHO=hv JFR=0 OUT=
while [ $# -gt 0 ]; do
  case "$1" in
    --cpus) CPUS="$2"; shift 2 ;;
    --memory) MEMORY="$2"; shift 2 ;;
    --idle) IDLE="$2"; shift 2 ;;
    --qemu) WHO=qemu; shift ;;
    --jfr) JFR=1; shift ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "usage: $0 [--cpus N] [--memory SIZE] [--idle S] [--qemu] [--jfr] [--out DIR]" >&2; exit 2 ;;
  esac
done
OUT="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/hv-bootprofile.XXXXXX")}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
[ -f "$GUEST/Image" ] || { echo "no guest in $GUEST: run scripts/fetch-guest.sh" >&2; exit 3; }
if [ "$WHO" = hv ]; then
  "$ROOT/hv" version >/dev/null || exit 3 # builds if needed, outside the measured time
  OPTS="-XX:+UseParallelGC -Xss4m ${HV_EXTRA_JAVA_OPTS:-}"
  [ "$JFR" = 1 ] && OPTS="$OPTS -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:StartFlightRecording=filename=$OUT/hv.jfr,settings=profile"
  export HV_JAVA_OPTS="$OPTS" HV_SKIP_BUILD=1 HV_GUEST_PROFILE="$OUT/guest.prof"
  CMD=("$ROOT/hv" run --kernel "$GUEST/Image" --initrd "$GUEST/initramfs.cpio.gz" --append console=ttyS0
       --memory "$MEMORY" --cpus "$CPUS" --stats)
else
  CMD=(qemu-system-riscv64 -M virt -smp "$CPUS" -m "$MEMORY" -nographic -monitor none -serial stdio
       -kernel "$GUEST/Image" -initrd "$GUEST/initramfs.cpio.gz" -append console=ttyS0)
fi
trap 'vm_cleanup' EXIT

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
phase() { echo "$1 $(vm_now) $(ticks "$VM_PID")" >>"$OUT/phases"; }
per_thread() { # NAME VALUE per thread (JVM threads share names: summed)
  for t in /proc/"$VM_PID"/task/*; do
    printf '%s %s\n' "$(tr ' ' _ <"$t/comm" 2>/dev/null)" "$(eval "$1" "$t" 2>/dev/null)"
  done | awk '{ a[$1] += $2 } END { for (k in a) print k, a[k] }' | sort
}
thread_cpu() { awk '{ print $14 + $15 }' "$1/stat"; }
thread_csw() { awk '/^(non)?voluntary_ctxt_switches/ { s += $2 } END { print s }' "$1/status"; }

: >"$OUT/phases"
vm_start "$OUT/console.log" "${CMD[@]}"
phase start
vm_wait_for "Run /init" 900 && phase init
vm_wait_for HV-GUEST-READY 1800 || { echo "no HV-GUEST-READY; see $OUT/console.log" >&2; exit 1; }
phase ready
per_thread thread_cpu >"$OUT/threads-at-ready"
vm_mark; vm_run 'echo "SETTLED-$((2*21))"'; vm_wait_for SETTLED-42 300
sleep 1
per_thread thread_csw >"$OUT/csw-0"
phase idle
sleep "$IDLE"
phase idle_end
per_thread thread_csw >"$OUT/csw-1"
vm_mark
phase sha
vm_run 'dd if=/dev/zero bs=1M count=64 2>/dev/null | sha256sum; echo "SHA-END-$((6*7))"'
vm_wait_for SHA-END-42 1800
phase sha_end
HWM="$(awk '/^VmHWM:/ { print $2 }' "/proc/$VM_PID/status")"
awk '/^[0-9a-f]+-[0-9a-f]+ / { r = $1; n = $6 } /^Size:/ { sz = $2 } /^Rss:/ { print $2, sz, r, n }' \
  "/proc/$VM_PID/smaps" | sort -rn | head -n 6 >"$OUT/largest-mappings"
vm_run poweroff
vm_wait_exit 60 || true

{
  echo "$WHO, $CPUS vCPU, $MEMORY, $(nproc) host cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
  awk -v hz="$(getconf CLK_TCK)" -v prof="${HV_GUEST_PROFILE:-}" '
    FILENAME != ARGV[1] && /^# retired / { s = $3; n = 0; for (i = 4; i <= NF; i++) n += $i; rs[++nr] = s; rn[nr] = n; next }
    FILENAME == ARGV[1] { name[++np] = $1; t[np] = $2; c[np] = $3 }
    function instret(when,   i, best) { best = 0; for (i = 1; i <= nr; i++) if (rs[i] <= when) best = rn[i]; return best }
    END {
      for (i = 1; i < np; i++) {
        w = t[i + 1] - t[i]; cpu = (c[i + 1] - c[i]) / hz
        line = sprintf("%-9s -> %-9s wall %7.1f s  cpu %7.1f s (%3.0f%% of a core)", name[i], name[i + 1], w, cpu, 100 * cpu / w)
        if (nr > 0) { ins = instret(t[i + 1]) - instret(t[i])
          line = line sprintf("  instr %6.2fG  MIPS/wall %5.0f  MIPS/cpu-s %5.0f", ins / 1e9, ins / 1e6 / w, (cpu > 0 ? ins / 1e6 / cpu : 0)) }
        print line
      }
    }' "$OUT/phases" ${HV_GUEST_PROFILE:+"$HV_GUEST_PROFILE"}
  echo "peak RSS (VmHWM): $((HWM / 1024)) MB; largest mappings (Rss KB, size KB, range, file):"
  sed 's/^/  /' "$OUT/largest-mappings"
  echo "idle: context switches per second by thread:"
  join "$OUT/csw-0" "$OUT/csw-1" | awk -v s="$IDLE" '$3 > $2 { printf "  %-20s %7.1f/s\n", $1, ($3 - $2) / s }'
  echo "CPU seconds per thread at the readiness line:"
  sort -k2 -rn "$OUT/threads-at-ready" | awk -v hz="$(getconf CLK_TCK)" '$2 > 0 { printf "  %-20s %7.1f s\n", $1, $2 / hz }' | head -n 12
  grep -a '^hv: stats' "$OUT/console.log" | cut -c1-220
  grep -a -E 'rcu: INFO|soft lockup' "$OUT/console.log" | head -n 5
} | tee "$OUT/summary"
echo "output in $OUT"
